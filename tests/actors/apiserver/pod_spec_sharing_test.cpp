// PodSpecSharing (actors/apiserver/pod_spec_sharing.hpp): the pods of one controller share
// their containers, volumes and tolerations, in the API server's stored objects.
#include <catch2/catch.hpp>

#include "actors/apiserver/pod_spec_sharing.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

api::Pod controlled_pod(const std::string& name, const std::string& owner_uid) {
  auto pod = make_pod("default", name);
  api::OwnerReference ref;
  ref.api_version = "v1";
  ref.kind = "ReplicationController";
  ref.name = "rc";
  ref.uid = owner_uid;
  ref.controller = true;
  pod.metadata.owner_references.push_back(ref);
  api::Toleration t;
  t.key = "node.kubernetes.io/not-ready";
  t.operator_ = "Exists";
  pod.spec.tolerations.push_back(t);
  return pod;
}

bool shares_all(const api::Pod& a, const api::Pod& b) {
  return a.spec.containers.shares_with(b.spec.containers) &&
         a.spec.volumes.shares_with(b.spec.volumes) &&
         a.spec.tolerations.shares_with(b.spec.tolerations);
}

}  // namespace

TEST_CASE("pods of one controller share equal lists, others keep their own",
          "[apiserver][pod_spec_sharing]") {
  apiserver::PodSpecSharing sharing;
  auto a = controlled_pod("a", "uid-1");
  api::Volume v;
  v.name = "scratch";
  v.empty_dir.emplace();
  a.spec.volumes.push_back(v);
  auto b = a;
  b.metadata.name = "b";
  b.spec.containers.mut();  // held apart, as two decoded pods are
  b.spec.volumes.mut();
  b.spec.tolerations.mut();
  REQUIRE_FALSE(shares_all(a, b));

  sharing.share(a);
  sharing.share(b);
  CHECK(shares_all(a, b));

  // Another template of the same controller keeps its own lists, and later pods like it
  // share those.
  auto c = controlled_pod("c", "uid-1");
  c.spec.containers[0].image = "nginx:1.27";
  sharing.share(c);
  CHECK_FALSE(c.spec.containers.shares_with(a.spec.containers));
  auto d = c;
  d.spec.containers.mut();
  sharing.share(d);
  CHECK(d.spec.containers.shares_with(c.spec.containers));

  // Another controller's pods are compared with its own.
  auto e = controlled_pod("e", "uid-2");
  auto f = controlled_pod("f", "uid-2");
  sharing.share(e);
  sharing.share(f);
  CHECK(e.spec.containers.shares_with(f.spec.containers));
  CHECK(sharing.size() == 2);

  // A pod without a controller is left alone.
  auto lone = make_pod("default", "lone");
  auto lone2 = make_pod("default", "lone2");
  sharing.share(lone);
  sharing.share(lone2);
  CHECK_FALSE(lone.spec.containers.shares_with(lone2.spec.containers));
  CHECK(sharing.size() == 2);
}

TEST_CASE("pod spec sharing remembers a bounded number of controllers",
          "[apiserver][pod_spec_sharing]") {
  apiserver::PodSpecSharing sharing(2);
  for (const char* uid : {"u1", "u2", "u3"}) {
    auto pod = controlled_pod("p", uid);
    sharing.share(pod);
  }
  CHECK(sharing.size() == 1);  // started afresh at the third
}

TEST_CASE("the API server stores the pods of one controller with shared lists, across updates",
          "[apiserver][pod_spec_sharing]") {
  ApiFixture f;
  auto first = f.client->create(controlled_pod("web-1", "rc-uid"));
  REQUIRE(first.has_value());
  auto second = f.client->create(controlled_pod("web-2", "rc-uid"));
  REQUIRE(second.has_value());
  // The ServiceAccount admission added the same kube-api-access volume and mount to both.
  REQUIRE((*second)->spec.volumes.size() == 1);
  CHECK(shares_all(**first, **second));

  // A status update (the kubelet's) stores a new version that still shares them.
  auto next = **second;
  next.status.phase = "Running";
  auto updated = f.client->update_status(next);
  REQUIRE(updated.has_value());
  CHECK(shares_all(static_cast<const api::Pod&>(**updated), **first));
  auto got = f.client->get<api::Pod>("default", "web-2");
  REQUIRE(got.has_value());
  CHECK(shares_all(**got, **first));
  CHECK((*got)->status.phase == "Running");

  // A pod of another controller gets the same contents but not the same lists.
  auto other = f.client->create(controlled_pod("other", "other-uid"));
  REQUIRE(other.has_value());
  CHECK((*other)->spec.containers == (*first)->spec.containers);
  CHECK_FALSE((*other)->spec.containers.shares_with((*first)->spec.containers));
}
