// bench_rollout: how fast a whole in-process cluster rolls a large Deployment to a new
// template, and what that costs the API. N simulated nodes run a Deployment of P pods
// (RollingUpdate, maxSurge 25 % / maxUnavailable 25 % unless told otherwise); once every pod
// is available the template changes (a new image and label value), and the benchmark follows
// the rollout until the Deployment reports it complete (observedGeneration caught up, every
// replica updated and available, no pod of the old template left). Reported: the rollout
// time, and the API writes per replaced pod (store revisions during the rollout, less the
// writes the idle cluster makes in the same time — node heartbeats — measured just before).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "actors/client/blocking_client.hpp"
#include "api/resource_version.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"
#include "bench/cluster_common.hpp"
#include "runtime/cluster.hpp"

namespace {

using Steady = std::chrono::steady_clock;
using namespace kactor;

double seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

/// Pods per value of the `version` label, live (not being deleted) and running-and-ready,
/// plus the most pods that existed at once: followed from the pod watch.
class PodCounter {
 public:
  void apply(const apiserver::WatchEvent& ev) {
    if (ev.type == apiserver::WatchEvent::Type::bookmark) return;
    auto pod = api::as<api::Pod>(ev.object);
    if (!pod) return;
    const auto& name = pod->metadata.name;
    if (auto it = pods_.find(name); it != pods_.end()) forget(it->second);
    if (ev.type == apiserver::WatchEvent::Type::deleted) {
      pods_.erase(name);
      return;
    }
    View v;
    auto label = pod->metadata.labels.find("version");
    v.version = label == pod->metadata.labels.end() ? "" : label->second;
    v.live = !pod->metadata.deletion_timestamp.has_value();
    v.ready = v.live && api::is_ready(*pod);
    count(v);
    pods_[name] = std::move(v);
    if (total_ > max_total_) max_total_ = total_;
  }
  int64_t live(const std::string& version) const { return get(live_, version); }
  int64_t ready(const std::string& version) const { return get(ready_, version); }
  /// Pods that existed (not yet deleted from the store) at the peak.
  int64_t max_total() const { return max_total_; }
  void reset_peak() { max_total_ = total_; }

 private:
  struct View {
    std::string version;
    bool live = false;
    bool ready = false;
  };
  static int64_t get(const std::unordered_map<std::string, int64_t>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  }
  void count(const View& v, int sign = 1) {
    total_ += sign;
    if (v.live) live_[v.version] += sign;
    if (v.ready) ready_[v.version] += sign;
  }
  void forget(const View& v) { count(v, -1); }

  std::unordered_map<std::string, View> pods_;
  std::unordered_map<std::string, int64_t> live_, ready_;
  int64_t total_ = 0, max_total_ = 0;
};

api::Deployment make_deployment(int32_t replicas, const std::string& surge,
                                const std::string& unavailable) {
  auto rc = api::testing::make_replication_controller("default", "rollout", replicas,
                                                      {{"app", "rollout"}});
  api::Deployment d;
  d.metadata.namespace_ = "default";
  d.metadata.name = "rollout";
  d.spec.replicas = replicas;
  d.spec.selector.emplace();
  d.spec.selector->match_labels = {{"app", "rollout"}};
  d.spec.template_ = *rc.spec.template_;
  d.spec.template_.metadata.labels["version"] = "v1";
  auto& container = d.spec.template_.spec.containers.front();
  container.image = "nginx:1.26";
  container.resources.requests["cpu"] = api::testing::qty("10m");
  container.resources.requests["memory"] = api::testing::qty("16Mi");
  d.spec.strategy.type = "RollingUpdate";
  d.spec.strategy.rolling_update.emplace();
  auto int_or_percent = [](const std::string& s) {
    return s.ends_with('%') ? api::IntOrString::from_string(s)
                            : api::IntOrString::from_int(std::stoi(s));
  };
  d.spec.strategy.rolling_update->max_surge = int_or_percent(surge);
  d.spec.strategy.rolling_update->max_unavailable = int_or_percent(unavailable);
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_rollout: time and API writes to roll a Deployment to a new template"};
  size_t nodes = 1000;
  int32_t pods = 10000;
  std::string max_surge = "25%", max_unavailable = "25%";
  int timeout_s = 600;

  std::string cluster_cidr;  // empty: sized from the node count (runtime/pod_network.hpp)
  app.add_option("--nodes", nodes, "simulated nodes");
  app.add_option("--pods", pods, "replicas of the Deployment");
  app.add_option("--max-surge", max_surge, "rollingUpdate.maxSurge (int or percentage)");
  app.add_option("--max-unavailable", max_unavailable,
                 "rollingUpdate.maxUnavailable (int or percentage)");
  app.add_option("--timeout-s", timeout_s, "give up after this many seconds (each phase)");
  app.add_option("--cluster-cidr", cluster_cidr, "pod network; each node gets a /24 of it (default: sized from --nodes)");
  CLI11_PARSE(app, argc, argv);

  ClusterOptions opts;
  opts.nodes = nodes;
  opts.cluster_cidr = cluster_cidr;
  auto cluster = bench::start_ready_cluster(opts, std::chrono::seconds(timeout_s));
  if (!cluster) return 1;
  auto& c = *cluster;

  apiserver::WatchRequest wr;
  wr.resource = "pods";
  wr.namespace_ = "default";
  auto watch = c.client().watch(wr);
  if (!watch) return 1;
  PodCounter counter;
  // Follows the pod watch until done() holds; the Deployment's status is read at most every
  // 100 ms, between watch events.
  auto follow_until = [&](auto done, Steady::time_point deadline) {
    auto next_check = Steady::now();
    while (Steady::now() < deadline) {
      if (Steady::now() >= next_check) {
        if (done()) return true;
        next_check = Steady::now() + std::chrono::milliseconds(100);
      }
      if (auto ev = watch->next(std::chrono::milliseconds(100))) counter.apply(**ev);
    }
    return done();
  };
  auto deployment = [&] { return c.client().get<api::Deployment>("default", "rollout"); };
  // Complete as `kubectl rollout status` judges it, and no pod of another version left.
  auto complete = [&](const std::string& version) {
    auto d = deployment();
    if (!d) return false;
    const auto& s = (*d)->status;
    const std::string other = version == "v1" ? "v2" : "v1";
    return s.observed_generation >= (*d)->metadata.generation && s.updated_replicas == pods &&
           s.replicas == pods && s.available_replicas == pods && counter.live(version) == pods &&
           counter.ready(version) == pods && counter.live(other) == 0;
  };

  auto t_create = Steady::now();
  if (auto r = c.client().create(make_deployment(pods, max_surge, max_unavailable)); !r) {
    std::fprintf(stderr, "create deployment: %s\n", r.error().message.c_str());
    return 1;
  }
  if (!follow_until([&] { return complete("v1"); }, t_create + std::chrono::seconds(timeout_s))) {
    std::fprintf(stderr, "only %lld of %d v1 pods ready before the timeout\n",
                 static_cast<long long>(counter.ready("v1")), pods);
    return 1;
  }
  std::printf("%d pods of v1 available on %zu nodes after %.2f s\n", pods, nodes,
              seconds(Steady::now() - t_create));

  // The idle write rate (heartbeats), to read the rollout's writes against.
  auto rev0 = bench::store_revision(c);
  auto t_rate = Steady::now();
  follow_until([&] { return Steady::now() - t_rate >= std::chrono::seconds(3); },
               t_rate + std::chrono::seconds(4));
  const double idle_writes_per_s =
      static_cast<double>(bench::store_revision(c) - rev0) / seconds(Steady::now() - t_rate);

  // Roll to v2: a new image and label value.
  auto current = deployment();
  if (!current) return 1;
  api::Deployment next = **current;
  next.spec.template_.metadata.labels["version"] = "v2";
  next.spec.template_.spec.containers.front().image = "nginx:1.27";
  counter.reset_peak();
  const auto rev_before = bench::store_revision(c);
  const auto t_roll = Steady::now();
  if (auto r = c.client().update(next); !r) {
    std::fprintf(stderr, "update deployment: %s\n", r.error().message.c_str());
    return 1;
  }
  if (!follow_until([&] { return complete("v2"); }, t_roll + std::chrono::seconds(timeout_s))) {
    std::fprintf(stderr, "rollout incomplete before the timeout: %lld v2 ready, %lld v1 left\n",
                 static_cast<long long>(counter.ready("v2")),
                 static_cast<long long>(counter.live("v1")));
    return 1;
  }
  const double rollout_s = seconds(Steady::now() - t_roll);
  const auto writes = bench::store_revision(c) - rev_before;
  const double rollout_writes = static_cast<double>(writes) - idle_writes_per_s * rollout_s;
  const double writes_per_pod = rollout_writes / pods;
  std::printf(
      "rolled %d pods (maxSurge %s, maxUnavailable %s) in %.2f s; at most %lld pods at once; "
      "%lld writes, of which ~%.0f the idle cluster's (%.0f writes/s of heartbeats)\n",
      pods, max_surge.c_str(), max_unavailable.c_str(), rollout_s,
      static_cast<long long>(counter.max_total()), static_cast<long long>(writes),
      idle_writes_per_s * rollout_s, idle_writes_per_s);
  c.shutdown();
  std::printf("rollout: nodes=%zu pods=%d rollout_s=%.2f writes_per_pod=%.2f\n", nodes, pods,
              rollout_s, writes_per_pod);
  return 0;
}
