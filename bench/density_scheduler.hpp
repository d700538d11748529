// The scheduler's own throughput, apart from the cluster: the scheduling algorithm with
// the default plugins and the assumed-pod cache, over `nodes` nodes as kubelets register
// them, placing `pods` pods like the density run's — no API server, no binding round trip.
// It is what the scheduler actor can do per second when nothing else competes for CPU.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "actors/scheduler/algorithm.hpp"
#include "actors/scheduler/node_cache.hpp"
#include "actors/scheduler/plugins/plugins.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

namespace kactor::bench {

/// Places `pods` pods one after another as the scheduler actor does between binds
/// (schedule, reserve, permit, assume), `pod_for(i)` giving the i-th; returns pods/s, or 0
/// when one fits nowhere (the reason printed under `label`).
///
/// The pods are made before the clock starts: the actor gets each one decoded, shared, from
/// its informer and assumes that very object, so making them is no part of its work. (Until
/// 2026-12-03 each pod was copied inside the timed loop, which cost the default case ~6 %.)
template <class PodFor>
double place_pods(scheduler::NodeCache& cache, int32_t pods, uint64_t seed, const char* label,
                  PodFor&& pod_for) {
  scheduler::Algorithm algorithm(scheduler::plugins::default_plugins(), {},
                                 Random(seed).fork("scheduler"));
  const auto& fw = algorithm.framework();
  std::vector<std::shared_ptr<const api::Pod>> made;
  made.reserve(static_cast<size_t>(std::max(pods, 0)));
  for (int32_t i = 0; i < pods; ++i) made.push_back(std::make_shared<const api::Pod>(pod_for(i)));
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& shared : made) {
    const api::Pod& pod = *shared;
    scheduler::CycleState state;
    auto result = algorithm.schedule(state, pod, *cache.snapshot());
    if (!result) {
      std::fprintf(stderr, "%s: %s\n", label, result.error().message().c_str());
      return 0;
    }
    if (!fw.run_reserve(state, pod, result->node).ok() ||
        !fw.run_permit(state, pod, result->node).ok())
      return 0;
    cache.assume(shared, result->node);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return pods / s;
}

inline double scheduler_pods_per_s(size_t nodes, int32_t pods, uint64_t seed) {
  scheduler::NodeCache cache;
  for (size_t i = 0; i < nodes; ++i) {
    auto n = std::make_shared<api::Node>(
        api::testing::make_node("node-" + std::to_string(i), "4", "8Gi", "110"));
    n->metadata.labels["kubernetes.io/hostname"] = n->metadata.name;
    cache.upsert_node(std::move(n));
  }
  auto pod = api::testing::make_pod_requesting("default", "", "10m", "16Mi");
  pod.spec.scheduler_name = "default-scheduler";
  return place_pods(cache, pods, seed, "scheduler alone", [&](int32_t i) -> const api::Pod& {
    pod.metadata.name = "density-" + std::to_string(i);
    pod.metadata.uid = "uid-" + std::to_string(i);
    return pod;
  });
}

/// The same measure for pods that look across pods: groups of `group` replicas, every other
/// group spreading over 10 zones (zone maxSkew 1 DoNotSchedule, hostname maxSkew 1
/// ScheduleAnyway) and the others keeping apart (required anti-affinity on the hostname
/// against their own group), as a cluster of Deployments with such rules would ask.
/// PodTopologySpread and InterPodAffinity do their counting for every pod here.
inline double scheduler_spread_affinity_pods_per_s(size_t nodes, int32_t pods, uint64_t seed,
                                                   int32_t group = 100) {
  scheduler::NodeCache cache;
  for (size_t i = 0; i < nodes; ++i) {
    auto n = std::make_shared<api::Node>(
        api::testing::make_node("node-" + std::to_string(i), "32", "128Gi", "110"));
    n->metadata.labels["kubernetes.io/hostname"] = n->metadata.name;
    n->metadata.labels["topology.kubernetes.io/zone"] = "zone-" + std::to_string(i % 10);
    cache.upsert_node(std::move(n));
  }
  auto spread_pod = [](const std::string& app) {
    auto pod = api::testing::make_pod_requesting("default", "", "10m", "16Mi");
    pod.spec.scheduler_name = "default-scheduler";
    pod.metadata.labels = {{"app", app}};
    api::TopologySpreadConstraint zone;
    zone.max_skew = 1;
    zone.topology_key = "topology.kubernetes.io/zone";
    zone.when_unsatisfiable = "DoNotSchedule";
    zone.label_selector = api::LabelSelector{{{"app", app}}, {}};
    auto host = zone;
    host.topology_key = "kubernetes.io/hostname";
    host.when_unsatisfiable = "ScheduleAnyway";
    pod.spec.topology_spread_constraints = {zone, host};
    return pod;
  };
  auto apart_pod = [](const std::string& app) {
    auto pod = api::testing::make_pod_requesting("default", "", "10m", "16Mi");
    pod.spec.scheduler_name = "default-scheduler";
    pod.metadata.labels = {{"app", app}};
    api::PodAffinityTerm term;
    term.label_selector = api::LabelSelector{{{"app", app}}, {}};
    term.topology_key = "kubernetes.io/hostname";
    pod.spec.affinity.emplace().pod_anti_affinity.emplace()
        .required_during_scheduling_ignored_during_execution.push_back(term);
    return pod;
  };

  api::Pod pod;
  return place_pods(cache, pods, seed, "spread/affinity", [&](int32_t i) -> const api::Pod& {
    if (i % group == 0) {
      int32_t g = i / group;
      pod = g % 2 == 0 ? spread_pod("spread-" + std::to_string(g))
                       : apart_pod("apart-" + std::to_string(g));
    }
    pod.metadata.name = "density-" + std::to_string(i);
    pod.metadata.uid = "uid-" + std::to_string(i);
    return pod;
  });
}

}  // namespace kactor::bench
