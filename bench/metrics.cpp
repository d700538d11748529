// bench_metrics: what the metrics server's store costs at cluster scale. N nodes × P pods (one
// container each) in informer caches and one scrape round of Summaries: the time to store a
// round (MetricsStore::replace, once per resolution) and to answer `kubectl top pod -A` (every
// pod), `kubectl top pod -n` (one namespace of 1/10 of the pods), `kubectl top node` and one get.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "actors/client/cache.hpp"
#include "actors/metrics/metrics_store.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

namespace {

using Steady = std::chrono::steady_clock;

template <class F>
double best_ms(int runs, F f) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Steady::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_metrics: the metrics server's store at cluster scale"};
  size_t nodes = 1000, pods_per_node = 30;
  int runs = 5;
  app.add_option("--nodes", nodes, "nodes");
  app.add_option("--pods-per-node", pods_per_node, "pods on each node");
  app.add_option("--runs", runs, "runs per measurement (the best is printed)");
  CLI11_PARSE(app, argc, argv);

  using namespace kactor;
  client::Cache node_cache, pod_cache;
  std::vector<kubelet::Summary> round;
  const TimePoint at{std::chrono::seconds(1'800'000'000)};
  for (size_t n = 0; n < nodes; ++n) {
    const auto name = "node-" + std::to_string(n);
    node_cache.upsert(std::make_shared<api::Node>(api::testing::make_node(name)));
    kubelet::Summary s;
    s.node.node_name = name;
    s.node.cpu = {at, 1500000000, std::nullopt};
    s.node.memory.time = at;
    s.node.memory.working_set_bytes = 3ull << 30;
    for (size_t p = 0; p < pods_per_node; ++p) {
      auto pod = api::testing::make_pod("ns-" + std::to_string(p % 10),
                                        name + "-pod-" + std::to_string(p), {{"app", "a"}});
      pod.metadata.uid = "uid-" + name + "-" + std::to_string(p);
      kubelet::PodStats ps;
      ps.pod_ref = {pod.metadata.name, pod.metadata.namespace_, pod.metadata.uid};
      kubelet::ContainerStats c;
      c.name = "app";
      c.cpu = {at, 50000000, std::nullopt};
      c.memory.time = at;
      c.memory.working_set_bytes = 100ull << 20;
      ps.containers.push_back(c);
      s.pods.push_back(std::move(ps));
      pod_cache.upsert(std::make_shared<api::Pod>(std::move(pod)));
    }
    round.push_back(std::move(s));
  }
  metrics::MetricsStore store;
  const double replace = best_ms(runs, [&] { store.replace(round, std::chrono::seconds(15)); });
  metrics::MetricsQuery all_pods;
  all_pods.resource = metrics::MetricsQuery::Resource::pods;
  size_t answered = 0;
  const double top_pods = best_ms(runs, [&] { answered = store.answer(all_pods, node_cache, pod_cache, at).pods.size(); });
  auto one_ns = all_pods;
  one_ns.namespace_ = "ns-3";
  const double top_ns = best_ms(runs, [&] { store.answer(one_ns, node_cache, pod_cache, at); });
  metrics::MetricsQuery all_nodes;
  const double top_nodes = best_ms(runs, [&] { store.answer(all_nodes, node_cache, pod_cache, at); });
  auto get = one_ns;
  get.name = "node-7-pod-3";
  const double get_one = best_ms(runs, [&] { store.answer(get, node_cache, pod_cache, at); });
  std::printf("nodes %zu, pods %zu (answered %zu)\n", nodes, nodes * pods_per_node, answered);
  std::printf("store a round: %.1f ms\ntop pod -A: %.1f ms\ntop pod -n (1/10): %.1f ms\n"
              "top node: %.1f ms\nget one pod: %.3f ms\n",
              replace, top_pods, top_ns, top_nodes, get_one);
  return answered == nodes * pods_per_node ? 0 : 1;
}
