// ServiceAccount admission (actors/apiserver/admission/service_account.cpp): the default
// account, refusal of a missing one, and the kube-api-access-<suffix> projected volume.
#include <nlohmann/json.hpp>

#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

constexpr const char* kMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

std::shared_ptr<const api::Pod> create_pod(ApiFixture& f, const api::Pod& pod) {
  auto created = f.client->create(pod);
  REQUIRE(created.has_value());
  return *created;
}

api::ServiceAccount account(const std::string& ns, const std::string& name,
                            std::optional<bool> automount = std::nullopt) {
  api::ServiceAccount sa;
  sa.metadata.namespace_ = ns;
  sa.metadata.name = name;
  sa.automount_service_account_token = automount;
  return sa;
}

}  // namespace

TEST_CASE("a pod without a service account runs as default, with its token mounted everywhere",
          "[apiserver][admission][serviceaccount]") {
  ApiFixture f;
  auto pod = make_pod("default", "web");
  api::Container init;
  init.name = "init";
  init.image = "busybox";
  pod.spec.init_containers.push_back(init);
  auto created = create_pod(f, pod);
  CHECK(created->spec.service_account_name == "default");
  CHECK(created->spec.service_account == "default");

  REQUIRE(created->spec.volumes.size() == 1);
  const auto& volume = created->spec.volumes[0];
  CHECK(volume.name.starts_with("kube-api-access-"));
  CHECK(volume.name.size() == std::string("kube-api-access-").size() + 5);
  auto projected = nlohmann::json::parse(volume.opaque.projected.text());
  CHECK(projected["defaultMode"] == 420);
  CHECK(projected["sources"][0]["serviceAccountToken"] ==
        nlohmann::json({{"expirationSeconds", 3607}, {"path", "token"}}));
  CHECK(projected["sources"][1]["configMap"]["name"] == "kube-root-ca.crt");
  CHECK(projected["sources"][1]["configMap"]["items"][0] ==
        nlohmann::json({{"key", "ca.crt"}, {"path", "ca.crt"}}));
  CHECK(projected["sources"][2]["downwardAPI"]["items"][0]["fieldRef"]["fieldPath"] ==
        "metadata.namespace");

  for (const std::vector<api::Container>* containers :
       {&created->spec.containers.get(), &created->spec.init_containers}) {
    for (const auto& c : *containers) {
      INFO(c.name);
      REQUIRE(c.volume_mounts.size() == 1);
      CHECK(c.volume_mounts[0].name == volume.name);
      CHECK(c.volume_mounts[0].mount_path == kMountPath);
      CHECK(c.volume_mounts[0].read_only);
    }
  }

  // The suffix is drawn per account, not per pod (service_account.cpp: so that the pods of
  // one template stay alike and share their lists): another pod of the account gets the same
  // name, a pod of another account its own.
  CHECK(create_pod(f, make_pod("default", "web-2"))->spec.volumes.at(0).name == volume.name);
  REQUIRE(f.client->create(account("default", "robot")).has_value());
  auto robot = make_pod("default", "robot-pod");
  robot.spec.service_account_name = "robot";
  const auto robot_volume = create_pod(f, robot)->spec.volumes.at(0).name;
  CHECK(robot_volume.starts_with("kube-api-access-"));
  CHECK(robot_volume != volume.name);
}

TEST_CASE("a pod naming a missing service account is refused as upstream",
          "[apiserver][admission][serviceaccount]") {
  ApiFixture f;
  auto pod = make_pod("default", "web");
  pod.spec.service_account_name = "robot";
  auto refused = f.client->create(pod);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().reason == "Forbidden");
  CHECK(refused.error().message ==
        "pods \"web\" is forbidden: error looking up service account default/robot: "
        "serviceaccount \"robot\" not found");

  REQUIRE(f.client->create(account("default", "robot")).has_value());
  auto admitted = create_pod(f, pod);
  CHECK(admitted->spec.service_account_name == "robot");
  CHECK(admitted->spec.service_account == "robot");
}

TEST_CASE("automountServiceAccountToken false on the account or the pod mounts nothing, the "
          "pod's setting wins",
          "[apiserver][admission][serviceaccount]") {
  ApiFixture f;
  REQUIRE(f.client->create(account("default", "quiet", false)).has_value());
  auto pod = make_pod("default", "a");
  pod.spec.service_account_name = "quiet";
  auto quiet = create_pod(f, pod);
  CHECK(quiet->spec.volumes.empty());
  CHECK(quiet->spec.containers[0].volume_mounts.empty());

  pod.metadata.name = "b";
  pod.spec.automount_service_account_token = true;
  CHECK(create_pod(f, pod)->spec.volumes.size() == 1);

  auto opted_out = make_pod("default", "c");
  opted_out.spec.automount_service_account_token = false;
  auto c = create_pod(f, opted_out);
  CHECK(c->spec.volumes.empty());
  CHECK(c->spec.service_account_name == "default");
}

TEST_CASE("a container with something at the token path keeps it, and mirror pods are exempt",
          "[apiserver][admission][serviceaccount]") {
  ApiFixture f;
  auto pod = make_pod("default", "own-mount");
  api::Volume own;
  own.name = "mine";
  own.empty_dir = api::EmptyDirVolumeSource{};
  pod.spec.volumes.push_back(own);
  api::VolumeMount m;
  m.name = "mine";
  m.mount_path = kMountPath;
  pod.spec.containers[0].volume_mounts.push_back(m);
  auto created = create_pod(f, pod);
  // Every container already has a mount there: no token volume is needed.
  CHECK(created->spec.volumes.size() == 1);
  CHECK(created->spec.containers[0].volume_mounts.size() == 1);

  auto mirror = make_pod("default", "static-web");
  mirror.metadata.annotations["kubernetes.io/config.mirror"] = "abc";
  auto mirrored = create_pod(f, mirror);
  CHECK(mirrored->spec.volumes.empty());
  CHECK(mirrored->spec.service_account_name.empty());
  mirror.metadata.name = "static-robot";
  mirror.spec.service_account_name = "default";
  auto refused = f.client->create(mirror);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message ==
        "pods \"static-robot\" is forbidden: a mirror pod may not reference service accounts");
}

TEST_CASE("a namespace comes with its default service account, so pods can follow at once",
          "[apiserver][admission][serviceaccount]") {
  ApiFixture f;
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"})
    CHECK(f.client->get<api::ServiceAccount>(ns, "default").has_value());
  REQUIRE(f.client->create(make_namespace("team-a")).has_value());
  auto sa = f.client->get<api::ServiceAccount>("team-a", "default");
  REQUIRE(sa.has_value());
  CHECK_FALSE((*sa)->metadata.uid.empty());
  CHECK(f.client->create(make_pod("team-a", "web")).has_value());
  // A dry run creates nothing, the account included.
  REQUIRE(f.client->create(make_namespace("team-b"), /*dry_run=*/true).has_value());
  CHECK_FALSE(f.client->get<api::ServiceAccount>("team-b", "default").has_value());
}
