#include "actors/kubelet/eviction.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "api/types/pod_util.hpp"
#include "api/types/taint_util.hpp"

namespace kactor::kubelet {
namespace {

constexpr std::array<std::string_view, 3> kConditions = {"MemoryPressure", "DiskPressure",
                                                          "PIDPressure"};

size_t condition_index(Signal s) {
  auto c = condition_of(s);
  return static_cast<size_t>(std::find(kConditions.begin(), kConditions.end(), c) -
                             kConditions.begin());
}

/// Memory first, then disk space, then inodes, then pids (upstream's byEvictionPriority puts
/// memory first).
int eviction_priority(Signal s) {
  switch (s) {
    case Signal::memory_available:
      return 0;
    case Signal::nodefs_available:
    case Signal::imagefs_available:
      return 1;
    case Signal::nodefs_inodes_free:
    case Signal::imagefs_inodes_free:
      return 2;
    default:
      return 3;
  }
}

int64_t request_of(const api::Container& c, std::string_view resource) {
  auto it = c.resources.requests.find(std::string(resource));
  return it == c.resources.requests.end() ? 0 : it->second.value();
}

std::string quantity_text(int64_t amount, std::string_view resource) {
  auto format = resource == "inodes" || resource == "pids" ? api::Quantity::Format::DecimalSI
                                                           : api::Quantity::Format::BinarySI;
  return api::Quantity::from_value(amount, format).to_string();
}

}  // namespace

Observations observe(const NodeSample& sample) {
  Observations out{};
  auto at = [&](Signal s) -> auto& { return out[static_cast<size_t>(s)]; };
  if (sample.memory_capacity_bytes > 0)
    at(Signal::memory_available) =
        Observation{static_cast<int64_t>(sample.memory_available_bytes()),
                    static_cast<int64_t>(sample.memory_capacity_bytes)};
  if (sample.disk_capacity_bytes > 0) {
    at(Signal::nodefs_available) = Observation{static_cast<int64_t>(sample.disk_available_bytes()),
                                               static_cast<int64_t>(sample.disk_capacity_bytes)};
    at(Signal::nodefs_inodes_free) = Observation{static_cast<int64_t>(sample.inodes_free()),
                                                 static_cast<int64_t>(sample.inodes())};
  }
  return out;
}

void rank_for_eviction(std::vector<EvictionCandidate>& candidates) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const EvictionCandidate& a, const EvictionCandidate& b) {
                     bool a_exceeds = a.usage > a.request, b_exceeds = b.usage > b.request;
                     if (a_exceeds != b_exceeds) return a_exceeds;
                     if (a.priority != b.priority) return a.priority < b.priority;
                     return a.usage - a.request > b.usage - b.request;
                   });
}

int64_t pod_request(const api::Pod& pod, std::string_view resource) {
  int64_t sum = 0, largest_init = 0;
  for (const auto& c : pod.spec.containers) sum += request_of(c, resource);
  for (const auto& c : pod.spec.init_containers) {
    if (c.restart_policy == "Always")
      sum += request_of(c, resource);
    else
      largest_init = std::max(largest_init, request_of(c, resource));
  }
  return std::max(sum, largest_init);
}

EvictionManager::EvictionManager(std::vector<Threshold> thresholds, Duration transition)
    : thresholds_(std::move(thresholds)), transition_(transition) {}

bool EvictionManager::has_condition(std::string_view type) const {
  return std::find(conditions_.begin(), conditions_.end(), type) != conditions_.end();
}

std::vector<Threshold> EvictionManager::met(const std::vector<Threshold>& candidates,
                                            bool enforce_min_reclaim) const {
  std::vector<Threshold> out;
  for (const auto& t : candidates) {
    const auto& observed = observations_[static_cast<size_t>(t.signal)];
    if (!observed) continue;
    auto quantity = t.value.amount(observed->capacity);
    if (enforce_min_reclaim && t.min_reclaim) quantity += t.min_reclaim->amount(observed->capacity);
    if (quantity > observed->available) out.push_back(t);
  }
  return out;
}

std::optional<Threshold> EvictionManager::synchronize(const NodeSample& sample) {
  const auto now = sample.time;
  observations_ = observe(sample);
  auto now_met = met(thresholds_, false);
  // A threshold acted on stays met until its minimum reclaim is available again.
  for (const auto& t : met(thresholds_met_, true))
    if (std::find(now_met.begin(), now_met.end(), t) == now_met.end()) now_met.push_back(t);

  std::vector<std::pair<Threshold, TimePoint>> first;
  for (const auto& t : now_met) {
    auto old = std::find_if(first_observed_.begin(), first_observed_.end(),
                            [&](const auto& e) { return e.first == t; });
    first.emplace_back(t, old == first_observed_.end() ? now : old->second);
    condition_last_observed_[condition_index(t.signal)] = now;
  }
  conditions_.clear();
  for (size_t i = 0; i < kConditions.size(); ++i)
    if (condition_last_observed_[i] && now - *condition_last_observed_[i] < transition_)
      conditions_.emplace_back(kConditions[i]);

  thresholds_met_.clear();
  for (const auto& [t, since] : first)
    if (now - since >= t.grace_period) thresholds_met_.push_back(t);
  first_observed_ = std::move(first);
  if (thresholds_met_.empty()) return std::nullopt;
  return *std::min_element(thresholds_met_.begin(), thresholds_met_.end(),
                           [](const Threshold& a, const Threshold& b) {
                             return eviction_priority(a.signal) < eviction_priority(b.signal);
                           });
}

std::optional<std::string> EvictionManager::refuse(const api::Pod& pod) const {
  if (conditions_.empty() || api::is_critical(pod)) return std::nullopt;
  if (conditions_.size() == 1 && conditions_.front() == "MemoryPressure") {
    if (api::qos_class(pod.spec) != "BestEffort") return std::nullopt;
    // A BestEffort pod that tolerates the memory-pressure taint is admitted all the same.
    api::Taint taint;
    taint.key = api::kTaintNodeMemoryPressure;
    taint.effect = api::kEffectNoSchedule;
    if (api::tolerated(pod.spec.tolerations, taint)) return std::nullopt;
  }
  std::string list;
  for (const auto& c : conditions_) list += (list.empty() ? "" : " ") + c;
  return fmt::format("The node had condition: [{}]. ", list);
}

std::string EvictionManager::eviction_message(std::string_view resource, const api::Pod& pod,
                                              const PodWorker& worker,
                                              const PodUsage& usage) const {
  auto message = fmt::format("The node was low on resource: {}. ", resource);
  for (const auto& t : thresholds_met_) {
    const auto& observed = observations_[static_cast<size_t>(t.signal)];
    if (resource_of(t.signal) != resource || !observed) continue;
    auto quantity = t.value.quantity ? t.value.quantity->to_string()
                                     : quantity_text(t.value.amount(observed->capacity), resource);
    message += fmt::format("Threshold quantity: {}, available: {}. ", quantity,
                           quantity_text(observed->available, resource));
    break;
  }
  // Only memory and ephemeral storage are measured per container.
  if (resource != "memory" && resource != "ephemeral-storage") return message;
  // The app containers, then the init containers, as upstream matches them.
  for (bool app : {true, false}) {
    for (size_t i = 0; i < worker.containers.size() && i < usage.containers.size(); ++i) {
      const auto& c = worker.containers[i];
      const auto& s = usage.containers[i];
      if (c.is_init() == app || !s.running) continue;
      const auto& spec = spec_of(pod, c);
      uint64_t used = resource == "memory" ? s.memory_bytes : s.disk_bytes;
      auto req = spec.resources.requests.find(std::string(resource));
      int64_t request = req == spec.resources.requests.end() ? 0 : req->second.value();
      if (static_cast<int64_t>(used) <= request) continue;
      message += fmt::format(
          "Container {} was using {}, request is {}, has larger consumption of {}. ", c.name,
          quantity_text(static_cast<int64_t>(used), resource),
          req == spec.resources.requests.end() ? "0" : req->second.to_string(), resource);
    }
  }
  return message;
}

}  // namespace kactor::kubelet
