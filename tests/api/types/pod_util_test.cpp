// Pod predicates and the QoS class, as upstream's podutil and GetPodQOS define them.
#include <catch2/catch.hpp>

#include "api/testing/builders.hpp"
#include "api/types/pod_util.hpp"

using namespace kactor;
using namespace kactor::api;
using kactor::api::testing::qty;

namespace {

Container with(std::map<std::string, const char*> requests,
               std::map<std::string, const char*> limits) {
  Container c;
  c.name = "c";
  for (auto& [k, v] : requests) c.resources.requests[k] = qty(v);
  for (auto& [k, v] : limits) c.resources.limits[k] = qty(v);
  return c;
}

PodSpec spec_of(std::vector<Container> containers, std::vector<Container> init = {}) {
  PodSpec s;
  s.containers = std::move(containers);
  s.init_containers = std::move(init);
  return s;
}

}  // namespace

TEST_CASE("QoS: no requests or limits at all is BestEffort", "[api][pod-util]") {
  CHECK(qos_class(spec_of({with({}, {})})) == "BestEffort");
  // Resources other than cpu and memory do not count, nor do zero quantities.
  CHECK(qos_class(spec_of({with({{"ephemeral-storage", "1Gi"}}, {})})) == "BestEffort");
  CHECK(qos_class(spec_of({with({{"cpu", "0"}}, {{"memory", "0"}})})) == "BestEffort");
}

TEST_CASE("QoS: cpu and memory limits equal to requests in every container is Guaranteed",
          "[api][pod-util]") {
  auto g = with({{"cpu", "100m"}, {"memory", "64Mi"}}, {{"cpu", "100m"}, {"memory", "64Mi"}});
  CHECK(qos_class(spec_of({g, g})) == "Guaranteed");
  CHECK(qos_class(spec_of({g}, {g})) == "Guaranteed");
}

TEST_CASE("QoS: anything in between is Burstable", "[api][pod-util]") {
  auto g = with({{"cpu", "100m"}, {"memory", "64Mi"}}, {{"cpu", "100m"}, {"memory", "64Mi"}});
  CHECK(qos_class(spec_of({with({{"cpu", "100m"}}, {})})) == "Burstable");
  // A limit on cpu only: memory is unlimited.
  CHECK(qos_class(spec_of({with({{"cpu", "1"}}, {{"cpu", "1"}})})) == "Burstable");
  // Requests below limits.
  CHECK(qos_class(spec_of({with({{"cpu", "100m"}, {"memory", "32Mi"}},
                                {{"cpu", "100m"}, {"memory", "64Mi"}})})) == "Burstable");
  // One container without limits spoils a Guaranteed pod, init containers included.
  CHECK(qos_class(spec_of({g, with({}, {})})) == "Burstable");
  CHECK(qos_class(spec_of({g}, {with({{"cpu", "1"}}, {})})) == "Burstable");
  // Limits without requests are not Guaranteed by themselves: the API server's defaulting
  // copies limits into requests before it computes the class.
  CHECK(qos_class(spec_of({with({}, {{"cpu", "1"}, {"memory", "1Gi"}})})) == "Burstable");
}

TEST_CASE("pod predicates: terminal, active, ready, available", "[api][pod-util]") {
  auto pod = testing::make_pod("default", "p");
  CHECK_FALSE(is_terminal(pod));
  CHECK(is_active(pod));
  for (const char* phase : {"Succeeded", "Failed"}) {
    pod.status.phase = phase;
    CHECK(is_terminal(pod));
    CHECK_FALSE(is_active(pod));
  }
  pod.status.phase = "Running";
  pod.metadata.deletion_timestamp = Time{TimePoint{}};
  CHECK_FALSE(is_active(pod));

  CHECK_FALSE(is_ready(pod));
  PodCondition ready;
  ready.type = "Ready";
  ready.status = "True";
  ready.last_transition_time = Time{TimePoint(std::chrono::seconds(100))};
  pod.status.conditions.push_back(ready);
  CHECK(is_ready(pod));
  CHECK(is_available(pod, 0, TimePoint(std::chrono::seconds(100))));
  CHECK_FALSE(is_available(pod, 10, TimePoint(std::chrono::seconds(109))));
  CHECK(is_available(pod, 10, TimePoint(std::chrono::seconds(110))));
}
