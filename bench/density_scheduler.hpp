// The scheduler's own throughput, apart from the cluster: the scheduling algorithm with
// the default plugins and the assumed-pod cache, over `nodes` nodes as kubelets register
// them, placing `pods` pods like the density run's — no API server, no binding round trip.
// It is what the scheduler actor can do per second when nothing else competes for CPU.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "actors/scheduler/algorithm.hpp"
#include "actors/scheduler/node_cache.hpp"
#include "actors/scheduler/plugins/plugins.hpp"
#include "api/types/all.hpp"

namespace kactor::bench {

inline double scheduler_pods_per_s(size_t nodes, int32_t pods, uint64_t seed) {
  auto q = [](const char* s) { return *api::Quantity::parse(s); };
  scheduler::NodeCache cache;
  for (size_t i = 0; i < nodes; ++i) {
    auto n = std::make_shared<api::Node>();
    n->metadata.name = "node-" + std::to_string(i);
    n->metadata.labels["kubernetes.io/hostname"] = n->metadata.name;
    n->status.capacity = {{"cpu", q("4")}, {"memory", q("8Gi")}, {"pods", q("110")}};
    n->status.allocatable = n->status.capacity;
    api::NodeCondition ready;
    ready.type = "Ready";
    ready.status = "True";
    n->status.conditions.push_back(ready);
    cache.upsert_node(std::move(n));
  }
  scheduler::Algorithm algorithm(scheduler::plugins::default_plugins(), {},
                                 Random(seed).fork("scheduler"));
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.spec.scheduler_name = "default-scheduler";
  api::Container c;
  c.name = "app";
  c.image = "pause:3.9";
  c.resources.requests = {{"cpu", q("10m")}, {"memory", q("16Mi")}};
  pod.spec.containers.push_back(c);

  auto t0 = std::chrono::steady_clock::now();
  for (int32_t i = 0; i < pods; ++i) {
    pod.metadata.name = "density-" + std::to_string(i);
    pod.metadata.uid = "uid-" + std::to_string(i);
    scheduler::CycleState state;
    auto result = algorithm.schedule(state, pod, *cache.snapshot());
    if (!result) {
      std::fprintf(stderr, "scheduler alone: %s\n", result.error().message().c_str());
      return 0;
    }
    const auto& fw = algorithm.framework();
    if (!fw.run_reserve(state, pod, result->node).ok() ||
        !fw.run_permit(state, pod, result->node).ok())
      return 0;
    cache.assume(pod, result->node);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return pods / s;
}

}  // namespace kactor::bench
