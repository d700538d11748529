// The metrics server against fake kubelets (actors answering Summaries the test makes) under
// virtual time: the kubelet's numbers converted as metrics-server converts them, the scrape
// period, a kubelet that does not answer (or does not exist) skipped, deleted nodes and pods
// gone, selectors, and the 404s worded as metrics-server's.
#include <catch2/catch.hpp>

#include <atomic>

#include <caf/all.hpp>

#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/common/context.hpp"
#include "actors/kubelet/protocol/messages.hpp"
#include "actors/metrics/metrics_server.hpp"
#include "actors/metrics/protocol/messages.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/fake_stats_kubelets.hpp"

using namespace kactor;
using namespace kactor::testing;
using metrics::MetricsAnswer;
using metrics::MetricsQuery;

namespace {

struct MetricsFixture : ApiFixture {
  caf::actor apiserver = plane->apiserver();
  client::InformerFactory informers{system.get(), apiserver, clock};
  caf::scoped_actor self{system.get()};
  actors::Context ctx;
  std::shared_ptr<FakeStatsKubelets> kubelets = std::make_shared<FakeStatsKubelets>();
  /// What each node's fake kubelet answers (set() again after a change).
  std::map<std::string, kubelet::Summary> summaries;
  caf::actor server;

  MetricsFixture() {
    ctx.system = &system.get();
    ctx.apiserver = &apiserver;
    ctx.clock = &clock;
    ctx.informers = &informers;
    for (auto* t : {&api::Pod::static_type(), &api::Node::static_type()})
      self->send(informers.get(*t).actor, client::subscribe_atom::value,
                 caf::actor_cast<caf::actor>(self));
  }

  ~MetricsFixture() {
    if (server) {
      self->send_exit(server, caf::exit_reason::user_shutdown);
      self->wait_for(server);
    }
    kubelets->stop();
    informers.shutdown();
  }

  /// A Node and a fake kubelet for it, whose summary has the node's use.
  void add_node(const std::string& name, api::Labels labels, uint64_t nano_cores,
                uint64_t bytes) {
    auto node = make_node(name);
    node.metadata.labels = std::move(labels);
    REQUIRE(client->create(node).has_value());
    summaries[name].node = node_stats(name, nano_cores, bytes, clock.now());
    publish(name);
  }

  void publish(const std::string& node) { kubelets->set(system.get(), node, summaries[node]); }

  /// A Pod (namespace `ns`) reported by `node`'s kubelet with these containers.
  api::ObjectPtr add_pod(const std::string& node, const std::string& ns, const std::string& name,
                         api::Labels labels, std::vector<kubelet::ContainerStats> containers) {
    auto created = client->create(make_pod(ns, name, std::move(labels)));
    REQUIRE(created.has_value());
    kubelet::PodStats p;
    p.pod_ref = {name, ns, (*created)->metadata.uid};
    p.containers = std::move(containers);
    summaries.at(node).pods.push_back(std::move(p));
    publish(node);
    return *created;
  }

  void start(metrics::MetricsServerOptions o = {}) {
    if (!o.kubelet_for) o.kubelet_for = kubelets->lookup();
    server = metrics::spawn_metrics_server(ctx, std::move(o));
  }

  MetricsAnswer query(MetricsQuery q) {
    MetricsAnswer out;
    self->request(server, std::chrono::seconds(10), metrics::metrics_query_atom::value, q)
        .receive([&](MetricsAnswer& a) { out = std::move(a); },
                 [&](caf::error& e) { FAIL("metrics query failed: " << system.get().render(e)); });
    return out;
  }

  MetricsAnswer list_nodes(std::string label_selector = "") {
    MetricsQuery q;
    q.label_selector = std::move(label_selector);
    return query(q);
  }

  MetricsAnswer list_pods(std::string ns = "", std::string label_selector = "") {
    MetricsQuery q;
    q.resource = MetricsQuery::Resource::pods;
    q.namespace_ = std::move(ns);
    q.label_selector = std::move(label_selector);
    return query(q);
  }

  int asked(const std::string& node) { return kubelets->asked(node); }

  /// Waits (real time, bounded) until `done()` holds, re-checking on every informer batch or
  /// every few milliseconds (what the server does in between is not announced).
  template <class Pred>
  bool wait_until(Pred done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      self->receive([](client::InformerEvents&) {},
                    caf::after(std::chrono::milliseconds(5)) >> [] {});
    }
    return true;
  }

  /// Waits until the informers hold `nodes` nodes and `pods` pods.
  void wait_cached(size_t nodes, size_t pods) {
    REQUIRE(wait_until([&] {
      return informers.get(api::Node::static_type()).cache->size() == nodes &&
             informers.get(api::Pod::static_type()).cache->size() == pods;
    }));
  }
};

}  // namespace

TEST_CASE("node and pod use are converted as metrics-server converts them") {
  MetricsFixture f;
  f.add_node("node-0", {{"zone", "a"}}, 250000000, 126418944);
  const auto sampled = f.clock.now();
  f.add_pod("node-0", "default", "web", {{"app", "web"}},
            {container_stats("app", 123456, 1000, sampled), container_stats("sidecar", 2000000000, 268435456, sampled)});
  f.wait_cached(1, 1);
  f.start();
  REQUIRE(f.wait_until([&] { return f.list_pods().pods.size() == 1; }));

  auto nodes = f.list_nodes();
  REQUIRE_FALSE(nodes.error);
  REQUIRE(nodes.nodes.size() == 1);
  const auto& n = nodes.nodes[0];
  CHECK(n.name == "node-0");
  CHECK(n.labels == api::Labels{{"zone", "a"}});
  CHECK(n.usage.at("cpu").to_string() == "250m");
  CHECK(n.usage.at("memory").to_string() == "123456Ki");
  CHECK(n.timestamp == sampled);
  CHECK(n.window == std::chrono::seconds(15));
  CHECK(n.creation_timestamp == f.clock.now());

  const auto pods = f.list_pods();
  REQUIRE(pods.pods.size() == 1);
  const auto& p = pods.pods[0];
  CHECK(p.name == "web");
  CHECK(p.namespace_ == "default");
  CHECK(p.labels == api::Labels{{"app", "web"}});
  CHECK(p.timestamp == sampled);
  REQUIRE(p.containers.size() == 2);
  CHECK(p.containers[0].name == "app");
  CHECK(p.containers[0].usage.at("cpu").to_string() == "123456n");
  CHECK(p.containers[0].usage.at("memory").to_string() == "1k");
  CHECK(p.containers[1].usage.at("cpu").to_string() == "2");
  CHECK(p.containers[1].usage.at("memory").to_string() == "256Mi");
}

TEST_CASE("every kubelet is scraped once per resolution, and new numbers replace old ones") {
  MetricsFixture f;
  f.add_node("node-0", {}, 100000000, 1048576);
  f.wait_cached(1, 0);
  metrics::MetricsServerOptions o;
  o.resolution = std::chrono::seconds(30);
  f.start(o);
  REQUIRE(f.wait_until([&] { return f.list_nodes().nodes.size() == 1; }));
  CHECK(f.asked("node-0") == 1);
  CHECK(f.list_nodes().nodes[0].window == std::chrono::seconds(30));

  f.summaries["node-0"].node.cpu.usage_nano_cores = 500000000;
  f.publish("node-0");
  f.clock.advance(std::chrono::seconds(29));
  CHECK(f.asked("node-0") == 1);
  CHECK(f.list_nodes().nodes[0].usage.at("cpu").to_string() == "100m");
  f.clock.advance(std::chrono::seconds(1));
  REQUIRE(f.wait_until([&] {
    auto n = f.list_nodes();
    return n.nodes.size() == 1 && n.nodes[0].usage.at("cpu").to_string() == "500m";
  }));
  CHECK(f.asked("node-0") == 2);
}

TEST_CASE("a kubelet that does not answer in time, or does not run, is skipped") {
  MetricsFixture f;
  f.add_node("node-0", {}, 100000000, 1048576);
  f.add_node("node-1", {}, 200000000, 2097152);
  f.kubelets->silence("node-1", true);
  auto node2 = make_node("node-2");  // a Node whose kubelet is gone
  REQUIRE(f.client->create(node2).has_value());
  f.add_pod("node-1", "default", "quiet", {}, {container_stats("app", 1000, 1024, f.clock.now())});
  f.wait_cached(3, 1);
  f.start();
  REQUIRE(f.wait_until([&] { return f.asked("node-1") == 1; }));
  // Each answer is stored as it arrives; the round waits for node-1 until its time is up.
  REQUIRE(f.wait_until([&] { return f.list_nodes().nodes.size() == 1; }));
  CHECK(f.list_nodes().nodes[0].name == "node-0");
  f.clock.advance(std::chrono::seconds(10));
  CHECK(f.list_pods().pods.empty());

  MetricsQuery get;
  get.name = "node-1";
  auto missing = f.query(get);
  REQUIRE(missing.error);
  CHECK(missing.error->code == 404);
  CHECK(missing.error->message == "nodemetrics.metrics.k8s.io \"node-1\" not found");

  MetricsQuery pod;
  pod.resource = MetricsQuery::Resource::pods;
  pod.namespace_ = "default";
  pod.name = "quiet";
  auto quiet = f.query(pod);
  REQUIRE(quiet.error);
  CHECK(quiet.error->message == "podmetrics.metrics.k8s.io \"default/quiet\" not found");

  // node-1 answers again at the next round.
  f.kubelets->silence("node-1", false);
  f.clock.advance(std::chrono::seconds(5));
  REQUIRE(f.wait_until([&] { return f.list_nodes().nodes.size() == 2; }));
  CHECK(f.list_pods().pods.size() == 1);

  // Now node-1 falls silent: its numbers of the last round stay until this round's time is
  // up, then the round's end takes them, its pod's with them.
  f.kubelets->silence("node-1", true);
  f.clock.advance(std::chrono::seconds(15));
  REQUIRE(f.wait_until([&] { return f.asked("node-1") == 3; }));
  CHECK(f.list_nodes().nodes.size() == 2);
  f.clock.advance(std::chrono::seconds(10));
  REQUIRE(f.wait_until([&] { return f.list_nodes().nodes.size() == 1; }));
  CHECK(f.list_nodes().nodes[0].name == "node-0");
  CHECK(f.list_pods().pods.empty());
}

/// A kubelet of before the Summary API: every request is an unexpected message, counted.
caf::behavior old_kubelet(caf::event_based_actor* self, std::shared_ptr<std::atomic<int>> asked) {
  self->set_default_handler(
      [asked](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
        ++*asked;
        return caf::make_error(caf::sec::unexpected_message);
      });
  return {[](int32_t) {}};
}

TEST_CASE("a kubelet that does not serve summaries is asked again only after 20 rounds") {
  MetricsFixture f;
  f.add_node("node-0", {}, 100000000, 1048576);
  REQUIRE(f.client->create(make_node("old")).has_value());
  f.wait_cached(2, 0);
  auto asked = std::make_shared<std::atomic<int>>(0);
  auto old = f.system.get().spawn(old_kubelet, asked);
  auto fakes = f.kubelets->lookup();
  metrics::MetricsServerOptions o;
  o.kubelet_for = [old, fakes](const std::string& node) -> std::optional<caf::actor> {
    if (node == "old") return old;
    return fakes(node);
  };
  f.start(o);
  REQUIRE(f.wait_until([&] { return f.list_nodes().nodes.size() == 1 && *asked == 1; }));
  for (int round = 2; round <= 20; ++round) {
    f.clock.advance(std::chrono::seconds(15));
    REQUIRE(f.wait_until([&] { return f.asked("node-0") == round; }));
    CHECK(*asked == 1);
  }
  f.clock.advance(std::chrono::seconds(15));  // round 21: asked again
  REQUIRE(f.wait_until([&] { return *asked == 2; }));
  CHECK(f.list_nodes().nodes.size() == 1);
  f.self->send_exit(old, caf::exit_reason::user_shutdown);
}

TEST_CASE("a deleted pod or node has no metrics, before the next scrape") {
  MetricsFixture f;
  f.add_node("node-0", {}, 100000000, 1048576);
  f.add_node("node-1", {}, 100000000, 1048576);
  f.add_pod("node-0", "default", "a", {}, {container_stats("app", 1000, 1024, f.clock.now())});
  f.add_pod("node-0", "default", "b", {}, {container_stats("app", 1000, 1024, f.clock.now())});
  f.wait_cached(2, 2);
  f.start();
  REQUIRE(f.wait_until([&] { return f.list_pods().pods.size() == 2; }));
  REQUIRE(f.list_nodes().nodes.size() == 2);

  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "a").has_value());
  REQUIRE(f.client->remove(api::Node::static_type(), "", "node-1").has_value());
  f.wait_cached(1, 1);
  auto pods = f.list_pods();
  REQUIRE(pods.pods.size() == 1);
  CHECK(pods.pods[0].name == "b");
  auto nodes = f.list_nodes();
  REQUIRE(nodes.nodes.size() == 1);
  CHECK(nodes.nodes[0].name == "node-0");

  MetricsQuery get;
  get.resource = MetricsQuery::Resource::pods;
  get.namespace_ = "default";
  get.name = "a";
  auto gone = f.query(get);
  REQUIRE(gone.error);
  CHECK(gone.error->code == 404);
  CHECK(gone.error->message == "pods \"a\" not found");
  MetricsQuery node;
  node.name = "node-1";
  auto no_node = f.query(node);
  REQUIRE(no_node.error);
  CHECK(no_node.error->message == "node \"node-1\" not found");

  // A pod created again under the same name is a new pod: no metrics until its kubelet
  // reports it (the summary still names the old pod's uid).
  REQUIRE(f.client->create(make_pod("default", "a")).has_value());
  f.wait_cached(1, 2);
  CHECK(f.list_pods().pods.size() == 1);
}

TEST_CASE("lists filter by namespace, label and field selectors, a bad selector is a 400") {
  MetricsFixture f;
  REQUIRE(f.client->create(make_namespace("team-a")).has_value());
  f.add_node("node-0", {{"zone", "a"}}, 100000000, 1048576);
  f.add_node("node-1", {{"zone", "b"}}, 100000000, 1048576);
  const auto t = f.clock.now();
  f.add_pod("node-0", "default", "web", {{"app", "web"}}, {container_stats("app", 1000, 1024, t)});
  f.add_pod("node-0", "team-a", "web", {{"app", "web"}}, {container_stats("app", 1000, 1024, t)});
  f.add_pod("node-1", "team-a", "db", {{"app", "db"}}, {container_stats("app", 1000, 1024, t)});
  f.wait_cached(2, 3);
  f.start();
  REQUIRE(f.wait_until([&] { return f.list_pods().pods.size() == 3; }));

  auto all = f.list_pods();
  // Sorted by namespace, then name.
  CHECK(all.pods[0].namespace_ == "default");
  CHECK(all.pods[1].name == "db");
  CHECK(all.pods[2].name == "web");
  CHECK(f.list_pods("team-a").pods.size() == 2);
  CHECK(f.list_pods("", "app=web").pods.size() == 2);
  CHECK(f.list_pods("team-a", "app in (db)").pods.size() == 1);
  CHECK(f.list_pods("kube-system").pods.empty());
  CHECK(f.list_nodes("zone=b").nodes.size() == 1);
  CHECK(f.list_nodes("zone=b").nodes[0].name == "node-1");

  MetricsQuery by_field;
  by_field.resource = MetricsQuery::Resource::pods;
  by_field.field_selector = "metadata.namespace=team-a,metadata.name=db";
  auto one = f.query(by_field);
  REQUIRE(one.pods.size() == 1);
  CHECK(one.pods[0].name == "db");

  auto bad = f.list_pods("", "app in (");
  REQUIRE(bad.error);
  CHECK(bad.error->code == 400);
}
