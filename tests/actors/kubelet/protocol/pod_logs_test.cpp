// Which container instance a log request reads (pod_log_container), and the 400s worded as
// kube-apiserver's and the kubelet's.
#include <catch2/catch.hpp>

#include "actors/kubelet/protocol/pod_logs.hpp"
#include "api/testing/builders.hpp"

using namespace kactor;
using namespace kactor::kubelet;

namespace {

api::Pod two_containers() {
  auto p = api::testing::make_pod("default", "p");
  p.spec.containers = {api::Container{.name = "a", .image = "x"},
                       api::Container{.name = "b", .image = "x"}};
  return p;
}

std::string error_of(const api::Result<LogTarget>& r) {
  REQUIRE_FALSE(r);
  CHECK(r.error().code == 400);
  CHECK(r.error().reason == "BadRequest");
  return r.error().message;
}

api::ContainerStatus running(const std::string& name, const std::string& id) {
  api::ContainerStatus s;
  s.name = name;
  s.container_id = id;
  s.state.running = api::ContainerStateRunning{};
  return s;
}

}  // namespace

TEST_CASE("a pod with several containers needs one named", "[kubelet][kubelet-logs]") {
  auto p = two_containers();
  CHECK(error_of(pod_log_container(p, {})) ==
        "a container name must be specified for pod p, choose one of: [a b]");
  p.spec.init_containers = {api::Container{.name = "init", .image = "x"}};
  CHECK(error_of(pod_log_container(p, {})) ==
        "a container name must be specified for pod p, choose one of: [a b] or one of the init "
        "containers: [init]");
  CHECK(error_of(pod_log_container(p, {.container = "c"})) == "container c is not valid for pod p");
}

TEST_CASE("a container that has not run has no log yet", "[kubelet][kubelet-logs]") {
  auto p = api::testing::make_pod("default", "p");
  const auto c = p.spec.containers.front().name;
  // Not on a node yet: no status at all.
  CHECK(error_of(pod_log_container(p, {})) ==
        "container \"" + c + "\" in pod \"p\" is waiting to start: ContainerCreating");
  api::ContainerStatus waiting;
  waiting.name = c;
  waiting.state.waiting = api::ContainerStateWaiting{"ContainerCreating", ""};
  p.status.container_statuses = {waiting};
  CHECK(error_of(pod_log_container(p, {})) ==
        "container \"" + c + "\" in pod \"p\" is waiting to start: ContainerCreating");
  p.status.container_statuses[0].state.waiting->reason = "ErrImagePull";
  CHECK(error_of(pod_log_container(p, {})) ==
        "container \"" + c + "\" in pod \"p\" is waiting to start: image can't be pulled");
  CHECK(error_of(pod_log_container(p, {.previous = true})) ==
        "previous terminated container \"" + c + "\" in pod \"p\" not found");
}

TEST_CASE("the running instance, the last one that ran, or with previous the one before",
          "[kubelet][kubelet-logs]") {
  auto p = two_containers();
  p.status.container_statuses = {running("a", "sim://a-2"), running("b", "sim://b-1")};
  auto r = pod_log_container(p, {.container = "a"});
  REQUIRE(r);
  CHECK(r->container == "a");
  CHECK(r->container_id == "sim://a-2");
  CHECK(error_of(pod_log_container(p, {.container = "a", .previous = true})) ==
        "previous terminated container \"a\" in pod \"p\" not found");
  api::ContainerStateTerminated crashed;
  crashed.container_id = "sim://a-1";
  crashed.exit_code = 1;
  p.status.container_statuses[0].last_state.terminated = crashed;
  r = pod_log_container(p, {.container = "a", .previous = true});
  REQUIRE(r);
  CHECK(r->container_id == "sim://a-1");
  // In CrashLoopBackOff the current log is the crashed instance's (lastState).
  p.status.container_statuses[0].state = api::ContainerState{};
  p.status.container_statuses[0].state.waiting = api::ContainerStateWaiting{"CrashLoopBackOff", ""};
  r = pod_log_container(p, {.container = "a"});
  REQUIRE(r);
  CHECK(r->container_id == "sim://a-1");
}
