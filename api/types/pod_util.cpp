#include "api/types/pod_util.hpp"

#include <map>

#include "api/quantity/quantity.hpp"

namespace kactor::api {

bool is_terminal_phase(std::string_view phase) {
  return phase == "Succeeded" || phase == "Failed";
}

bool is_terminal(const Pod& pod) {
  return is_terminal_phase(pod.status.phase);
}

bool is_active(const Pod& pod) {
  return !is_terminal(pod) && !pod.metadata.deletion_timestamp;
}

bool is_ready(const Pod& pod) {
  const auto* c = pod.status.condition("Ready");
  return c && c->status == "True";
}

bool is_available(const Pod& pod, int32_t min_ready_seconds, TimePoint now) {
  const auto* c = pod.status.condition("Ready");
  if (!c || c->status != "True") return false;
  if (min_ready_seconds <= 0) return true;
  return c->last_transition_time.value + std::chrono::seconds(min_ready_seconds) <= now;
}

std::string qos_class(const PodSpec& spec) {
  static constexpr const char* kComputeResources[] = {"cpu", "memory"};
  std::map<std::string, Quantity> requests, limits;
  bool guaranteed = true;
  auto add = [](std::map<std::string, Quantity>& sum, const std::string& name, const Quantity& q) {
    auto [it, fresh] = sum.try_emplace(name, q);
    if (!fresh) it->second = it->second + q;
  };
  auto visit = [&](const Container& c) {
    int limited = 0;
    for (const char* r : kComputeResources) {
      if (auto it = c.resources.requests.find(r);
          it != c.resources.requests.end() && it->second.sign() > 0)
        add(requests, r, it->second);
      if (auto it = c.resources.limits.find(r);
          it != c.resources.limits.end() && it->second.sign() > 0) {
        add(limits, r, it->second);
        ++limited;
      }
    }
    if (limited != static_cast<int>(std::size(kComputeResources))) guaranteed = false;
  };
  for (const auto& c : spec.init_containers) visit(c);
  for (const auto& c : spec.containers) visit(c);
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (guaranteed) {
    for (const auto& [name, req] : requests) {
      auto lim = limits.find(name);
      if (lim == limits.end() || lim->second != req) guaranteed = false;
    }
  }
  if (guaranteed && requests.size() == limits.size()) return "Guaranteed";
  return "Burstable";
}

bool is_critical(const Pod& pod) {
  return pod.spec.priority.value_or(0) >= kSystemCriticalPriority;
}

}  // namespace kactor::api
