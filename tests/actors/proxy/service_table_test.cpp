// kube-proxy: the service table alone (uniform spread, ClientIP affinity, readiness, the
// routing view), then the actor over a real API server with Services and Endpoints written
// directly through the client.
#include <map>

#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/common/context.hpp"
#include "actors/proxy/messages.hpp"
#include "actors/proxy/proxy.hpp"
#include "actors/client/cache.hpp"
#include "actors/client/indexes.hpp"
#include "actors/proxy/routing.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

api::Service make_service(const std::string& name, const std::string& ip,
                          const std::string& affinity = "None") {
  api::Service s;
  s.metadata.namespace_ = "default";
  s.metadata.name = name;
  s.spec.type = "ClusterIP";
  s.spec.cluster_ip = ip;
  s.spec.cluster_ips = {ip};
  s.spec.session_affinity = affinity;
  if (affinity == "ClientIP")
    s.spec.session_affinity_config = api::SessionAffinityConfig{api::ClientIPConfig{60}};
  api::ServicePort p;
  p.port = 80;
  p.protocol = "TCP";
  s.spec.ports.push_back(p);
  return s;
}

api::Endpoints make_endpoints(const std::string& name, const std::vector<std::string>& ready,
                              const std::vector<std::string>& not_ready, int32_t port = 8080) {
  api::Endpoints e;
  e.metadata.namespace_ = "default";
  e.metadata.name = name;
  api::EndpointSubset ss;
  for (const auto& ip : ready) ss.addresses.push_back(api::EndpointAddress{ip, "", {}, {}});
  for (const auto& ip : not_ready)
    ss.not_ready_addresses.push_back(api::EndpointAddress{ip, "", {}, {}});
  api::EndpointPort p;
  p.port = port;
  p.protocol = "TCP";
  ss.ports.push_back(p);
  e.subsets.push_back(ss);
  return e;
}

/// Pearson's chi-square statistic of `counts` against a uniform spread.
double chi_square(const std::map<std::string, int>& counts, int total) {
  double expected = double(total) / counts.size(), chi = 0;
  for (const auto& [k, c] : counts) chi += (c - expected) * (c - expected) / expected;
  return chi;
}

}  // namespace

TEST_CASE("the service table spreads connections uniformly over ready endpoints", "[proxy]") {
  proxy::ServiceTable table;
  auto svc = make_service("web", "10.96.0.50");
  auto eps = make_endpoints("web", {"10.244.1.2", "10.244.1.3", "10.244.2.2", "10.244.2.3"},
                            {"10.244.3.9"});
  table.sync("default/web", &svc, &eps);
  const uint64_t seed = 20261127;
  INFO("seed " << seed);
  Random random(seed);
  std::map<std::string, int> counts;
  const int n = 8000;
  TimePoint now = test_epoch();
  for (int i = 0; i < n; ++i) {
    auto b = table.connect({"10.244.9.9", "10.96.0.50", 80, "TCP", false}, now, random);
    REQUIRE(b.has_value());
    CHECK(b->port == 8080);
    counts[b->ip]++;
  }
  CHECK(counts.size() == 4);  // never the not-ready one
  CHECK(counts.count("10.244.3.9") == 0);
  // 3 degrees of freedom: P(chi² > 16.27) = 0.001.
  CHECK(chi_square(counts, n) < 16.27);

  auto unknown = table.connect({"10.244.9.9", "10.96.0.51", 80, "TCP", false}, now, random);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(std::string(proxy::to_string(unknown.error())) == "unknown service");
  auto wrong_proto = table.connect({"10.244.9.9", "10.96.0.50", 80, "UDP", false}, now, random);
  CHECK_FALSE(wrong_proto.has_value());

  auto none_ready = make_endpoints("web", {}, {"10.244.3.9"});
  table.sync("default/web", &svc, &none_ready);
  auto empty = table.connect({"10.244.9.9", "10.96.0.50", 80, "TCP", false}, now, random);
  REQUIRE_FALSE(empty.has_value());
  CHECK(std::string(proxy::to_string(empty.error())) == "no endpoints");

  table.sync("default/web", nullptr, &none_ready);
  CHECK(table.size() == 0);
}

TEST_CASE("ClientIP affinity sticks per client until the timeout", "[proxy]") {
  proxy::ServiceTable table;
  auto svc = make_service("web", "10.96.0.50", "ClientIP");  // 60 s timeout
  auto eps = make_endpoints("web", {"10.244.1.2", "10.244.1.3", "10.244.2.2", "10.244.2.3"}, {});
  table.sync("default/web", &svc, &eps);
  const uint64_t seed = 99;
  INFO("seed " << seed);
  Random random(seed);
  TimePoint now = test_epoch();
  proxy::Connection c{"10.244.9.9", "10.96.0.50", 80, "TCP", false};
  auto first = table.connect(c, now, random);
  REQUIRE(first.has_value());
  for (int i = 0; i < 50; ++i) {
    now += std::chrono::seconds(30);  // each use refreshes the 60 s window
    auto again = table.connect(c, now, random);
    REQUIRE(again.has_value());
    CHECK(*again == *first);
  }
  // Other clients spread independently.
  std::set<std::string> others;
  for (int i = 0; i < 40; ++i) {
    proxy::Connection o{"10.244.8." + std::to_string(i), "10.96.0.50", 80, "TCP", false};
    others.insert(table.connect(o, now, random)->ip);
  }
  CHECK(others.size() > 1);
  // After the timeout the client is picked afresh: over many expiries it sees every backend.
  std::set<std::string> after;
  for (int i = 0; i < 60; ++i) {
    now += std::chrono::seconds(61);
    after.insert(table.connect(c, now, random)->ip);
  }
  CHECK(after.size() == 4);
  // A sticky backend that stops being ready is abandoned at once.
  auto sticky = table.connect(c, now, random);
  std::vector<std::string> rest;
  for (auto ip : {"10.244.1.2", "10.244.1.3", "10.244.2.2", "10.244.2.3"})
    if (sticky->ip != ip) rest.push_back(ip);
  auto fewer = make_endpoints("web", rest, {sticky->ip});
  table.sync("default/web", &svc, &fewer);
  CHECK(table.connect(c, now, random)->ip != sticky->ip);
}

TEST_CASE("the routing view maps pod IPs to nodes by podCIDR, from the shared Node cache", "[proxy]") {
  client::Cache nodes;
  client::add_node_pod_cidr_index(nodes);
  auto node = [&](const std::string& name, const std::string& cidr) {
    auto n = std::make_shared<api::Node>();
    n->metadata.name = name;
    n->spec.pod_cidr = cidr;
    nodes.upsert(n);
    return n;
  };
  node("n1", "10.244.1.0/24");
  node("n2", "10.244.2.0/24");
  node("n3", "bogus");  // not filed
  CHECK(proxy::node_for_pod_ip(nodes, "10.244.1.17") == "n1");
  CHECK(proxy::node_for_pod_ip(nodes, "10.244.2.254") == "n2");
  CHECK_FALSE(proxy::node_for_pod_ip(nodes, "10.244.3.1").has_value());
  CHECK_FALSE(proxy::node_for_pod_ip(nodes, "not-an-ip").has_value());

  // spec.podCIDRs[0] when spec.podCIDR is empty.
  auto n4 = std::make_shared<api::Node>();
  n4->metadata.name = "n4";
  n4->spec.pod_cidrs = {"10.244.4.0/24"};
  nodes.upsert(n4);
  CHECK(proxy::node_for_pod_ip(nodes, "10.244.4.9") == "n4");

  // A node moved to another range leaves the old one; one without a range leaves the view;
  // a deleted node is gone.
  node("n3", "10.244.3.0/24");
  CHECK(proxy::node_for_pod_ip(nodes, "10.244.3.1") == "n3");
  node("n3", "10.244.5.0/24");
  CHECK_FALSE(proxy::node_for_pod_ip(nodes, "10.244.3.1").has_value());
  CHECK(proxy::node_for_pod_ip(nodes, "10.244.5.1") == "n3");
  node("n3", "");
  CHECK_FALSE(proxy::node_for_pod_ip(nodes, "10.244.5.1").has_value());
  nodes.erase("n1");
  CHECK_FALSE(proxy::node_for_pod_ip(nodes, "10.244.1.17").has_value());

  // Overlapping ranges: the longest prefix wins, whatever the order they came in.
  node("wide", "10.250.0.0/16");
  node("narrow", "10.250.7.0/24");
  CHECK(proxy::node_for_pod_ip(nodes, "10.250.7.3") == "narrow");
  CHECK(proxy::node_for_pod_ip(nodes, "10.250.8.3") == "wide");
}
TEST_CASE("the proxy actor answers from ready endpoints and sticks under virtual time", "[proxy]") {
  ApiFixture f;
  client::InformerFactory informers(f.system.get(), f.plane->apiserver(), f.clock);
  caf::actor apiserver = f.plane->apiserver();
  actors::Context ctx;
  ctx.system = &f.system.get();
  ctx.apiserver = &apiserver;
  ctx.clock = &f.clock;
  ctx.informers = &informers;
  ctx.seed = 1234;
  INFO("seed 1234");

  for (auto [name, cidr] : {std::pair{"n1", "10.244.1.0/24"}, std::pair{"n2", "10.244.2.0/24"}}) {
    api::Node n;
    n.metadata.name = name;
    n.spec.pod_cidr = cidr;
    REQUIRE(f.client->create(n).has_value());
  }
  // The API server allocates the ClusterIP; the proxy learns it from the watch.
  auto web = make_service("web", "");
  web.spec.cluster_ip.clear();
  web.spec.cluster_ips.clear();
  web.spec.type = "NodePort";
  auto created = f.client->create(web);
  REQUIRE(created.has_value());
  auto svc = api::as<api::Service>(*created);
  const std::string ip = svc->spec.cluster_ip;
  const int32_t node_port = svc->spec.ports[0].node_port;
  REQUIRE(f.client->create(make_endpoints("web", {"10.244.1.5", "10.244.2.6"}, {"10.244.2.7"}))
              .has_value());
  auto sticky = make_service("sticky", "10.96.0.77", "ClientIP");
  REQUIRE(f.client->create(sticky).has_value());
  REQUIRE(f.client->create(make_endpoints("sticky", {"10.244.1.8", "10.244.2.9"}, {})).has_value());

  auto proxy_actor = proxy::spawn_proxy(ctx, {"n1"});
  caf::scoped_actor self{f.system.get()};
  auto await = [&](const std::string& sip, uint64_t n) {
    bool ok = false;
    self->request(proxy_actor, kWait, proxy::proxy_await_atom::value, sip, int32_t{80},
                  std::string("TCP"), n)
        .receive([&](bool b) { ok = b; }, [&](caf::error&) {});
    REQUIRE(ok);
  };
  auto connect = [&](proxy::Connection c) {
    proxy::ConnectReply reply;
    bool got = false;
    self->request(proxy_actor, kWait, proxy::proxy_connect_atom::value, c)
        .receive(
            [&](proxy::ConnectReply& r) {
              reply = r;
              got = true;
            },
            [&](caf::error&) {});
    REQUIRE(got);
    return reply;
  };
  await(ip, 2);
  await("10.96.0.77", 2);
  // Routes come from the node informer's cache, which the proxy reads without subscribing;
  // its endpoints can be ready before the nodes are listed, so wait for that informer too.
  auto node_informer = informers.get(api::Node::static_type());
  self->send(node_informer.actor, client::subscribe_atom::value, caf::actor_cast<caf::actor>(self));
  for (bool synced = false; !synced;)
    self->receive([&](client::InformerEvents& b) { synced = b.synced; },
                  caf::after(std::chrono::seconds(30)) >> [&] { FAIL("the node informer never synced"); });
  self->send(node_informer.actor, client::unsubscribe_atom::value, caf::actor_cast<caf::actor>(self));

  std::map<std::string, int> seen;
  for (int i = 0; i < 200; ++i) {
    auto r = connect({"10.244.1.100", ip, 80, "TCP", false});
    REQUIRE(r.backend.has_value());
    seen[r.backend->to_string()]++;
    CHECK(r.node == (r.backend->ip == "10.244.1.5" ? "n1" : "n2"));
  }
  CHECK(seen.size() == 2);
  CHECK(seen.count("10.244.2.7:8080") == 0);
  auto via_node_port = connect({"10.244.1.100", "", node_port, "TCP", true});
  REQUIRE(via_node_port.backend.has_value());
  auto unknown = connect({"10.244.1.100", "10.96.0.1", 443, "TCP", false});
  CHECK(unknown.error == proxy::ConnectError::unknown_service);

  // ClientIP affinity: sticky within the timeout, re-picked after it (virtual time).
  auto first = connect({"10.244.1.100", "10.96.0.77", 80, "TCP", false});
  REQUIRE(first.backend.has_value());
  for (int i = 0; i < 20; ++i)
    CHECK(connect({"10.244.1.100", "10.96.0.77", 80, "TCP", false}).backend == first.backend);
  std::set<std::string> later;
  for (int i = 0; i < 30; ++i) {
    f.clock.advance(std::chrono::seconds(61));
    later.insert(connect({"10.244.1.100", "10.96.0.77", 80, "TCP", false}).backend->ip);
  }
  CHECK(later.size() == 2);

  // Readiness changes reach the proxy: no ready endpoint left → "no endpoints".
  auto current = f.client->get(api::Endpoints::static_type(), "default", "web");
  REQUIRE(current.has_value());
  auto none = make_endpoints("web", {}, {"10.244.1.5", "10.244.2.6"});
  none.metadata.resource_version = (*current)->metadata.resource_version;
  REQUIRE(f.client->update(none).has_value());
  await(ip, 0);
  CHECK(connect({"10.244.1.100", ip, 80, "TCP", false}).error == proxy::ConnectError::no_endpoints);

  // And the routing view answers directly.
  std::string node;
  self->request(proxy_actor, kWait, proxy::proxy_route_atom::value, std::string("10.244.2.40"))
      .receive([&](std::string& n) { node = n; }, [&](caf::error&) {});
  CHECK(node == "n2");

  caf::anon_send_exit(proxy_actor, caf::exit_reason::user_shutdown);
  informers.shutdown();
}
