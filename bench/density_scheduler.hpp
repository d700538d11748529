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
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

namespace kactor::bench {

inline double scheduler_pods_per_s(size_t nodes, int32_t pods, uint64_t seed) {
  scheduler::NodeCache cache;
  for (size_t i = 0; i < nodes; ++i) {
    auto n = std::make_shared<api::Node>(
        api::testing::make_node("node-" + std::to_string(i), "4", "8Gi", "110"));
    n->metadata.labels["kubernetes.io/hostname"] = n->metadata.name;
    cache.upsert_node(std::move(n));
  }
  scheduler::Algorithm algorithm(scheduler::plugins::default_plugins(), {},
                                 Random(seed).fork("scheduler"));
  auto pod = api::testing::make_pod_requesting("default", "", "10m", "16Mi");
  pod.spec.scheduler_name = "default-scheduler";

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
    cache.assume(std::make_shared<const api::Pod>(pod), result->node);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return pods / s;
}

}  // namespace kactor::bench
