// metrics.k8s.io/v1beta1 and the node proxy's stats/summary over a served in-process cluster
// whose kubelets are fakes answering Summaries the test makes (tests/support): discovery in
// both formats, list and get of NodeMetrics and PodMetrics with selectors, across namespaces and
// in one, the 404s worded as metrics-server's, Tables, and the kubelet's Summary as JSON.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/client/blocking_client.hpp"
#include "actors/http/discovery.hpp"
#include "api/testing/builders.hpp"
#include "api/time/rfc3339.hpp"
#include "api/types/all.hpp"
#include "tests/actors/http/api_fixture.hpp"
#include "tests/support/fake_stats_kubelets.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::http::testing::ClientResponse;
using kactor::http::testing::client_of;
using kactor::http::testing::json_of;
using kactor::testing::FakeStatsKubelets;
using kactor::testing::container_stats;
using kactor::testing::node_stats;
using nlohmann::json;

namespace {

/// A two-node served cluster whose metrics server (scraping every second) and node proxy
/// reach fake kubelets; node-1's fake exists only once a test sets it.
struct MetricsCluster {
  std::shared_ptr<FakeStatsKubelets> kubelets = std::make_shared<FakeStatsKubelets>();
  kactor::testing::ServedCluster c;

  MetricsCluster()
      : c(false, 2, std::chrono::seconds(30),
          [k = kubelets](ClusterOptions& o) {
            o.metrics.resolution = std::chrono::seconds(1);
            o.metrics.kubelet_for = k->lookup();
          },
          [k = kubelets](http::ServeOptions& s) { s.kubelet_for = k->lookup(); }) {}
  ~MetricsCluster() { kubelets->stop(); }

  ClientResponse get(const std::string& target, std::map<std::string, std::string> headers = {}) const {
    return client_of(c).request("GET", target, "", "", std::move(headers));
  }

  api::ObjectPtr create_pod(const std::string& ns, const std::string& name, api::Labels labels) {
    auto created = c.cluster->client().create(api::testing::make_pod(ns, name, std::move(labels)));
    REQUIRE(created.has_value());
    return *created;
  }

  /// Waits (real time, bounded) until GET `target` answers a list of `count` items.
  bool wait_items(const std::string& target, size_t count) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = get(target);
      if (r.status == 200) {
        auto doc = json::parse(r.body, nullptr, false);
        if (doc.is_object() && doc["items"].size() == count) return true;
      }
      // The next scrape is up to a second away; ask again shortly (a bounded poll, not a wait
      // for time to pass).
      caf::scoped_actor self{c.cluster->system()};
      self->receive(caf::after(std::chrono::milliseconds(50)) >> [] {});
    }
    return false;
  }
};

kubelet::PodStats pod_stats(const api::ObjectPtr& pod, std::vector<kubelet::ContainerStats> cs) {
  kubelet::PodStats p;
  p.pod_ref = {pod->metadata.name, pod->metadata.namespace_, pod->metadata.uid};
  p.containers = std::move(cs);
  return p;
}

const std::string kMetrics = "/apis/metrics.k8s.io/v1beta1";

}  // namespace

TEST_CASE("metrics API: discovery lists metrics.k8s.io with nodes and pods, get and list") {
  const auto groups = api_group_list();
  bool listed = false;
  for (const auto& g : groups["groups"])
    if (g["name"] == "metrics.k8s.io") {
      listed = true;
      CHECK(g["preferredVersion"] ==
            json({{"groupVersion", "metrics.k8s.io/v1beta1"}, {"version", "v1beta1"}}));
    }
  CHECK(listed);
  auto list = api_resource_list("metrics.k8s.io", "v1beta1");
  REQUIRE(list);
  CHECK(*list == json::parse(R"({"kind": "APIResourceList", "apiVersion": "v1",
    "groupVersion": "metrics.k8s.io/v1beta1", "resources": [
      {"name": "nodes", "singularName": "", "namespaced": false, "kind": "NodeMetrics",
       "verbs": ["get", "list"]},
      {"name": "pods", "singularName": "", "namespaced": true, "kind": "PodMetrics",
       "verbs": ["get", "list"]}]})"));
  CHECK_FALSE(api_resource_list("metrics.k8s.io", "v1"));
  const auto aggregated = aggregated_discovery(false);
  bool found = false;
  for (const auto& item : aggregated["items"])
    if (item["metadata"]["name"] == "metrics.k8s.io") {
      found = true;
      const auto& v = item["versions"][0];
      CHECK(v["version"] == "v1beta1");
      REQUIRE(v["resources"].size() == 2);
      CHECK(v["resources"][0]["resource"] == "nodes");
      CHECK(v["resources"][0]["scope"] == "Cluster");
      CHECK(v["resources"][0]["responseKind"] ==
            json({{"group", "metrics.k8s.io"}, {"version", "v1beta1"}, {"kind", "NodeMetrics"}}));
      CHECK(v["resources"][1]["scope"] == "Namespaced");
      CHECK(v["resources"][1]["verbs"] == json({"get", "list"}));
    }
  CHECK(found);
}

TEST_CASE("metrics API: lists and gets NodeMetrics and PodMetrics as metrics-server writes them") {
  MetricsCluster m;
  auto& client = m.c.cluster->client();
  REQUIRE(client.create(api::testing::make_namespace("team-a")).has_value());
  auto web = m.create_pod("default", "web", {{"app", "web"}});
  auto db = m.create_pod("team-a", "db", {{"app", "db"}});
  m.create_pod("default", "late", {});  // (its kubelet never reports it)
  const auto at = m.c.cluster->clock().now();
  auto s0 = kubelet::Summary{node_stats("node-0", 250000000, 126418944, at), {}};
  s0.pods.push_back(pod_stats(web, {container_stats("app", 123456, 1000, at)}));
  auto s1 = kubelet::Summary{node_stats("node-1", 1000000000, 268435456, at), {}};
  s1.pods.push_back(pod_stats(db, {container_stats("db", 50000000, 1048576, at),
                                   container_stats("log", 50000000, 1048576, at)}));
  m.kubelets->set(m.c.cluster->system(), "node-0", s0);
  m.kubelets->set(m.c.cluster->system(), "node-1", s1);
  REQUIRE(m.wait_items(kMetrics + "/nodes", 2));
  REQUIRE(m.wait_items(kMetrics + "/pods", 2));

  auto nodes = json_of(m.get(kMetrics + "/nodes"));
  CHECK(nodes["kind"] == "NodeMetricsList");
  CHECK(nodes["apiVersion"] == "metrics.k8s.io/v1beta1");
  CHECK(nodes["items"][0]["metadata"]["name"] == "node-0");
  CHECK(nodes["items"][0]["usage"] == json({{"cpu", "250m"}, {"memory", "123456Ki"}}));
  CHECK(nodes["items"][1]["usage"] == json({{"cpu", "1"}, {"memory", "256Mi"}}));
  CHECK(nodes["items"][0]["window"] == "1s");

  auto node = json_of(m.get(kMetrics + "/nodes/node-1"));
  CHECK(node["kind"] == "NodeMetrics");
  CHECK(node["metadata"]["name"] == "node-1");
  CHECK(node["metadata"].contains("creationTimestamp"));
  CHECK(node["timestamp"] == format_rfc3339(at));

  auto pods = json_of(m.get(kMetrics + "/pods"));
  CHECK(pods["kind"] == "PodMetricsList");
  REQUIRE(pods["items"].size() == 2);
  CHECK(pods["items"][0]["metadata"]["namespace"] == "default");
  CHECK(pods["items"][0]["metadata"]["labels"] == json({{"app", "web"}}));
  CHECK(pods["items"][0]["containers"] ==
        json::parse(R"([{"name": "app", "usage": {"cpu": "123456n", "memory": "1k"}}])"));
  CHECK(pods["items"][1]["containers"].size() == 2);

  auto in_ns = json_of(m.get(kMetrics + "/namespaces/team-a/pods"));
  REQUIRE(in_ns["items"].size() == 1);
  CHECK(in_ns["items"][0]["metadata"]["name"] == "db");
  CHECK(json_of(m.get(kMetrics + "/pods?labelSelector=app%3Dweb"))["items"].size() == 1);
  CHECK(json_of(m.get(kMetrics + "/namespaces/kube-system/pods"))["items"].empty());
  auto one = json_of(m.get(kMetrics + "/namespaces/team-a/pods/db"));
  CHECK(one["kind"] == "PodMetrics");
  CHECK(one["containers"][1]["usage"]["cpu"] == "50m");

  auto no_node = m.get(kMetrics + "/nodes/nope");
  CHECK(no_node.status == 404);
  CHECK(json_of(no_node)["message"] == "node \"nope\" not found");
  auto no_pod = m.get(kMetrics + "/namespaces/default/pods/nope");
  CHECK(no_pod.status == 404);
  CHECK(json_of(no_pod)["message"] == "pods \"nope\" not found");
  // A pod the kubelet has not reported: metrics-server's own 404.
  auto late = m.get(kMetrics + "/namespaces/default/pods/late");
  CHECK(late.status == 404);
  CHECK(json_of(late)["message"] == "podmetrics.metrics.k8s.io \"default/late\" not found");
  CHECK(json_of(late)["details"]["group"] == "metrics.k8s.io");

  auto bad = m.get(kMetrics + "/pods?labelSelector=app%20in%20(");
  CHECK(bad.status == 400);
  CHECK(m.get(kMetrics + "/namespaces/default/nodes").status == 404);
  CHECK(m.get(kMetrics + "/pods/web").status == 404);
  CHECK(m.get(kMetrics + "/nodes?watch=true").status == 405);
  CHECK(client_of(m.c).request("DELETE", kMetrics + "/nodes/node-0").status == 405);

  // kubectl get nodes.metrics.k8s.io asks for a Table.
  auto table = json_of(m.get(kMetrics + "/nodes",
                             {{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}}));
  CHECK(table["kind"] == "Table");
  std::vector<std::string> columns;
  for (const auto& c : table["columnDefinitions"]) columns.push_back(c["name"]);
  CHECK(columns == std::vector<std::string>{"Name", "cpu", "memory", "Window"});
  CHECK(table["rows"][0]["cells"] == json({"node-0", "250m", "123456Ki", "1s"}));
  CHECK(table["rows"][0]["object"]["kind"] == "PartialObjectMetadata");
  auto pod_table = json_of(m.get(kMetrics + "/namespaces/team-a/pods",
                                 {{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}}));
  CHECK(pod_table["rows"][0]["cells"] == json({"db", "100m", "2Mi", "1s"}));
}

TEST_CASE("metrics API: the node proxy serves the kubelet's stats summary as upstream's JSON") {
  MetricsCluster m;
  auto web = m.create_pod("default", "web", {});
  const auto at = m.c.cluster->clock().now();
  auto s = kubelet::Summary{node_stats("node-0", 250000000, 126418944, at), {}};
  s.node.memory.available_bytes = 1000;
  s.node.fs = kubelet::FsStats{at, 10, 20, 10, std::nullopt, std::nullopt, std::nullopt};
  s.pods.push_back(pod_stats(web, {container_stats("app", 123456, 1000, at)}));
  m.kubelets->set(m.c.cluster->system(), "node-0", s);

  auto r = m.get("/api/v1/nodes/node-0/proxy/stats/summary");
  REQUIRE(r.status == 200);
  auto doc = json_of(r);
  const auto t = format_rfc3339(at);
  CHECK(doc["node"]["nodeName"] == "node-0");
  CHECK(doc["node"]["cpu"] == json({{"time", t}, {"usageNanoCores", 250000000}}));
  CHECK(doc["node"]["memory"] ==
        json({{"time", t}, {"availableBytes", 1000}, {"workingSetBytes", 126418944}}));
  CHECK(doc["node"]["fs"] ==
        json({{"time", t}, {"availableBytes", 10}, {"capacityBytes", 20}, {"usedBytes", 10}}));
  CHECK_FALSE(doc["node"].contains("runtime"));
  REQUIRE(doc["pods"].size() == 1);
  CHECK(doc["pods"][0]["podRef"] ==
        json({{"name", "web"}, {"namespace", "default"}, {"uid", web->metadata.uid}}));
  CHECK(doc["pods"][0]["containers"][0]["name"] == "app");
  CHECK(doc["pods"][0]["containers"][0]["memory"]["workingSetBytes"] == 1000);

  auto unknown = m.get("/api/v1/nodes/nope/proxy/stats/summary");
  CHECK(unknown.status == 404);
  CHECK(json_of(unknown)["message"] == "nodes \"nope\" not found");
  // node-1 exists but no kubelet answers for it.
  CHECK(m.get("/api/v1/nodes/node-1/proxy/stats/summary").status == 503);
  CHECK(m.get("/api/v1/nodes/node-0/proxy/metrics/cadvisor").status == 404);
  CHECK(m.get("/api/v1/namespaces/default/pods/web/proxy/x/y").status == 404);
}

TEST_CASE("metrics API: without a metrics server the group answers 503") {
  kactor::testing::ServedCluster c(false, 1, std::chrono::seconds(30), {},
                                   [](http::ServeOptions& s) { s.metrics = caf::actor{}; });
  auto r = client_of(c).request("GET", kMetrics + "/nodes");
  CHECK(r.status == 503);
  CHECK(json_of(r)["reason"] == "ServiceUnavailable");
}
