// kube-proxy's service table for traffic from outside: the load-balancer IP answers as the
// cluster IP does, and externalTrafficPolicy / internalTrafficPolicy Local keep traffic on
// the proxy's own node (none there: dropped).
#include <catch2/catch.hpp>

#include <set>

#include "actors/proxy/service_table.hpp"
#include "api/types/service.hpp"

using namespace kactor;
using namespace kactor::proxy;

namespace {

constexpr const char* kClusterIp = "10.96.0.10";
constexpr const char* kLbIp = "172.18.255.1";

api::Service lb_service(const std::string& etp = "Cluster",
                        std::optional<std::string> itp = std::nullopt) {
  api::Service s;
  s.metadata.namespace_ = "default";
  s.metadata.name = "web";
  s.spec.type = "LoadBalancer";
  s.spec.cluster_ip = kClusterIp;
  s.spec.cluster_ips = {kClusterIp};
  s.spec.external_traffic_policy = etp;
  s.spec.internal_traffic_policy = itp;
  api::ServicePort p;
  p.port = 80;
  p.protocol = "TCP";
  p.node_port = 30080;
  s.spec.ports.push_back(p);
  s.status.load_balancer.ingress.push_back({kLbIp, ""});
  return s;
}

/// One pod on node-a (10.244.0.5), one on node-b (10.244.1.5).
api::Endpoints endpoints() {
  api::Endpoints e;
  e.metadata.namespace_ = "default";
  e.metadata.name = "web";
  api::EndpointSubset ss;
  ss.addresses.push_back(api::EndpointAddress{"10.244.0.5", "", "node-a", {}});
  ss.addresses.push_back(api::EndpointAddress{"10.244.1.5", "", "node-b", {}});
  api::EndpointPort port;
  port.port = 8080;
  port.protocol = "TCP";
  ss.ports.push_back(port);
  e.subsets.push_back(ss);
  return e;
}

/// The backend IPs that 200 connections reach (or the error of the first that fails).
std::set<std::string> reached(ServiceTable& t, const Connection& c) {
  Random random(42);
  std::set<std::string> out;
  for (int i = 0; i < 200; ++i) {
    auto b = t.connect(c, TimePoint{}, random);
    if (!b) return {std::string("error: ") + to_string(b.error())};
    out.insert(b->ip);
  }
  return out;
}

Connection to(const std::string& ip, int32_t port = 80) {
  return Connection{"192.168.1.9", ip, port, "TCP", false};
}
Connection to_node_port() {
  return Connection{"192.168.1.9", "", 30080, "TCP", true};
}

const std::set<std::string> kBoth{"10.244.0.5", "10.244.1.5"};
const std::set<std::string> kOnA{"10.244.0.5"};
const std::set<std::string> kDropped{"error: no endpoints"};

}  // namespace

TEST_CASE("proxy: the load-balancer IP reaches the service's endpoints like the cluster IP") {
  ServiceTable t("node-a");
  auto svc = lb_service();
  auto eps = endpoints();
  t.sync("default/web", &svc, &eps);
  CHECK(reached(t, to(kLbIp)) == kBoth);
  CHECK(reached(t, to(kClusterIp)) == kBoth);
  CHECK(reached(t, to_node_port()) == kBoth);
  CHECK(t.endpoints(kLbIp, 80, "TCP").size() == 2);
  CHECK(reached(t, to(kLbIp, 81)) == std::set<std::string>{"error: unknown service"});

  // The address goes with the status.
  svc.status.load_balancer.ingress.clear();
  t.sync("default/web", &svc, &eps);
  CHECK(reached(t, to(kLbIp)) == std::set<std::string>{"error: unknown service"});
  CHECK(reached(t, to(kClusterIp)) == kBoth);
}

TEST_CASE("proxy: externalTrafficPolicy Local sends outside traffic to local endpoints only") {
  auto svc = lb_service("Local");
  auto eps = endpoints();
  ServiceTable on_a("node-a");
  on_a.sync("default/web", &svc, &eps);
  CHECK(reached(on_a, to(kLbIp)) == kOnA);
  CHECK(reached(on_a, to_node_port()) == kOnA);
  CHECK(reached(on_a, to(kClusterIp)) == kBoth);  // in-cluster traffic is not external

  ServiceTable on_c("node-c");  // no endpoint on this node: dropped, not sent elsewhere
  on_c.sync("default/web", &svc, &eps);
  CHECK(reached(on_c, to(kLbIp)) == kDropped);
  CHECK(reached(on_c, to_node_port()) == kDropped);
  CHECK(reached(on_c, to(kClusterIp)) == kBoth);
}

TEST_CASE("proxy: internalTrafficPolicy Local keeps cluster-IP traffic on the node") {
  auto svc = lb_service("Cluster", "Local");
  auto eps = endpoints();
  ServiceTable on_a("node-a");
  on_a.sync("default/web", &svc, &eps);
  CHECK(reached(on_a, to(kClusterIp)) == kOnA);
  CHECK(reached(on_a, to(kLbIp)) == kBoth);  // external traffic follows the other policy
  ServiceTable on_c("node-c");
  on_c.sync("default/web", &svc, &eps);
  CHECK(reached(on_c, to(kClusterIp)) == kDropped);
}
