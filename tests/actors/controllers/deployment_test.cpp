// The Deployment controller against a real API server, with the ReplicaSet controller; the
// test plays the scheduler and the kubelet (binding, Ready, finishing graceful deletions).
#include <algorithm>

#include "actors/controllers/deployment_revision.hpp"
#include "api/types/pod_util.hpp"
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
namespace dep = kactor::actors::controllers::deployment;

namespace {

api::PodTemplateSpec web_template(const std::string& image) {
  api::PodTemplateSpec t;
  t.metadata.labels = {{"app", "web"}};
  t.spec = make_pod("default", "x").spec;
  t.spec.containers[0].image = image;
  return t;
}

api::Deployment web(int replicas, const std::string& image) {
  api::Deployment d;
  d.metadata.namespace_ = "default";
  d.metadata.name = "web";
  d.spec.replicas = replicas;
  d.spec.selector = api::LabelSelector{{{"app", "web"}}, {}};
  d.spec.template_ = web_template(image);
  return d;
}

/// Does what the scheduler and a kubelet would: binds new pods, makes bound ones Ready, and
/// ends graceful deletions.
void play_nodes(ControllerFixture& f) {
  for (auto& p : f.list<api::Pod>("default")) {
    if (p->metadata.deletion_timestamp) {
      client::DeleteOptions now;
      now.grace_period_seconds = 0;
      (void)f.client->remove(api::Pod::static_type(), "default", p->metadata.name, now);
    } else if (p->spec.node_name.empty()) {
      (void)f.client->bind("default", p->metadata.name, "node-1");
    } else if (!api::is_ready(*p)) {
      // The controllers may delete or change the pod meanwhile: the next round retries.
      (void)try_set_pod_running(*f.client, *p, "10.0.0.1", true, f.clock.now());
    }
  }
}

std::shared_ptr<const api::ReplicaSet> rs_with_image(ControllerFixture& f, const std::string& image) {
  for (auto& rs : f.list<api::ReplicaSet>("default"))
    if (rs->spec.template_.spec.containers[0].image == image) return rs;
  return nullptr;
}

bool complete(ControllerFixture& f, int replicas) {
  auto d = f.client->get<api::Deployment>("default", "web");
  if (!d) return false;
  auto& s = (*d)->status;
  return s.observed_generation == (*d)->metadata.generation && s.updated_replicas == replicas &&
         s.replicas == replicas && s.available_replicas == replicas;
}

}  // namespace

TEST_CASE("a Deployment adopts a matching orphan ReplicaSet, rolls past it and trims it",
          "[controllers][deployment]") {
  ControllerFixture f({"deployment", "replicaset"});
  f.start();
  api::ReplicaSet orphan;
  orphan.metadata.namespace_ = "default";
  orphan.metadata.name = "web-orphan";
  orphan.metadata.labels = {{"app", "web"}};
  orphan.spec.replicas = 1;
  orphan.spec.selector = api::LabelSelector{{{"app", "web"}}, {}};
  orphan.spec.template_ = web_template("nginx:1.14.2");
  REQUIRE(f.client->create(orphan).has_value());
  auto d = web(2, "nginx:1.16.1");
  d.spec.revision_history_limit = 0;
  auto created = f.client->create(d);
  REQUIRE(created.has_value());
  const auto uid = (*created)->metadata.uid;

  // Adopted: owned by the Deployment, as a controller that blocks its owner's deletion.
  REQUIRE(f.wait_until([&] {
    auto rs = f.client->get<api::ReplicaSet>("default", "web-orphan");
    auto* ref = rs ? (*rs)->metadata.controller_ref() : nullptr;
    return ref && ref->uid == uid;
  }));
  auto adopted = f.client->get<api::ReplicaSet>("default", "web-orphan");
  auto* ref = (*adopted)->metadata.controller_ref();
  CHECK(ref->kind == "Deployment");
  CHECK(ref->block_owner_deletion == std::optional<bool>(true));

  // Rolled out to a ReplicaSet of its own; the orphan (history limit 0) is deleted.
  REQUIRE(f.wait_until([&] {
    play_nodes(f);
    auto orphan_now = f.client->get<api::ReplicaSet>("default", "web-orphan");
    return complete(f, 2) && !orphan_now && api::is_not_found(orphan_now.error());
  }));
  auto mine = rs_with_image(f, "nginx:1.16.1");
  REQUIRE(mine);
  auto hash = mine->metadata.labels.at(dep::kPodTemplateHashLabel);
  CHECK(mine->metadata.name == "web-" + hash);
  CHECK(mine->metadata.annotations.at(dep::kRevisionAnnotation) == "1");
  CHECK(mine->metadata.annotations.at(dep::kDesiredReplicasAnnotation) == "2");
  // The orphan's pods may still be finishing their deletion: wait until only the new
  // ReplicaSet's pods are left.
  CHECK(f.wait_until([&] {
    play_nodes(f);
    auto pods = f.list<api::Pod>("default");
    return std::all_of(pods.begin(), pods.end(), [&](auto& p) {
      auto it = p->metadata.labels.find(std::string(dep::kPodTemplateHashLabel));
      return it != p->metadata.labels.end() && it->second == hash;
    });
  }));
  auto events = f.list<api::Event>("default");
  CHECK(std::any_of(events.begin(), events.end(), [&](auto& e) {
    return e->reason == "ScalingReplicaSet" && e->involved_object.name == "web" &&
           e->message == "Scaled up replica set " + mine->metadata.name + " from 0 to 2" &&
           e->source.component == "deployment-controller";
  }));
}

TEST_CASE("Recreate starts no new pod while an old one is left", "[controllers][deployment]") {
  ControllerFixture f({"deployment", "replicaset"});
  f.start();
  auto d = web(3, "nginx:1.14.2");
  d.spec.strategy.type = "Recreate";
  REQUIRE(f.client->create(d).has_value());
  REQUIRE(f.wait_until([&] {
    play_nodes(f);
    return complete(f, 3);
  }));
  auto old = rs_with_image(f, "nginx:1.14.2");
  REQUIRE(old);
  for (int attempt = 0;; ++attempt) {
    REQUIRE(attempt < 20);
    auto cur = f.client->get<api::Deployment>("default", "web");
    auto copy = **cur;
    copy.spec.template_.spec.containers[0].image = "nginx:1.16.1";
    if (f.client->update(copy)) break;
  }
  bool overlap = false;
  REQUIRE(f.wait_until([&] {
    bool old_pods = false, new_pods = false;
    for (auto& p : f.list<api::Pod>("default")) {
      auto* ref = p->metadata.controller_ref();
      (ref && ref->uid == old->metadata.uid ? old_pods : new_pods) = true;
    }
    overlap = overlap || (old_pods && new_pods);
    play_nodes(f);
    return complete(f, 3);
  }));
  CHECK_FALSE(overlap);
  auto fresh = rs_with_image(f, "nginx:1.16.1");
  REQUIRE(fresh);
  CHECK(fresh->metadata.annotations.at(dep::kRevisionAnnotation) == "2");
  CHECK(*rs_with_image(f, "nginx:1.14.2")->spec.replicas == 0);
}
