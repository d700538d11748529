// LoadBalancer Services in a whole cluster: the service controller and the simulated cloud
// give one an ingress IP (an injected cloud failure retried first), every kube-proxy routes
// that IP to the pods, the IP survives a restart of the cluster on its data directory (with
// a fresh simulated cloud), and deleting the Service releases it (finalizer gone, address
// back in the pool).
#include <filesystem>
#include <unistd.h>

#include "actors/client/blocking_client.hpp"
#include "actors/cloud/messages.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

constexpr const char* kLbService = R"(
apiVersion: v1
kind: Service
metadata:
  name: web-lb
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
)";

std::string ingress_ip(Cluster& c) {
  auto svc = c.client().get<api::Service>("default", "web-lb");
  if (!svc || (*svc)->status.load_balancer.ingress.empty()) return "";
  return (*svc)->status.load_balancer.ingress[0].ip;
}

bool wait_ingress(Cluster& c) {
  return c.wait_for(
      api::Service::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs)
          if (auto s = api::as<api::Service>(o); s && s->metadata.name == "web-lb")
            return !s->status.load_balancer.ingress.empty();
        return false;
      },
      kWait);
}

cloud::SimulatedCloudState cloud_state(Cluster& c) {
  caf::scoped_actor self{c.system()};
  cloud::SimulatedCloudState out;
  self->request(c.cloud(), kWait, cloud::cloud_state_atom::value)
      .receive([&](cloud::SimulatedCloudState& s) { out = std::move(s); },
               [&](caf::error& e) { FAIL("cloud state: " << to_string(e)); });
  return out;
}

std::vector<std::string> event_reasons(Cluster& c) {
  std::vector<std::string> out;
  auto events = c.client().list<api::Event>("default");
  REQUIRE(events.has_value());
  for (auto& e : events->items)
    if (e->involved_object.kind == "Service" && e->involved_object.name == "web-lb")
      out.push_back(e->reason);
  return out;
}

/// Waits until the Events about web-lb count `reason` at least `n` times.
bool wait_event(Cluster& c, const std::string& reason, int32_t n) {
  return c.wait_for(
      api::Event::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        int32_t seen = 0;
        for (auto& o : objs)
          if (auto e = api::as<api::Event>(o); e && e->involved_object.name == "web-lb" &&
                                               e->involved_object.kind == "Service" &&
                                               e->reason == reason)
            seen += std::max<int32_t>(1, e->count);
        return seen >= n;
      },
      kWait);
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("a LoadBalancer Service gets an IP that kube-proxy routes, kept across a restart",
          "[cluster][cloud]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("kactor-lb-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto opts = seeded_options();
  opts.nodes = 2;
  opts.data_dir = (dir / "store").string();
  opts.simulated_cloud.latency = std::chrono::milliseconds(20);
  opts.simulated_cloud.fail_next = 1;
  std::string ip;
  {
    auto c = Cluster::start(opts);
    REQUIRE(c.has_value());
    auto& cluster = **c;
    REQUIRE(cluster.wait_nodes_ready(2));
    REQUIRE(cluster.apply(web_manifest()).has_value());
    REQUIRE(cluster.apply(kLbService).has_value());
    REQUIRE(wait_ingress(cluster));
    ip = ingress_ip(cluster);
    CHECK(ip == "172.18.255.1");
    // The first cloud call failed and was retried.
    REQUIRE(wait_event(cluster, "EnsuredLoadBalancer", 1));
    auto reasons = event_reasons(cluster);
    CHECK(has(reasons, "SyncLoadBalancerFailed"));
    CHECK(cloud_state(cluster).failed == 1);
    auto svc = cluster.client().get<api::Service>("default", "web-lb");
    REQUIRE(svc.has_value());
    CHECK((*svc)->metadata.finalizers ==
          std::vector<std::string>{"service.kubernetes.io/load-balancer-cleanup"});

    // Every node's kube-proxy routes the load-balancer IP to the three pods.
    for (const auto& node : cluster.node_names()) {
      REQUIRE(proxy_sees(cluster, node, ip, 80, 3));
      auto reply = connect_through(cluster, node, proxy::Connection{"203.0.113.7", ip, 80});
      REQUIRE(reply.has_value());
      REQUIRE(reply->backend.has_value());
      CHECK(reply->backend->port == 80);
      CHECK_FALSE(reply->node.empty());
    }
  }
  opts.simulated_cloud.fail_next = 0;
  {
    // A new process, a fresh simulated cloud: the Service keeps its address.
    auto c = Cluster::start(opts);
    REQUIRE(c.has_value());
    auto& cluster = **c;
    // The restarted controller provisions it again (its second EnsuredLoadBalancer).
    REQUIRE(wait_event(cluster, "EnsuredLoadBalancer", 2));
    REQUIRE(cloud_state(cluster).load_balancers.size() == 1);
    CHECK(cloud_state(cluster).load_balancers.begin()->second.ip == ip);
    CHECK(ingress_ip(cluster) == ip);

    // Deleted: the load balancer goes first, then the finalizer, then the Service.
    REQUIRE(cluster.client().remove(api::Service::static_type(), "default", "web-lb").has_value());
    REQUIRE(cluster.wait_for(
        api::Service::static_type(),
        [](const std::vector<api::ObjectPtr>& objs) {
          for (auto& o : objs)
            if (o->metadata.name == "web-lb") return false;
          return true;
        },
        kWait));
    auto st = cloud_state(cluster);
    CHECK(st.load_balancers.empty());
    CHECK(st.free_addresses == 254);
    CHECK(wait_event(cluster, "DeletedLoadBalancer", 1));
  }
  std::filesystem::remove_all(dir);
}
