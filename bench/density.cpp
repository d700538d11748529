// bench_density: how fast a whole in-process cluster starts pods. N simulated nodes,
// a ReplicationController with M replicas; measures the time until a watcher sees all
// M pods Running, pod start-up latency (first seen → Running, as a watcher sees it),
// peak RSS, a 3-node start time, and separately the scheduler's own throughput (its
// algorithm and cache placing M pods on N nodes, see density_scheduler.hpp), and the memory
// an idle node and a running pod cost. `--cores N` pins it to N CPUs; `--sweep` runs it at
// several sizes and core counts (density_sweep.hpp); `--hosts N` repeats it with every role
// its own process (density_hosts.hpp).
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "actors/apiserver/admission/admission.hpp"
#include "actors/client/blocking_client.hpp"
#include "actors/controllers/controller_manager.hpp"
#include "api/types/all.hpp"
#include "bench/cluster_common.hpp"
#include "bench/density_hosts.hpp"
#include "bench/density_rc.hpp"
#include "bench/density_scheduler.hpp"
#include "bench/density_sweep.hpp"
#include "bench/process_memory.hpp"
#include "runtime/cluster.hpp"
#include "runtime/pod_network.hpp"

int main(int argc, char** argv) {
  using namespace kactor;
  using bench::ms;
  using bench::percentile;
  using bench::Steady;
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
  std::vector<std::string> disabled_admission;
  app.add_option("--disable-admission-plugins", disabled_admission,
                 "admission plugins to turn off, as kube-apiserver's (to see what one costs)")
      ->delimiter(',');
  const int all_cores = bench::allowed_cpus();
  int cores = 0;
  app.add_option("--cores", cores,
                 "run on the first N CPUs this process may use, with N CAF workers (default: all)");
  bench::SweepOptions sweep;
  bool sweeping = false;
  app.add_flag("--sweep", sweeping,
               "run at each --sweep-nodes size on all cores, then at --sweep-core-nodes nodes on "
               "1, 2, 4, ... cores, each in a child process; write the table and a PNG plot");
  app.add_option("--sweep-nodes", sweep.nodes, "node counts of the sweep")->delimiter(',');
  app.add_option("--sweep-cores", sweep.cores, "core counts of the sweep (default: 1, 2, 4, ... all)")
      ->delimiter(',');
  app.add_option("--sweep-core-nodes", sweep.core_nodes, "nodes of the sweep's runs against cores");
  app.add_option("--pods-per-node", sweep.pods_per_node, "pods per node in the sweep");
  const char* results_env = std::getenv("KACTOR_BENCH_RESULTS");
  if (results_env) sweep.results_dir = results_env;
  app.add_option("--results-dir", sweep.results_dir,
                 "where the sweep writes (default: $KACTOR_BENCH_RESULTS, else bench/results)");
  int hosts = 0;
  app.add_option("--hosts", hosts,
                 "after the in-process run, the same run with every role its own `kactor` "
                 "process (mutual TLS, loopback) and the nodes split over N node processes");
  size_t role_threads = bench::HostsOptions{}.role_threads;
  app.add_option("--role-threads", role_threads,
                 "with --hosts: CAF workers of each process but the API server's (0: one per "
                 "core)");
  std::string kactor_binary;
  app.add_option("--kactor", kactor_binary,
                 "the kactor binary for --hosts (default: runtime/kactor of this build)");
  CLI11_PARSE(app, argc, argv);
  if (auto unknown = kactor::apiserver::check_disabled_admission_plugins(disabled_admission)) {
    std::fprintf(stderr, "%s\n", unknown->c_str());
    return 2;
  }
  if (cores == 0) cores = all_cores;
  if (cores < 1 || cores > all_cores) {
    std::fprintf(stderr, "--cores %d: this process may use %d CPUs\n", cores, all_cores);
    return 2;
  }
  if (sweeping) {
    sweep.all_cores = all_cores;
    sweep.timeout_s = timeout_s;
    for (int c : sweep.cores)
      if (c < 1 || c > all_cores) {
        std::fprintf(stderr, "--sweep-cores %d: this process may use %d CPUs\n", c, all_cores);
        return 2;
      }
    return bench::run_sweep(std::filesystem::read_symlink("/proc/self/exe").string(), sweep);
  }
  // Before any thread starts, so that every thread inherits the mask.
  if (!bench::pin_to_cores(cores)) {
    std::fprintf(stderr, "could not pin to %d CPUs\n", cores);
    return 1;
  }

  // 1. Start time of a 3-node cluster until its nodes are Ready.
  double start3_ms = 0;
  {
    auto t0 = Steady::now();
    ClusterOptions small_opts;
    small_opts.threads = static_cast<size_t>(cores);
    auto small = Cluster::start(small_opts);
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
  opts.apiserver.admission_options.disabled_plugins = disabled_admission;
  opts.threads = static_cast<size_t>(cores);
  // What the process holds before the cluster, with its nodes idle, and with every pod
  // running: the differences per node and per pod (heap, RocksDB memtables, actor queues).
  const int64_t rss_before = bench::current_rss_bytes();
  auto t_start = Steady::now();
  auto cluster = bench::start_ready_cluster(opts, std::chrono::seconds(timeout_s));
  if (!cluster) return 1;
  auto& c = *cluster;
  double nodes_ready_ms = ms(Steady::now() - t_start);
  const int64_t rss_nodes = bench::current_rss_bytes();

  const auto busy_before = actors::busy_totals();
  const auto rc_start = Steady::now();
  auto rc = bench::run_rc(c.client(), pods, std::chrono::seconds(timeout_s));
  if (!rc) return 1;
  const double rc_wall_s = ms(Steady::now() - rc_start) / 1e3;
  const auto busy_after = actors::busy_totals();
  const double pods_per_s = rc->pods_per_s();
  double rss_mb = bench::peak_rss_mb();  // before the scheduler-alone run adds its own nodes
  const int64_t rss_pods = bench::current_rss_bytes();
  const int64_t node_bytes = (rss_nodes - rss_before) / static_cast<int64_t>(nodes);
  const int64_t pod_bytes = (rss_pods - rss_nodes) / pods;

  // The store's revision counts every write the cluster made (nodes, leases, pods, ...).
  client::ListOptions one;
  one.limit = 1;
  auto listed = c.client().list(api::Pod::static_type(), "default", one);
  std::printf(
      "nodes ready after %.0f ms; all %d pods seen after %.2f s, bound after %.2f s, "
      "running after %.2f s (%.0f binds/s); store revision %s\n",
      nodes_ready_ms, pods, rc->seen_s, rc->bound_s, rc->running_s, rc->binds_per_s(),
      listed ? listed->resource_version.c_str() : "?");
  bench::print_startup_split(*rc);
  bench::print_busy(busy_before, busy_after, rc_wall_s);
  std::printf("memory: %.0f MB before the cluster, %.0f MB with %zu idle nodes (%lld bytes per "
              "node), %.0f MB with %d pods running (%lld bytes per pod)\n",
              rss_before / 1e6, rss_nodes / 1e6, nodes, static_cast<long long>(node_bytes),
              rss_pods / 1e6, pods, static_cast<long long>(pod_bytes));
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
      "peak_rss_mb=%.0f sched_pods_per_s=%.0f start3_ms=%.1f cores=%d node_bytes=%lld "
      "pod_bytes=%lld\n",
      nodes, pods, pods_per_s, percentile(rc->startup, 0.5), percentile(rc->startup, 0.99), rss_mb,
      sched_pods_per_s, start3_ms, cores, static_cast<long long>(node_bytes),
      static_cast<long long>(pod_bytes));
  if (hosts == 0) return 0;

  // 3. The same run over role processes (density_hosts.hpp).
  bench::HostsOptions ho;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe");
  ho.kactor = kactor_binary.empty() ? exe.parent_path().parent_path() / "runtime" / "kactor"
                                    : std::filesystem::path(kactor_binary);
  ho.dir = std::filesystem::temp_directory_path() /
           ("kactor-density-hosts-" + std::to_string(::getpid()));
  std::filesystem::remove_all(ho.dir);
  std::filesystem::create_directories(ho.dir);
  ho.nodes = nodes;
  ho.pods = pods;
  ho.node_processes = hosts;
  ho.role_threads = role_threads;
  ho.timeout = std::chrono::seconds(timeout_s);
  const int node_mask = actors::controllers::ControllerManagerOptions{}.node_cidr_mask_size;
  auto network = runtime::pod_network_for(cluster_cidr, nodes, node_mask,
                                          ClusterOptions{}.apiserver.services.service_cidr);
  if (!network) {
    std::fprintf(stderr, "--cluster-cidr: %s\n", network.error().message.c_str());
    return 1;
  }
  ho.cluster_cidr = *network;
  auto remote = bench::run_density_hosts(ho);
  if (!remote) {
    std::fprintf(stderr, "the --hosts run failed (logs in %s)\n", ho.dir.c_str());
    return 1;
  }
  std::filesystem::remove_all(ho.dir);
  std::printf("hosts: %d node processes, --role-threads %zu; nodes ready after %.0f ms; all %d "
              "pods bound after %.2f s, running after %.2f s; p50 %.1f ms p99 %.1f ms\n",
              hosts, role_threads, remote->nodes_ready_ms, pods, remote->rc.bound_s, remote->rc.running_s,
              percentile(remote->rc.startup, 0.5), percentile(remote->rc.startup, 0.99));
  bench::print_startup_split(remote->rc);
  std::string cpu;
  double cpu_total = 0;
  for (const auto& [role, secs] : remote->cpu_s) {
    cpu += (cpu.empty() ? "" : ", ") + role + " " + std::to_string(static_cast<int>(secs + 0.5)) + " s";
    cpu_total += secs;
  }
  std::printf("hosts: CPU over the RC's run: %s (%.0f s of %.0f s x %d cores)\n", cpu.c_str(),
              cpu_total, remote->rc.running_s, cores);
  const double hosts_pods_per_s = remote->rc.pods_per_s();
  std::printf("density-hosts: pods_per_s=%.0f inproc_pods_per_s=%.0f ratio=%.2f "
              "wire_bytes_per_pod=%lld\n",
              hosts_pods_per_s, pods_per_s, pods_per_s > 0 ? hosts_pods_per_s / pods_per_s : 0.0,
              remote->wire_bytes < 0 ? -1LL : static_cast<long long>(remote->wire_bytes / pods));
  return 0;
}
