// The endpoints controller: addresses of ready pods, notReadyAddresses for the others,
// named target ports, updates on pod changes, deletion with the Service.
#include "actors/controllers/endpoints_compute.hpp"
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

api::Service make_service(const std::string& name, std::map<std::string, std::string> selector) {
  api::Service s;
  s.metadata.namespace_ = "default";
  s.metadata.name = name;
  s.metadata.labels = {{"team", "a"}};
  s.spec.selector = std::move(selector);
  api::ServicePort http;
  http.name = "http";
  http.port = 80;
  http.target_port = api::IntOrString::from_string("web");
  s.spec.ports.push_back(http);
  api::ServicePort metrics;
  metrics.name = "metrics";
  metrics.port = 9100;
  metrics.target_port = api::IntOrString::from_int(9100);
  s.spec.ports.push_back(metrics);
  return s;
}

api::Pod web_pod(const std::string& name, int32_t web_port) {
  auto p = make_pod("default", name, {{"app", "web"}});
  api::ContainerPort cp;
  cp.name = "web";
  cp.container_port = web_port;
  cp.protocol = "TCP";
  p.spec.containers[0].ports.push_back(cp);
  return p;
}

std::shared_ptr<const api::Endpoints> endpoints(ControllerFixture& f, const std::string& name) {
  auto r = f.client->get<api::Endpoints>("default", name);
  return r ? *r : nullptr;
}

std::set<std::string> ips(const std::vector<api::EndpointAddress>& addrs) {
  std::set<std::string> out;
  for (auto& a : addrs) out.insert(a.ip);
  return out;
}

/// Every ready and not-ready IP over all subsets.
std::pair<std::set<std::string>, std::set<std::string>> all_ips(const api::Endpoints& ep) {
  std::set<std::string> ready, not_ready;
  for (auto& s : ep.subsets) {
    ready.merge(ips(s.addresses));
    not_ready.merge(ips(s.not_ready_addresses));
  }
  return {ready, not_ready};
}

}  // namespace

TEST_CASE("Endpoints list exactly the ready pods and follow their changes",
          "[controllers][endpoints]") {
  ControllerFixture f({"endpoints"});
  f.start();
  REQUIRE(f.client->create(make_service("web", {{"app", "web"}})).has_value());
  for (auto name : {"a", "b", "c"}) REQUIRE(f.client->create(web_pod(name, 8080)).has_value());
  REQUIRE(f.client->create(make_pod("default", "other", {{"app", "db"}})).has_value());
  REQUIRE(f.client->bind("default", "a", "node-1").has_value());
  auto pod = [&](const std::string& n) { return **f.client->get<api::Pod>("default", n); };
  set_pod_running(*f.client, pod("a"), "10.1.0.1", true, f.clock.now());
  set_pod_running(*f.client, pod("b"), "10.1.0.2", true, f.clock.now());
  set_pod_running(*f.client, pod("c"), "10.1.0.3", false, f.clock.now());
  set_pod_running(*f.client, pod("other"), "10.1.0.9", true, f.clock.now());

  using IpSets = std::pair<std::set<std::string>, std::set<std::string>>;
  auto has = [&](IpSets want) {
    auto ep = endpoints(f, "web");
    return ep && all_ips(*ep) == want;
  };
  REQUIRE(f.wait_until([&] { return has({{"10.1.0.1", "10.1.0.2"}, {"10.1.0.3"}}); }));
  auto ep = endpoints(f, "web");
  CHECK(ep->metadata.labels == std::map<std::string, std::string>{{"team", "a"}});
  REQUIRE(ep->subsets.size() == 1);
  auto& subset = ep->subsets[0];
  REQUIRE(subset.ports.size() == 2);
  CHECK(subset.ports[0].name == "http");
  CHECK(subset.ports[0].port == 8080);  // named targetPort resolved from the container
  CHECK(subset.ports[1].port == 9100);
  auto& a = subset.addresses[0];
  CHECK(a.ip == "10.1.0.1");
  CHECK(a.node_name == std::optional<std::string>("node-1"));
  REQUIRE(a.target_ref.has_value());
  CHECK(a.target_ref->kind == "Pod");
  CHECK(a.target_ref->name == "a");

  // b turns not ready, then a is deleted.
  set_pod_running(*f.client, pod("b"), "10.1.0.2", false, f.clock.now());
  REQUIRE(f.wait_until([&] { return has({{"10.1.0.1"}, {"10.1.0.2", "10.1.0.3"}}); }));
  // a is bound: deleting it makes it terminating, which already removes it.
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "a").has_value());
  REQUIRE(f.wait_until([&] { return has({{}, {"10.1.0.2", "10.1.0.3"}}); }));

  // No rewrite when nothing changed: an unrelated pod update keeps the resourceVersion.
  auto rv = endpoints(f, "web")->metadata.resource_version;
  set_pod_running(*f.client, pod("other"), "10.1.0.10", true, f.clock.now());
  REQUIRE(f.wait_until([&] { return pod("other").status.pod_ip == "10.1.0.10"; }));
  CHECK(endpoints(f, "web")->metadata.resource_version == rv);

  REQUIRE(f.client->remove(api::Service::static_type(), "default", "web").has_value());
  REQUIRE(f.wait_until([&] { return endpoints(f, "web") == nullptr; }));
}

TEST_CASE("pods with different resolved ports go to different subsets",
          "[controllers][endpoints]") {
  auto svc = make_service("web", {{"app", "web"}});
  svc.spec.cluster_ip = "None";
  auto mk = [](std::string name, int port, std::string ip, bool ready) {
    auto p = std::make_shared<api::Pod>(web_pod(name, port));
    p->status.pod_ip = ip;
    p->status.phase = "Running";
    api::PodCondition c;
    c.type = "Ready";
    c.status = ready ? "True" : "False";
    p->status.conditions.push_back(c);
    return std::shared_ptr<const api::Pod>(p);
  };
  auto terminal = std::make_shared<api::Pod>(*mk("t", 8080, "10.0.0.7", true));
  terminal->status.phase = "Succeeded";
  auto no_ip = mk("n", 8080, "", true);
  auto unnamed = std::make_shared<api::Pod>(make_pod("default", "u", {{"app", "web"}}));
  unnamed->status.pod_ip = "10.0.0.8";
  std::vector<std::shared_ptr<const api::Pod>> pods{mk("a", 8080, "10.0.0.1", true),
                                                    mk("b", 9090, "10.0.0.2", true),
                                                    mk("c", 8080, "10.0.0.3", false),
                                                    terminal,
                                                    no_ip,
                                                    unnamed};
  auto subsets = actors::controllers::compute_subsets(svc, pods);
  REQUIRE(subsets.size() == 3);  // 8080+9100, 9090+9100, 9100 only (no "web" port on u)
  size_t total = 0;
  for (auto& s : subsets) total += s.addresses.size() + s.not_ready_addresses.size();
  CHECK(total == 4);
  CHECK(actors::controllers::endpoints_labels(svc).contains("service.kubernetes.io/headless"));
}
