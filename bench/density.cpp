// bench_density: how fast a whole in-process cluster starts pods. N simulated nodes,
// a ReplicationController with M replicas; measures the time until a watcher sees all
// M pods Running, pod start-up latency (first seen → Running, as a watcher sees it),
// peak RSS, a 3-node start time, and separately the scheduler's own throughput (its
// algorithm and cache placing M pods on N nodes, see density_scheduler.hpp).
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <vector>

#include "actors/client/blocking_client.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "density_scheduler.hpp"
#include "bench/cluster_common.hpp"
#include "runtime/cluster.hpp"

namespace {

using Steady = std::chrono::steady_clock;

double ms(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kactor;
  CLI::App app{"bench_density: pods per second through a whole in-process cluster"};
  size_t nodes = 1000;
  int32_t pods = 30000;
  int timeout_s = 600;
  // Empty: the cluster sizes its pod network from the node count (runtime/pod_network.hpp:
  // 10.244.0.0/16 for 256 node /24s, growing around it, 10.224.0.0/11 for 5,000 nodes).
  std::string cluster_cidr;
  app.add_option("--nodes", nodes, "simulated nodes");
  app.add_option("--pods", pods, "replicas of the ReplicationController");
  app.add_option("--timeout-s", timeout_s, "give up after this many seconds");
  app.add_option("--cluster-cidr", cluster_cidr, "pod network; each node gets a /24 of it (default: sized from --nodes)");
  std::vector<std::string> controllers{"*"};
  app.add_option("--controllers", controllers,
                 "controllers to run, as kube-controller-manager's: *, name, -name (to see what "
                 "one costs)")
      ->delimiter(',');
  CLI11_PARSE(app, argc, argv);

  // 1. Start time of a 3-node cluster until its nodes are Ready.
  double start3_ms = 0;
  {
    auto t0 = Steady::now();
    auto small = Cluster::start({});
    if (!small || !(*small)->wait_nodes_ready(3)) {
      std::fprintf(stderr, "3-node cluster did not start\n");
      return 1;
    }
    start3_ms = ms(Steady::now() - t0);
  }

  // 2. The density run.
  ClusterOptions opts;
  opts.nodes = nodes;
  opts.cluster_cidr = cluster_cidr;
  opts.controllers = controllers;
  auto t_start = Steady::now();
  auto cluster = bench::start_ready_cluster(opts, std::chrono::seconds(timeout_s));
  if (!cluster) return 1;
  auto& c = *cluster;
  double nodes_ready_ms = ms(Steady::now() - t_start);

  apiserver::WatchRequest wr;
  wr.resource = "pods";
  wr.namespace_ = "default";
  auto watch = c.client().watch(wr);
  if (!watch) return 1;

  auto rc = api::testing::make_replication_controller("default", "density", pods,
                                                      {{"app", "density"}});
  auto& requests = rc.spec.template_->spec.containers.front().resources.requests;
  requests["cpu"] = api::testing::qty("10m");
  requests["memory"] = api::testing::qty("16Mi");

  auto t0 = Steady::now();
  if (auto r = c.client().create(rc); !r) {
    std::fprintf(stderr, "create rc: %s\n", r.error().message.c_str());
    return 1;
  }
  std::unordered_map<std::string, Steady::time_point> first_seen, bound, running;
  auto deadline = t0 + std::chrono::seconds(timeout_s);
  while (running.size() < static_cast<size_t>(pods) && Steady::now() < deadline) {
    auto ev = watch->next(std::chrono::seconds(5));
    if (!ev) continue;
    auto pod = api::as<api::Pod>((*ev)->object);
    if (!pod) continue;
    auto now = Steady::now();
    const auto& name = pod->metadata.name;
    first_seen.try_emplace(name, now);
    if (!pod->spec.node_name.empty()) bound.try_emplace(name, now);
    if (pod->status.phase == "Running") running.try_emplace(name, now);
  }
  auto t_end = Steady::now();
  if (running.size() < static_cast<size_t>(pods)) {
    std::fprintf(stderr, "only %zu of %d pods running before the timeout\n", running.size(), pods);
    return 1;
  }
  std::vector<double> startup, to_bind, bind_to_run;
  for (auto& [name, t] : running) {
    startup.push_back(ms(t - first_seen[name]));
    to_bind.push_back(ms(bound[name] - first_seen[name]));
    bind_to_run.push_back(ms(t - bound[name]));
  }
  Steady::time_point last_bind{};
  for (auto& [name, t] : bound) last_bind = std::max(last_bind, t);
  double total_s = std::chrono::duration<double>(t_end - t0).count();
  double sched_s = std::chrono::duration<double>(last_bind - t0).count();
  double pods_per_s = pods / total_s;
  double bound_per_s = sched_s > 0 ? bound.size() / sched_s : 0;
  double rss_mb = peak_rss_mb();  // before the scheduler-alone run adds its own nodes

  Steady::time_point last_seen{};
  for (auto& [name, t] : first_seen) last_seen = std::max(last_seen, t);
  // The store's revision counts every write the cluster made (nodes, leases, pods, ...).
  client::ListOptions one;
  one.limit = 1;
  auto listed = c.client().list(api::Pod::static_type(), "default", one);
  std::printf(
      "nodes ready after %.0f ms; all %d pods seen after %.2f s, bound after %.2f s, "
      "running after %.2f s (%.0f binds/s); store revision %s\n",
      nodes_ready_ms, pods, std::chrono::duration<double>(last_seen - t0).count(), sched_s, total_s,
      bound_per_s, listed ? listed->resource_version.c_str() : "?");
  std::printf(
      "start-up split: seen->bound p50 %.1f p99 %.1f ms; bound->running p50 %.1f p99 %.1f ms\n",
      percentile(to_bind, 0.5), percentile(to_bind, 0.99), percentile(bind_to_run, 0.5),
      percentile(bind_to_run, 0.99));
  c.shutdown();
  double sched_pods_per_s = bench::scheduler_pods_per_s(nodes, pods, 1);
  // Pods that look across pods (spread, anti-affinity) cost more per pod: measured over at
  // most 5,000 of them.
  const int32_t spread_pods = std::min<int32_t>(pods, 5000);
  double spread_pods_per_s = bench::scheduler_spread_affinity_pods_per_s(nodes, spread_pods, 1);
  std::printf("scheduler alone: default profile %.0f pods/s; spread/affinity pods %.0f pods/s "
              "(%d pods)\n",
              sched_pods_per_s, spread_pods_per_s, spread_pods);
  std::printf(
      "density: nodes=%zu pods=%d pods_per_s=%.0f p50_ms=%.1f p99_ms=%.1f "
      "peak_rss_mb=%.0f sched_pods_per_s=%.0f start3_ms=%.1f\n",
      nodes, pods, pods_per_s, percentile(startup, 0.5), percentile(startup, 0.99), rss_mb,
      sched_pods_per_s, start3_ms);
  return 0;
}
