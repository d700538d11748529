#include "actors/common/busy.hpp"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace kactor::actors {
namespace {

struct Known {
  std::mutex mutex;
  std::deque<std::pair<std::string, BusyMeter>> meters;  // a deque: references stay valid
};

Known& known() {
  // Never destroyed, as the registry's series it points at: a handler or store job still
  // running while the process exits must not meet a destroyed mutex.
  static Known* k = new Known;
  return *k;
}

}  // namespace

BusyMeter& busy_meter(const std::string& component) {
  // Response callbacks are guarded too, one per request: the lock is taken once per thread
  // and component, not per request.
  thread_local std::unordered_map<std::string, BusyMeter*> cache;
  if (auto it = cache.find(component); it != cache.end()) return *it->second;
  auto& k = known();
  std::lock_guard lock(k.mutex);
  BusyMeter* meter = nullptr;
  for (auto& [name, m] : k.meters)
    if (name == component) meter = &m;
  if (meter == nullptr) {
    auto& registry = telemetry::Registry::global();
    const telemetry::Labels labels{{"component", component}};
    k.meters.emplace_back(
        component,
        BusyMeter{registry.counter("kactor_component_busy_nanoseconds_total",
                                   "Wall time the component's guarded handlers ran (all its "
                                   "actors together), in nanoseconds.",
                                   labels),
                  registry.counter("kactor_component_messages_total",
                                   "Runs of the component's guarded handlers (messages handled).",
                                   labels)});
    meter = &k.meters.back().second;
  }
  cache.emplace(component, meter);
  return *meter;
}

std::vector<BusyTotals> busy_totals() {
  auto& k = known();
  std::lock_guard lock(k.mutex);
  std::vector<BusyTotals> out;
  out.reserve(k.meters.size());
  for (const auto& [name, m] : k.meters)
    out.push_back({name, m.nanoseconds.value(), m.messages.value()});
  return out;
}

}  // namespace kactor::actors
