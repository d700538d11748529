// bench_scheduler: the scheduler's own throughput at a given cluster size, without the
// rest of the cluster (density_scheduler.hpp): the default profile's pods, then pods
// with topology spread and anti-affinity. The density bench prints the same figures after
// its cluster run; this one answers in seconds at 5,000 nodes, for profiling.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "density_scheduler.hpp"

int main(int argc, char** argv) {
  CLI::App app{"bench_scheduler: pods per second the scheduling algorithm places on its own"};
  size_t nodes = 5000;
  int32_t pods = 30000;
  int32_t spread_pods = 5000;
  uint64_t seed = 1;
  app.add_option("--nodes", nodes, "nodes in the snapshot");
  app.add_option("--pods", pods, "pods of the default profile to place");
  app.add_option("--spread-pods", spread_pods, "pods with spread / anti-affinity to place");
  app.add_option("--seed", seed, "seed of the scheduler's random choices");
  CLI11_PARSE(app, argc, argv);
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));

  double default_per_s = kactor::bench::scheduler_pods_per_s(nodes, pods, seed);
  std::printf("default profile: %d pods on %zu nodes, %.0f pods/s\n", pods, nodes, default_per_s);
  std::fflush(stdout);
  double spread_per_s =
      kactor::bench::scheduler_spread_affinity_pods_per_s(nodes, spread_pods, seed);
  std::printf("spread/affinity: %d pods on %zu nodes, %.0f pods/s\n", spread_pods, nodes,
              spread_per_s);
  std::printf("scheduler: nodes=%zu default_pods_per_s=%.0f spread_affinity_pods_per_s=%.0f\n",
              nodes, default_per_s, spread_per_s);
  return default_per_s > 0 && spread_per_s > 0 ? 0 : 1;
}
