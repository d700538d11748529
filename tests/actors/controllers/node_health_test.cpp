// The node lifecycle controller's decisions, alone: heartbeats noticed, staleness, the
// Unknown status, condition taints, zone states and rates (upstream's numbers).
#include <catch2/catch.hpp>

#include "actors/controllers/node_health.hpp"
#include "api/types/taint_util.hpp"

using namespace kactor;
using namespace kactor::actors::controllers;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 = TimePoint{} + std::chrono::hours(24 * 365 * 56);

api::Node node_with(std::vector<std::pair<std::string, std::string>> conditions,
                    TimePoint heartbeat = t0) {
  api::Node n;
  n.metadata.name = "n1";
  n.metadata.creation_timestamp = api::Time{t0 - 1h};
  for (auto& [type, status] : conditions) {
    api::NodeCondition c;
    c.type = type;
    c.status = status;
    c.last_heartbeat_time = api::Time{heartbeat};
    c.last_transition_time = api::Time{t0 - 1h};
    n.status.conditions.push_back(c);
  }
  return n;
}

api::Lease lease_renewed(TimePoint at) {
  api::Lease l;
  l.spec.renew_time = api::MicroTime{at};
  return l;
}

}  // namespace

TEST_CASE("node health: a heartbeat (status or Lease) restarts the grace period", "[nodelifecycle]") {
  NodeLifecycleOptions opts;  // grace 50 s, startup grace 60 s
  auto node = node_with({{"Ready", "True"}});
  NodeHealth h;
  auto lease = lease_renewed(t0);
  observe(h, true, node, &lease, t0);
  CHECK_FALSE(is_stale(h, node, opts, t0 + 50s));
  CHECK(is_stale(h, node, opts, t0 + 51s));

  // Nothing new at +30 s: the grace period still counts from t0.
  observe(h, false, node, &lease, t0 + 30s);
  CHECK(is_stale(h, node, opts, t0 + 51s));
  // A renewed Lease at +40 s (the kubelet's own timestamp does not matter, only that it moved).
  auto renewed = lease_renewed(t0 + 1s);
  observe(h, false, node, &renewed, t0 + 40s);
  CHECK_FALSE(is_stale(h, node, opts, t0 + 90s));
  CHECK(is_stale(h, node, opts, t0 + 91s));
  // A new status heartbeat at +100 s.
  auto posted = node_with({{"Ready", "True"}}, t0 + 100s);
  observe(h, false, posted, &renewed, t0 + 100s);
  CHECK_FALSE(is_stale(h, posted, opts, t0 + 150s));

  // A node that never posted Ready has the startup grace period.
  auto silent = node_with({});
  NodeHealth s;
  observe(s, true, silent, nullptr, t0);
  CHECK_FALSE(is_stale(s, silent, opts, t0 + 60s));
  CHECK(is_stale(s, silent, opts, t0 + 61s));
}

TEST_CASE("node health: a stale node's kubelet conditions become Unknown", "[nodelifecycle]") {
  auto node = node_with({{"Ready", "True"}, {"MemoryPressure", "False"}, {"NetworkUnavailable", "False"}});
  auto status = unknown_status(node, t0);
  REQUIRE(status.has_value());
  const auto* ready = status->condition("Ready");
  REQUIRE(ready);
  CHECK(ready->status == "Unknown");
  CHECK(ready->reason == "NodeStatusUnknown");
  CHECK(ready->message == "Kubelet stopped posting node status.");
  CHECK(ready->last_transition_time == api::Time{t0});
  CHECK(ready->last_heartbeat_time == api::Time{t0});  // kept: the kubelet's last heartbeat
  CHECK(status->condition("MemoryPressure")->status == "Unknown");
  // Never posted: added as never updated.
  const auto* disk = status->condition("DiskPressure");
  REQUIRE(disk);
  CHECK(disk->status == "Unknown");
  CHECK(disk->reason == "NodeStatusNeverUpdated");
  CHECK(disk->message == "Kubelet never posted node status.");
  REQUIRE(status->condition("PIDPressure"));
  // Not the kubelet's: left alone.
  CHECK(status->condition("NetworkUnavailable")->status == "False");

  // Already Unknown: nothing to write.
  api::Node unknown = node;
  unknown.status = *status;
  CHECK_FALSE(unknown_status(unknown, t0 + 5s).has_value());
}

TEST_CASE("node health: conditions and cordoning call for NoSchedule taints", "[nodelifecycle]") {
  auto keys = [](const api::Node& n) {
    std::vector<std::string> out;
    for (auto& t : condition_taints(n)) {
      CHECK(t.effect == "NoSchedule");
      out.push_back(t.key);
    }
    return out;
  };
  CHECK(keys(node_with({{"Ready", "True"}})).empty());
  CHECK(keys(node_with({{"Ready", "False"}})) ==
        std::vector<std::string>{api::kTaintNodeNotReady});
  CHECK(keys(node_with({{"Ready", "Unknown"}})) ==
        std::vector<std::string>{api::kTaintNodeUnreachable});
  CHECK(keys(node_with({})).empty());  // never posted: no taint yet
  auto pressured = node_with({{"Ready", "True"},
                              {"MemoryPressure", "True"},
                              {"DiskPressure", "True"},
                              {"PIDPressure", "True"},
                              {"NetworkUnavailable", "True"}});
  pressured.spec.unschedulable = true;
  CHECK(keys(pressured) ==
        std::vector<std::string>{api::kTaintNodeMemoryPressure, api::kTaintNodeDiskPressure,
                                 api::kTaintNodePIDPressure, api::kTaintNodeNetworkUnavailable,
                                 api::kTaintNodeUnschedulable});
}

TEST_CASE("node health: desired taints keep others' taints and existing timeAdded", "[nodelifecycle]") {
  auto node = node_with({{"Ready", "Unknown"}});
  api::Taint mine{.key = "example.com/dedicated", .value = "db", .effect = "NoSchedule"};
  api::Taint old_not_ready{.key = api::kTaintNodeNotReady, .effect = "NoSchedule"};
  api::Taint unreachable_exec{.key = api::kTaintNodeUnreachable,
                              .effect = "NoExecute",
                              .time_added = api::Time{t0 - 30s}};
  node.spec.taints = {mine, old_not_ready, unreachable_exec};
  auto want = desired_taints(node, condition_taints(node),
                             api::Taint{.key = api::kTaintNodeUnreachable, .effect = "NoExecute"}, t0);
  REQUIRE(want.size() == 3);
  CHECK(want[0] == mine);
  CHECK(want[1] == unreachable_exec);  // kept with its timeAdded
  CHECK(want[2].key == api::kTaintNodeUnreachable);
  CHECK(want[2].effect == "NoSchedule");
  CHECK_FALSE(want[2].time_added.has_value());

  // Back to Ready: only the others' taints remain.
  auto ready = node_with({{"Ready", "True"}});
  ready.spec.taints = want;
  CHECK(desired_taints(ready, condition_taints(ready), std::nullopt, t0) ==
        std::vector<api::Taint>{mine});
  // A new NoExecute taint gets the time it was added.
  auto added = desired_taints(ready, {}, api::Taint{.key = api::kTaintNodeNotReady, .effect = "NoExecute"}, t0);
  REQUIRE(added.size() == 2);
  CHECK(added[1].time_added == api::Time{t0});
}

TEST_CASE("node health: zone states and tainting rates follow upstream's thresholds", "[nodelifecycle]") {
  NodeLifecycleOptions opts;
  CHECK(zone_state(3, 0, 0.55) == ZoneState::normal);
  CHECK(zone_state(0, 3, 0.55) == ZoneState::full_disruption);
  CHECK(zone_state(0, 0, 0.55) == ZoneState::normal);
  CHECK(zone_state(1, 2, 0.55) == ZoneState::normal);  // not more than 2 down
  CHECK(zone_state(2, 3, 0.55) == ZoneState::partial_disruption);  // 60 %
  CHECK(zone_state(3, 3, 0.55) == ZoneState::normal);              // 50 %
  CHECK(zone_rate(ZoneState::normal, 10, opts) == 0.1);
  CHECK(zone_rate(ZoneState::full_disruption, 10, opts) == 0.1);
  CHECK(zone_rate(ZoneState::partial_disruption, 10, opts) == 0.0);   // small zone: stop
  CHECK(zone_rate(ZoneState::partial_disruption, 51, opts) == 0.01);  // large: slow down

  api::Node n;
  CHECK(zone_key(n).empty());
  n.metadata.labels["topology.kubernetes.io/zone"] = "a";
  auto a = zone_key(n);
  n.metadata.labels["topology.kubernetes.io/region"] = "r";
  CHECK(zone_key(n) != a);
}
