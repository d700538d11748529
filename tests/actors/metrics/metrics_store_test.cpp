// The metrics server's store taking a scrape round one summary at a time: each summary
// replaces what the last round said of its node and pods at once, and the round's end drops
// the nodes and pods no summary of the round covered.
#include <catch2/catch.hpp>

#include "actors/client/cache.hpp"
#include "actors/metrics/metrics_store.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

using namespace kactor;

namespace {

const TimePoint kAt{std::chrono::seconds(1'800'000'000)};
constexpr Duration kWindow = std::chrono::seconds(15);

/// A node's summary with one pod ("<node>-pod", one container "app") using `nano_cores`.
kubelet::Summary summary(const std::string& node, uint64_t nano_cores) {
  kubelet::Summary s;
  s.node.node_name = node;
  s.node.cpu = {kAt, nano_cores, std::nullopt};
  s.node.memory.time = kAt;
  s.node.memory.working_set_bytes = 1 << 30;
  kubelet::PodStats p;
  p.pod_ref = {node + "-pod", "default", "uid-" + node};
  kubelet::ContainerStats c;
  c.name = "app";
  c.cpu = {kAt, nano_cores, std::nullopt};
  c.memory.time = kAt;
  c.memory.working_set_bytes = 1 << 20;
  p.containers.push_back(c);
  s.pods.push_back(std::move(p));
  return s;
}

struct StoreFixture {
  client::Cache nodes, pods;
  metrics::MetricsStore store;

  StoreFixture() {
    for (std::string n : {"a", "b"}) {
      nodes.upsert(std::make_shared<api::Node>(api::testing::make_node(n)));
      auto pod = api::testing::make_pod("default", n + "-pod", {});
      pod.metadata.uid = "uid-" + n;
      pods.upsert(std::make_shared<api::Pod>(std::move(pod)));
    }
  }

  /// The node's cpu as `kubectl top node` shows it, "" when it has no metrics.
  std::string node_cpu(const std::string& name) {
    metrics::MetricsQuery q;
    q.name = name;
    auto a = store.answer(q, nodes, pods, kAt);
    return a.nodes.empty() ? "" : a.nodes[0].usage.at("cpu").to_string();
  }
  std::string pod_cpu(const std::string& name) {
    metrics::MetricsQuery q;
    q.resource = metrics::MetricsQuery::Resource::pods;
    q.namespace_ = "default";
    q.name = name;
    auto a = store.answer(q, nodes, pods, kAt);
    return a.pods.empty() ? "" : a.pods[0].containers.at(0).usage.at("cpu").to_string();
  }
};

}  // namespace

TEST_CASE("a round's summaries are stored as they arrive, its end drops what it did not cover") {
  StoreFixture f;
  auto first = f.store.replace({summary("a", 100'000'000), summary("b", 200'000'000)}, kWindow);
  CHECK(first.nodes == 2);
  CHECK(first.pods == 2);
  CHECK(f.node_cpu("a") == "100m");
  CHECK(f.pod_cpu("b-pod") == "200m");

  f.store.begin_round();
  f.store.add(summary("a", 300'000'000), kWindow);
  // Mid-round: node a already has this round's numbers, node b still the last round's.
  CHECK(f.node_cpu("a") == "300m");
  CHECK(f.pod_cpu("a-pod") == "300m");
  CHECK(f.node_cpu("b") == "200m");
  CHECK(f.pod_cpu("b-pod") == "200m");

  // b's kubelet never answered: the round's end takes its node and pod away.
  auto second = f.store.end_round();
  CHECK(second.nodes == 1);
  CHECK(second.pods == 1);
  CHECK(second.incomplete == 0);
  CHECK(f.node_cpu("a") == "300m");
  CHECK(f.node_cpu("b").empty());
  CHECK(f.pod_cpu("b-pod").empty());
}

TEST_CASE("a round counts the nodes and containers it left out for missing numbers") {
  StoreFixture f;
  f.store.begin_round();
  auto no_cpu = summary("a", 100'000'000);
  no_cpu.node.cpu.usage_nano_cores.reset();
  no_cpu.pods[0].containers[0].memory.working_set_bytes.reset();
  f.store.add(no_cpu, kWindow);
  f.store.add(summary("b", 200'000'000), kWindow);
  auto stored = f.store.end_round();
  CHECK(stored.incomplete == 2);
  CHECK(stored.nodes == 1);
  CHECK(stored.pods == 1);  // a's pod had no container left
  CHECK(f.node_cpu("a").empty());
  CHECK(f.pod_cpu("a-pod").empty());
  CHECK(f.pod_cpu("b-pod") == "200m");

  // A new round starts its count afresh.
  f.store.begin_round();
  f.store.add(summary("a", 100'000'000), kWindow);
  CHECK(f.store.end_round().incomplete == 0);
}

TEST_CASE("what a summary of the round lacks keeps the last round's point until the round ends") {
  StoreFixture f;
  f.store.replace({summary("a", 100'000'000), summary("b", 200'000'000)}, kWindow);
  f.store.begin_round();
  // a answers without its node's cpu, and no longer lists its pod.
  auto lacking = summary("a", 300'000'000);
  lacking.node.cpu.usage_nano_cores.reset();
  lacking.pods.clear();
  f.store.add(lacking, kWindow);
  f.store.add(summary("b", 400'000'000), kWindow);
  CHECK(f.node_cpu("a") == "100m");
  CHECK(f.pod_cpu("a-pod") == "100m");
  CHECK(f.node_cpu("b") == "400m");
  auto stored = f.store.end_round();
  CHECK(stored.incomplete == 1);
  CHECK(f.node_cpu("a").empty());
  CHECK(f.pod_cpu("a-pod").empty());
  CHECK(f.node_cpu("b") == "400m");
  CHECK(f.pod_cpu("b-pod") == "400m");
}
