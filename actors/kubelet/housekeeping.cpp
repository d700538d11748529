// The kubelet's housekeeping: every housekeeping_interval it samples what the containers use
// (stats.hpp, cAdvisor's role), reports usage annotations that do not parse, and runs one
// pass of node-pressure eviction (eviction.hpp): the pressure conditions, posted at once when
// they change, and at most one pod evicted per pass. Admission under pressure too.
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/common/timers.hpp"
#include "actors/kubelet/kubelet_state.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::kubelet {
namespace {

/// The reason of the Warning Event about a usage annotation that does not parse.
constexpr const char* kInvalidAnnotationReason = "InvalidAnnotation";

void schedule_next(Self* self) {
  auto& st = self->state;
  auto& hk = st.housekeeping;
  hk.next_due += st.opts.housekeeping_interval;
  actors::send_later(clock_of(self), hk.next_due - clock_of(self).now(), me(self),
                     housekeeping_atom::value, int64_t{hk.next_due.time_since_epoch().count()});
}

/// What `usage` holds of the resource being reclaimed.
int64_t used_of(const PodUsage& usage, std::string_view resource) {
  if (resource == "memory") return static_cast<int64_t>(usage.memory_bytes);
  if (resource == "inodes")
    return static_cast<int64_t>((usage.disk_bytes + kBytesPerInode - 1) / kBytesPerInode);
  return static_cast<int64_t>(usage.disk_bytes);
}

/// Evicts the first pod of upstream's ranking for `threshold`'s resource: failed with reason
/// Evicted and upstream's message, a Warning Event, its containers killed (at once for a
/// hard threshold). Critical pods and pods already stopping are left alone.
void evict_one(Self* self, const Threshold& threshold) {
  auto& st = self->state;
  auto& hk = st.housekeeping;
  const auto resource = resource_of(threshold.signal);
  std::vector<EvictionCandidate> candidates;
  for (const auto& [uid, w] : st.workers) {
    if (!w.pod || w.stop_deadline || w.terminating || !w.final_phase.empty()) continue;
    if (api::is_critical(*w.pod)) continue;
    const auto* usage = hk.stats->pod(uid);
    if (!usage) continue;
    candidates.push_back({uid, used_of(*usage, resource),
                          resource == "inodes" ? 0 : pod_request(*w.pod, resource),
                          w.pod->spec.priority.value_or(0)});
  }
  if (candidates.empty()) {
    st.log->warn("node {}: {} threshold met, but no pod can be evicted", st.opts.node_name,
                 signal_name(threshold.signal));
    return;
  }
  rank_for_eviction(candidates);
  auto& w = st.workers.at(candidates.front().uid);
  w.message = hk.eviction->eviction_message(resource, *w.pod, w, *hk.stats->pod(w.uid));
  w.reason = kEvictedReason;
  w.final_phase = "Failed";
  w.evicted = true;
  st.log->info("node {}: evicting pod {}: {}", st.opts.node_name, w.key, w.message);
  st.events->record(*w.pod, "Warning", kEvictedReason, w.message);
  auto grace = threshold.hard() ? Duration::zero()
                                : Duration(std::chrono::seconds(
                                      st.opts.eviction.max_pod_grace_period_seconds));
  kill_pod(self, w, grace);
}

}  // namespace

void start_housekeeping(Self* self) {
  auto& st = self->state;
  auto& hk = st.housekeeping;
  auto now = clock_of(self).now();
  if (st.opts.housekeeping_interval <= Duration::zero()) {
    st.log->error("node {}: housekeeping interval must be positive; 10s applies",
                  st.opts.node_name);
    st.opts.housekeeping_interval = KubeletOptions{}.housekeeping_interval;
  }
  auto thresholds = parse_thresholds(st.opts.eviction);
  auto transition = st.opts.eviction.pressure_transition_period;
  if (!thresholds) {
    st.log->error("node {}: {}; the default eviction settings apply", st.opts.node_name,
                  thresholds.error().message);
    thresholds = parse_thresholds(EvictionOptions{});
    transition = EvictionOptions{}.pressure_transition_period;
  }
  hk.allocatable = node_allocatable(st.opts, *thresholds);
  hk.stats = std::make_unique<StatsCollector>(st.opts.usage, node_capacity(st.opts), now);
  hk.eviction = std::make_unique<EvictionManager>(std::move(*thresholds), transition);
  hk.next_due = now;
  if (st.opts.usage.cpu_per_request > Duration::zero() && st.ctx.informers) {
    // Shared with the proxies' informers: no watch of its own.
    auto endpoints = st.ctx.informers->get(api::Endpoints::static_type());
    endpoints.mutable_cache->add_index(kServingNodeIndex, [](const api::Object& o) {
      const auto* ep = dynamic_cast<const api::Endpoints*>(&o);
      return ep ? serving_nodes(*ep) : std::vector<std::string>{};
    });
    hk.endpoints = endpoints.cache;
    hk.informers = st.ctx.informers;
  }
  schedule_next(self);
}

namespace {

/// The cpu the request loops running anywhere in the cluster ask of the pods (this node's
/// among them); empty, at the cost of an index lookup or two, when this node serves no
/// Service or no pod runs a loop.
ServedDemand served_requests(Housekeeping& hk, const std::string& node_name,
                             Duration cpu_per_request) {
  if (!hk.endpoints) return {};
  if (!hk.all_pods) {
    // The clients may run anywhere, so finding them takes every pod of the cluster. Only a
    // node serving a Service's ready endpoint can be asked anything, so the pods are watched
    // from the first time one does (one watch per process, shared with the controllers'
    // where they run in it): a `kactor node` process whose nodes serve no Service receives
    // only its own nodes' pods. The demand counts from the watch's first content on.
    if (hk.endpoints->by_index(kServingNodeIndex, node_name).empty() &&
        hk.endpoints->by_index(kServingNodeIndex, kAnyServingNode).empty())
      return {};
    auto pods = hk.informers->get(api::Pod::static_type());
    pods.mutable_cache->add_index(kRequestLoopIndex, [](const api::Object& o) {
      const auto* pod = dynamic_cast<const api::Pod*>(&o);
      return pod && !request_loops(*pod).empty() ? std::vector<std::string>{kRequestLoopClients}
                                                 : std::vector<std::string>{};
    });
    hk.all_pods = pods.cache;
  }
  const auto held = hk.all_pods->by_index(kRequestLoopIndex, kRequestLoopClients);
  if (held.empty()) return {};
  std::vector<const api::Pod*> clients;
  for (const auto& o : held) clients.push_back(static_cast<const api::Pod*>(o.get()));
  std::vector<api::ObjectPtr> looked_up;  // keeps the Endpoints alive while they are read
  return served_demand(
      clients,
      [&](const std::string& ns, const std::string& name) -> const api::Endpoints* {
        auto ep = hk.endpoints->get(ns + "/" + name);
        looked_up.push_back(ep);
        return dynamic_cast<const api::Endpoints*>(ep.get());
      },
      cpu_per_request);
}

}  // namespace

void on_housekeeping_tick(Self* self, TimePoint due) {
  auto& st = self->state;
  auto& hk = st.housekeeping;
  schedule_next(self);
  // Never before the last sample (a container's start may be later than `due`, too: the
  // collector then counts it from its start).
  due = std::max(due, hk.stats->node().time);
  const auto served = served_requests(hk, st.opts.node_name, st.opts.usage.cpu_per_request);
  for (auto& problem : hk.stats->sample(st.workers, due, &served)) {
    auto w = st.workers.find(problem.pod_uid);
    if (w == st.workers.end()) continue;
    st.events->record(*w->second.pod, "Warning", kInvalidAnnotationReason,
                      problem.message + "; the default usage model applies");
  }
  auto reclaim = hk.eviction->synchronize(hk.stats->node());
  NodePressure pressure{hk.eviction->has_condition("MemoryPressure"),
                        hk.eviction->has_condition("DiskPressure"),
                        hk.eviction->has_condition("PIDPressure")};
  if (pressure != hk.pressure) {
    std::string now_held;
    for (const auto& c : hk.eviction->conditions()) now_held += (now_held.empty() ? "" : " ") + c;
    st.log->info("node {}: pressure conditions now [{}]", st.opts.node_name, now_held);
    hk.pressure = pressure;
    request_node_status(self);
  }
  if (reclaim) evict_one(self, *reclaim);
}

Summary stats_summary(Self* self) {
  auto& st = self->state;
  return st.housekeeping.stats->summary(st.opts.node_name, st.workers);
}

bool refuse_pod(Self* self, const PodPtr& pod) {
  auto& st = self->state;
  // Only pods that have not run here: a restarted kubelet carries on with its pods.
  if (!pod->status.container_statuses.empty() || !pod->status.init_container_statuses.empty())
    return false;
  auto why = st.housekeeping.eviction->refuse(*pod);
  if (!why) return false;
  PodWorker w;
  w.uid = pod->metadata.uid;
  w.key = api::object_key(*pod);
  w.pod = pod;
  w.initialized = true;
  w.final_phase = "Failed";
  w.reason = kEvictedReason;
  w.message = *why;
  st.log->info("node {}: refusing pod {}: {}", st.opts.node_name, w.key, w.message);
  st.events->record(*pod, "Warning", kEvictedReason, w.message);
  auto uid = w.uid;
  st.workers.emplace(uid, std::move(w));
  push_status(self, uid);
  return true;
}

}  // namespace kactor::kubelet
