// Pod and PodSpec defaulting (api/defaults/pod_defaults.cpp).
#include "api/defaults/pod_defaults.hpp"
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("pod defaults as the API server fills them", "[defaults]") {
  auto obj = load(pod_json(R"({"containers":[
      {"name":"a","image":"nginx","ports":[{"containerPort":80}],
       "resources":{"limits":{"cpu":"1"}},
       "livenessProbe":{"httpGet":{"port":80}}},
      {"name":"b","image":"nginx:1.25"},
      {"name":"c","image":"registry:5000/app"},
      {"name":"d","image":"nginx@sha256:abcd"},
      {"name":"e","image":"nginx:latest","imagePullPolicy":"Never"}],
    "volumes":[{"name":"scratch"}]})"));
  obj->type().set_defaults(*obj);
  const Pod& p = *as<Pod>(*obj);
  CHECK(p.spec.restart_policy == "Always");
  CHECK(p.spec.termination_grace_period_seconds == 30);
  CHECK(p.spec.dns_policy == "ClusterFirst");
  CHECK(p.spec.scheduler_name == "default-scheduler");
  CHECK(p.spec.preemption_policy.empty());  // the Priority admission's business
  CHECK(p.status.phase == "Pending");
  const auto& a = p.spec.containers[0];
  CHECK(a.ports[0].protocol == "TCP");
  CHECK(a.termination_message_path == "/dev/termination-log");
  CHECK(a.termination_message_policy == "File");
  CHECK(a.resources.requests.at("cpu") == Quantity::parse("1").value());
  const Probe& probe = *a.liveness_probe;
  CHECK(probe.timeout_seconds == 1);
  CHECK(probe.period_seconds == 10);
  CHECK(probe.success_threshold == 1);
  CHECK(probe.failure_threshold == 3);
  CHECK(probe.http_get->path == "/");
  CHECK(probe.http_get->scheme == "HTTP");
  CHECK(p.spec.containers[0].image_pull_policy == "Always");
  CHECK(p.spec.containers[1].image_pull_policy == "IfNotPresent");
  CHECK(p.spec.containers[2].image_pull_policy == "Always");
  CHECK(p.spec.containers[3].image_pull_policy == "IfNotPresent");
  CHECK(p.spec.containers[4].image_pull_policy == "Never");
  CHECK(p.spec.volumes[0].empty_dir.has_value());
  CHECK(default_image_pull_policy("localhost:5000/x:latest") == "Always");
  CHECK(default_image_pull_policy("localhost:5000/x:v1") == "IfNotPresent");
}
