// bench_failover: how fast a whole in-process cluster heals when many nodes fail at once.
// N simulated nodes run a ReplicationController of M pods; S nodes stop abruptly (as crashed
// machines). The node lifecycle controller notices them after the grace period, taints them,
// the taint eviction controller evicts their pods, the RC creates replacements and the
// scheduler places them on the healthy nodes. Measured under the real clock with the
// periods shortened (kubelet heartbeat 1 s, node monitor period 1 s, grace 5 s, pods
// tolerating unreachable for 0 s, tainting rate high enough for every node at once): the
// time from the stop until every pod runs again, and the API writes that took (store
// revisions, heartbeats included; the heartbeat rate before the stop is printed beside it).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/client/blocking_client.hpp"
#include "api/resource_version.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "bench/cluster_common.hpp"
#include "runtime/cluster.hpp"

namespace {

using Steady = std::chrono::steady_clock;

double seconds(Steady::duration d) {
  return std::chrono::duration<double>(d).count();
}

/// What the benchmark follows of each pod, from its watch.
struct PodView {
  std::string node;
  bool running = false;
  bool deleting = false;
};

class PodTracker {
 public:
  explicit PodTracker(const std::set<std::string>* stopped) : stopped_(stopped) {}

  void apply(const kactor::apiserver::WatchEvent& ev) {
    if (ev.type == kactor::apiserver::WatchEvent::Type::bookmark) return;
    auto pod = kactor::api::as<kactor::api::Pod>(ev.object);
    if (!pod) return;
    const auto& name = pod->metadata.name;
    auto it = pods_.find(name);
    if (it != pods_.end()) healthy_ -= is_healthy(it->second);
    if (ev.type == kactor::apiserver::WatchEvent::Type::deleted) {
      if (it != pods_.end()) pods_.erase(it);
      return;
    }
    PodView v{pod->spec.node_name, pod->status.phase == "Running",
              pod->metadata.deletion_timestamp.has_value()};
    healthy_ += is_healthy(v);
    pods_[name] = std::move(v);
  }

  /// Pods running, not being deleted, on a node that has not stopped.
  size_t healthy() const { return static_cast<size_t>(healthy_); }
  /// Recounts (after the set of stopped nodes changed).
  void recount() {
    healthy_ = 0;
    for (auto& [name, v] : pods_) healthy_ += is_healthy(v);
  }
  size_t on_nodes(const std::set<std::string>& nodes) const {
    size_t n = 0;
    for (auto& [name, v] : pods_) n += nodes.contains(v.node) && !v.deleting;
    return n;
  }

 private:
  int is_healthy(const PodView& v) const {
    return v.running && !v.deleting && !stopped_->contains(v.node) ? 1 : 0;
  }
  const std::set<std::string>* stopped_;
  std::unordered_map<std::string, PodView> pods_;
  int64_t healthy_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace kactor;
  CLI::App app{"bench_failover: time until every pod of failed nodes runs again elsewhere"};
  size_t nodes = 1000;
  int32_t pods = 30000;
  size_t stop = 100;
  int timeout_s = 600;
  double heartbeat_s = 1, monitor_s = 1, grace_s = 5;
  double eviction_rate = 1000;

  std::string cluster_cidr;  // empty: sized from the node count (runtime/pod_network.hpp)
  app.add_option("--nodes", nodes, "simulated nodes");
  app.add_option("--pods", pods, "replicas of the ReplicationController");
  app.add_option("--stop", stop, "nodes stopped at once");
  app.add_option("--heartbeat-s", heartbeat_s, "kubelet Lease renewal interval");
  app.add_option("--node-monitor-period-s", monitor_s, "node lifecycle monitor period");
  app.add_option("--node-monitor-grace-period-s", grace_s, "grace before a silent node is Unknown");
  app.add_option("--node-eviction-rate", eviction_rate, "nodes tainted NoExecute per second");
  app.add_option("--timeout-s", timeout_s, "give up after this many seconds");
  app.add_option("--cluster-cidr", cluster_cidr, "pod network; each node gets a /24 of it (default: sized from --nodes)");
  CLI11_PARSE(app, argc, argv);
  if (stop >= nodes) {
    std::fprintf(stderr, "--stop must be fewer than --nodes\n");
    return 2;
  }
  auto dur = [](double s) {
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
  };

  ClusterOptions opts;
  opts.nodes = nodes;
  opts.cluster_cidr = cluster_cidr;
  opts.node_lease_interval = dur(heartbeat_s);
  opts.node_lifecycle.monitor_period = dur(monitor_s);
  opts.node_lifecycle.monitor_grace_period = dur(grace_s);
  opts.node_lifecycle.startup_grace_period = dur(2 * grace_s);
  opts.node_lifecycle.eviction_rate = eviction_rate;
  opts.apiserver.admission_options.default_unreachable_toleration_seconds = 0;
  opts.apiserver.admission_options.default_not_ready_toleration_seconds = 0;
  auto cluster = bench::start_ready_cluster(opts, std::chrono::seconds(timeout_s));
  if (!cluster) return 1;
  auto& c = *cluster;

  apiserver::WatchRequest wr;
  wr.resource = "pods";
  wr.namespace_ = "default";
  auto watch = c.client().watch(wr);
  if (!watch) return 1;
  std::set<std::string> stopped;
  PodTracker tracker(&stopped);
  auto follow_until = [&](auto done, Steady::time_point deadline) {
    while (!done() && Steady::now() < deadline)
      if (auto ev = watch->next(std::chrono::milliseconds(200))) tracker.apply(**ev);
    return done();
  };

  auto rc = api::testing::make_replication_controller("default", "failover", pods,
                                                      {{"app", "failover"}});
  auto& requests = rc.spec.template_->spec.containers.front().resources.requests;
  requests["cpu"] = api::testing::qty("10m");
  requests["memory"] = api::testing::qty("16Mi");
  auto t_create = Steady::now();
  if (auto r = c.client().create(rc); !r) {
    std::fprintf(stderr, "create rc: %s\n", r.error().message.c_str());
    return 1;
  }
  auto all_running = [&] { return tracker.healthy() >= static_cast<size_t>(pods); };
  if (!follow_until(all_running, t_create + std::chrono::seconds(timeout_s))) {
    std::fprintf(stderr, "only %zu of %d pods running before the timeout\n", tracker.healthy(),
                 pods);
    return 1;
  }
  std::printf("%d pods running on %zu nodes after %.2f s\n", pods, nodes,
              seconds(Steady::now() - t_create));

  // The heartbeat write rate, to read the writes of the failover against.
  auto rev0 = bench::store_revision(c);
  auto t_rate = Steady::now();
  follow_until([&] { return Steady::now() - t_rate >= std::chrono::seconds(3); },
               t_rate + std::chrono::seconds(4));
  double idle_writes_per_s = static_cast<double>(bench::store_revision(c) - rev0) / seconds(Steady::now() - t_rate);

  // Stop the first S nodes at once.
  auto names = c.node_names();
  std::sort(names.begin(), names.end());
  for (size_t i = 0; i < stop; ++i) stopped.insert(names[i]);
  const size_t moved = tracker.on_nodes(stopped);
  const auto rev_before = bench::store_revision(c);
  const auto t_stop = Steady::now();
  for (auto& n : stopped) c.stop_node(n);
  tracker.recount();
  if (!follow_until(all_running, t_stop + std::chrono::seconds(timeout_s))) {
    std::fprintf(stderr, "only %zu of %d pods running again before the timeout\n",
                 tracker.healthy(), pods);
    return 1;
  }
  const double recover_s = seconds(Steady::now() - t_stop);
  const auto writes = bench::store_revision(c) - rev_before;
  std::printf(
      "stopped %zu nodes holding %zu pods; all %d running again after %.2f s (grace %.0f s, "
      "monitor %.0f s, heartbeat %.0f s); %lld writes, against %.0f writes/s of heartbeats before\n",
      stop, moved, pods, recover_s, grace_s, monitor_s, heartbeat_s,
      static_cast<long long>(writes), idle_writes_per_s);
  c.shutdown();
  std::printf("failover: nodes=%zu stopped=%zu pods_moved=%zu recover_s=%.2f writes=%lld\n", nodes,
              stop, moved, recover_s, static_cast<long long>(writes));
  return 0;
}
