#include "actors/controllers/node_health.hpp"

#include <algorithm>

#include "api/types/taint_util.hpp"

namespace kactor::actors::controllers {

namespace {

/// The conditions the kubelet owns and the controller turns Unknown (upstream's
/// nodeConditionTypes in tryUpdateNodeHealth).
constexpr const char* kKubeletConditions[] = {"Ready", "MemoryPressure", "DiskPressure",
                                              "PIDPressure"};

bool condition_true(const api::Node& node, const char* type) {
  const auto* c = node.status.condition(type);
  return c && c->status == "True";
}

}  // namespace

void observe(NodeHealth& health, bool first_seen, const api::Node& node, const api::Lease* lease,
             TimePoint now) {
  if (first_seen) health.probe = now;
  if (const auto* ready = node.status.condition("Ready")) {
    auto beat = ready->last_heartbeat_time.value;
    if (health.ready_heartbeat != beat) {
      health.probe = now;
      health.ready_heartbeat = beat;
    }
  }
  if (lease && lease->spec.renew_time) {
    auto renewed = lease->spec.renew_time->value;
    if (!health.lease_renewed || *health.lease_renewed < renewed) {
      health.probe = now;
      health.lease_renewed = renewed;
    }
  }
}

Duration grace_period(const api::Node& node, const NodeLifecycleOptions& options) {
  return node.status.condition("Ready") ? options.monitor_grace_period
                                        : options.startup_grace_period;
}

bool is_stale(const NodeHealth& health, const api::Node& node, const NodeLifecycleOptions& options,
              TimePoint now) {
  return now > health.probe + grace_period(node, options);
}

std::optional<api::NodeStatus> unknown_status(const api::Node& node, TimePoint now) {
  api::NodeStatus status = node.status;
  bool changed = false;
  for (const char* type : kKubeletConditions) {
    auto it = std::find_if(status.conditions.begin(), status.conditions.end(),
                           [&](const api::NodeCondition& c) { return c.type == type; });
    if (it == status.conditions.end()) {
      api::NodeCondition c;
      c.type = type;
      c.status = "Unknown";
      c.reason = "NodeStatusNeverUpdated";
      c.message = "Kubelet never posted node status.";
      c.last_heartbeat_time = node.metadata.creation_timestamp;
      c.last_transition_time = api::Time{now};
      status.conditions.push_back(std::move(c));
      changed = true;
    } else if (it->status != "Unknown") {
      it->status = "Unknown";
      it->reason = "NodeStatusUnknown";
      it->message = "Kubelet stopped posting node status.";
      it->last_transition_time = api::Time{now};
      changed = true;
    }
  }
  if (!changed) return std::nullopt;
  return status;
}

std::string ready_status(const api::Node& node) {
  const auto* c = node.status.condition("Ready");
  return c ? c->status : "Unknown";
}

std::vector<api::Taint> condition_taints(const api::Node& node) {
  std::vector<api::Taint> out;
  auto add = [&](const char* key) {
    api::Taint t;
    t.key = key;
    t.effect = api::kEffectNoSchedule;
    out.push_back(std::move(t));
  };
  auto ready = ready_status(node);
  if (ready == "False") add(api::kTaintNodeNotReady);
  if (ready == "Unknown" && node.status.condition("Ready")) add(api::kTaintNodeUnreachable);
  if (condition_true(node, "MemoryPressure")) add(api::kTaintNodeMemoryPressure);
  if (condition_true(node, "DiskPressure")) add(api::kTaintNodeDiskPressure);
  if (condition_true(node, "PIDPressure")) add(api::kTaintNodePIDPressure);
  if (condition_true(node, "NetworkUnavailable")) add(api::kTaintNodeNetworkUnavailable);
  if (node.spec.unschedulable) add(api::kTaintNodeUnschedulable);
  return out;
}

bool is_lifecycle_taint(const api::Taint& taint) {
  if (taint.effect == api::kEffectNoExecute)
    return taint.key == api::kTaintNodeNotReady || taint.key == api::kTaintNodeUnreachable;
  if (taint.effect != api::kEffectNoSchedule) return false;
  for (const char* key : {api::kTaintNodeNotReady, api::kTaintNodeUnreachable,
                          api::kTaintNodeMemoryPressure, api::kTaintNodeDiskPressure,
                          api::kTaintNodePIDPressure, api::kTaintNodeNetworkUnavailable,
                          api::kTaintNodeUnschedulable})
    if (taint.key == key) return true;
  return false;
}

std::vector<api::Taint> desired_taints(const api::Node& node,
                                       const std::vector<api::Taint>& no_schedule,
                                       const std::optional<api::Taint>& no_execute,
                                       TimePoint now) {
  std::vector<api::Taint> out;
  auto keep_or_add = [&](api::Taint t) {
    if (const auto* had = api::find_taint(node.spec.taints, t.key, t.effect)) {
      out.push_back(*had);
      return;
    }
    if (t.effect == api::kEffectNoExecute && !t.time_added) t.time_added = api::Time{now};
    out.push_back(std::move(t));
  };
  for (const auto& t : node.spec.taints) {
    if (!is_lifecycle_taint(t)) {
      out.push_back(t);
      continue;
    }
    // Ours that stay wanted keep their place (and timeAdded).
    bool wanted = std::any_of(no_schedule.begin(), no_schedule.end(),
                              [&](auto& w) { return w.key == t.key && w.effect == t.effect; }) ||
                  (no_execute && no_execute->key == t.key && no_execute->effect == t.effect);
    if (wanted) out.push_back(t);
  }
  auto present = [&](const api::Taint& t) {
    return api::find_taint(out, t.key, t.effect) != nullptr;
  };
  for (const auto& t : no_schedule)
    if (!present(t)) keep_or_add(t);
  if (no_execute && !present(*no_execute)) keep_or_add(*no_execute);
  return out;
}

std::string zone_key(const api::Node& node) {
  auto label = [&](const char* key, const char* legacy) -> std::string {
    auto& l = node.metadata.labels;
    if (auto it = l.find(key); it != l.end()) return it->second;
    if (auto it = l.find(legacy); it != l.end()) return it->second;
    return "";
  };
  auto region = label("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region");
  auto zone = label("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone");
  if (region.empty() && zone.empty()) return "";
  // Upstream joins them with ":\x00:" so that no region/zone pair can collide with another.
  return region + std::string(":\0:", 3) + zone;
}

const char* to_string(ZoneState s) {
  switch (s) {
    case ZoneState::initial: return "Initial";
    case ZoneState::normal: return "Normal";
    case ZoneState::partial_disruption: return "PartialDisruption";
    case ZoneState::full_disruption: return "FullDisruption";
  }
  return "?";
}

ZoneState zone_state(int ready, int not_ready, double unhealthy_zone_threshold) {
  if (ready == 0 && not_ready > 0) return ZoneState::full_disruption;
  if (not_ready > 2 &&
      static_cast<double>(not_ready) / static_cast<double>(not_ready + ready) >=
          unhealthy_zone_threshold)
    return ZoneState::partial_disruption;
  return ZoneState::normal;
}

double zone_rate(ZoneState state, int zone_size, const NodeLifecycleOptions& options) {
  switch (state) {
    case ZoneState::partial_disruption:
      return zone_size > options.large_cluster_size_threshold ? options.secondary_eviction_rate
                                                              : 0.0;
    case ZoneState::initial:
    case ZoneState::normal:
    case ZoneState::full_disruption: return options.eviction_rate;
  }
  return options.eviction_rate;
}

}  // namespace kactor::actors::controllers
