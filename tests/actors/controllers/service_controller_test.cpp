// The service controller (service-lb-controller) over the simulated cloud: the finalizer,
// the ingress address, events, retries of failed cloud calls with back-off on the virtual
// clock, hosts following the ready nodes, clean-up on delete and on a type change,
// loadBalancerClass services left alone, and the address kept across controller restarts.
#include "actors/cloud/messages.hpp"
#include "actors/controllers/messages.hpp"
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

constexpr const char* kFinalizer = "service.kubernetes.io/load-balancer-cleanup";

struct LbFixture : ControllerFixture {
  LbFixture() : ControllerFixture({"service-lb-controller"}) {
    options.simulated_cloud.latency = std::chrono::seconds(2);
    // The waiter also wakes on Service and Event changes.
    for (auto* t : {&api::Service::static_type(), &api::Event::static_type()})
      self->send(informers.get(*t).actor, client::subscribe_atom::value,
                 caf::actor_cast<caf::actor>(self));
  }

  caf::actor cloud() const { return options.cloud ? options.cloud : manager.cloud; }

  /// Waits until `done()` holds, moving the virtual clock on by a second whenever nothing
  /// happened for a while (cloud latency and retry back-off run on it).
  template <class Pred>
  bool settle(Pred done) {
    return wait_until(
        [&] {
          if (done()) return true;
          clock.advance(std::chrono::seconds(1));
          return false;
        },
        std::chrono::seconds(20), std::chrono::milliseconds(20));
  }

  std::shared_ptr<const api::Service> service(const std::string& name) {
    auto r = client->get<api::Service>("default", name);
    return r ? *r : nullptr;
  }
  std::string ip_of(const std::string& name) {
    auto s = service(name);
    return s && !s->status.load_balancer.ingress.empty() ? s->status.load_balancer.ingress[0].ip
                                                         : "";
  }
  cloud::SimulatedCloudState cloud_state() {
    cloud::SimulatedCloudState out;
    self->request(cloud(), std::chrono::seconds(10), cloud::cloud_state_atom::value)
        .receive([&](cloud::SimulatedCloudState& s) { out = std::move(s); },
                 [&](caf::error& e) { FAIL(caf::to_string(e)); });
    return out;
  }
  /// The reasons of the Events about Service `name`, oldest first.
  std::vector<std::string> reasons(const std::string& name) {
    std::vector<std::pair<TimePoint, std::string>> all;
    for (auto& e : list<api::Event>("default"))
      if (e->involved_object.name == name && e->involved_object.kind == "Service")
        all.emplace_back(e->metadata.creation_timestamp.value, e->reason);
    std::stable_sort(all.begin(), all.end(),
                     [](auto& a, auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& [t, r] : all) out.push_back(r);
    return out;
  }
  bool has_event(const std::string& name, const std::string& reason) {
    auto r = reasons(name);
    return std::find(r.begin(), r.end(), reason) != r.end();
  }
  void ping_controller() {
    for (auto& [n, actor] : manager.controllers)
      self->request(actor, std::chrono::seconds(10), actors::controllers::ctrl_ping_atom::value)
          .receive([](actors::controllers::ctrl_ping_atom) {},
                   [&](caf::error& e) { FAIL(caf::to_string(e)); });
  }
};

api::Service lb(const std::string& name) {
  auto s = api::testing::make_service("default", name, {{"app", name}}, 80, 8080);
  s.spec.type = "LoadBalancer";
  return s;
}

}  // namespace

TEST_CASE("service controller: a LoadBalancer Service gets the finalizer and an ingress IP") {
  LbFixture f;
  REQUIRE(f.client->create(api::testing::make_node("node-a")).has_value());
  f.start();
  REQUIRE(f.client->create(lb("web")).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("web").empty(); }));
  auto svc = f.service("web");
  CHECK(f.ip_of("web") == "172.18.255.1");
  CHECK(svc->metadata.finalizers == std::vector<std::string>{kFinalizer});
  // NodePorts were allocated (allocateLoadBalancerNodePorts defaults to true).
  CHECK(svc->spec.ports[0].node_port != 0);
  REQUIRE(f.settle([&] { return f.has_event("web", "EnsuredLoadBalancer"); }));
  CHECK(f.reasons("web") == std::vector<std::string>{"EnsuringLoadBalancer", "EnsuredLoadBalancer"});
  auto st = f.cloud_state();
  REQUIRE(st.load_balancers.size() == 1);
  CHECK(st.load_balancers.begin()->second.hosts == std::vector<std::string>{"node-a"});
}

TEST_CASE("service controller: allocateLoadBalancerNodePorts false gets an address, no NodePorts") {
  LbFixture f;
  f.start();
  auto s = lb("nonp");
  s.spec.allocate_load_balancer_node_ports = false;
  REQUIRE(f.client->create(s).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("nonp").empty(); }));
  auto svc = f.service("nonp");
  CHECK(svc->spec.allocate_load_balancer_node_ports == false);
  CHECK(svc->spec.ports[0].node_port == 0);
}

TEST_CASE("service controller: a failed cloud call is retried with back-off") {
  LbFixture f;
  f.options.simulated_cloud.fail_next = 2;
  f.start();
  REQUIRE(f.client->create(lb("web")).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("web").empty(); }));
  REQUIRE(f.settle([&] { return f.has_event("web", "EnsuredLoadBalancer"); }));
  auto reasons = f.reasons("web");
  // Repeats of an identical event are counted on the first (the recorder's correlation).
  CHECK(reasons == std::vector<std::string>{"EnsuringLoadBalancer", "SyncLoadBalancerFailed",
                                            "EnsuredLoadBalancer"});
  bool counted = false;
  for (auto& e : f.list<api::Event>("default"))
    if (e->reason == "SyncLoadBalancerFailed") {
      counted = true;
      CHECK(e->count == 2);
      CHECK(e->type == "Warning");
      CHECK(e->message ==
            "Error syncing load balancer: failed to ensure load balancer: simulated cloud: "
            "injected failure");
    }
  CHECK(counted);
  CHECK(f.cloud_state().failed == 2);
}

TEST_CASE("service controller: deleting the Service deletes the load balancer, then the finalizer") {
  LbFixture f;
  f.start();
  REQUIRE(f.client->create(lb("web")).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("web").empty(); }));
  const auto free_before = f.cloud_state().free_addresses;
  REQUIRE(f.client->remove(api::Service::static_type(), "default", "web").has_value());
  // Held by the finalizer until the cloud has deleted the load balancer.
  auto held = f.service("web");
  REQUIRE(held);
  CHECK(held->metadata.deletion_timestamp.has_value());
  REQUIRE(f.settle([&] { return !f.service("web"); }));
  auto st = f.cloud_state();
  CHECK(st.load_balancers.empty());
  CHECK(st.free_addresses == free_before + 1);
  REQUIRE(f.settle([&] { return f.has_event("web", "DeletedLoadBalancer"); }));
  CHECK(f.has_event("web", "DeletingLoadBalancer"));
}

TEST_CASE("service controller: a type change away from LoadBalancer cleans up") {
  LbFixture f;
  f.start();
  REQUIRE(f.client->create(lb("web")).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("web").empty(); }));
  api::Service changed = *f.service("web");
  changed.spec.type = "ClusterIP";
  changed.spec.external_traffic_policy.clear();
  changed.spec.allocate_load_balancer_node_ports.reset();
  for (auto& p : changed.spec.ports) p.node_port = 0;
  auto updated = f.client->update(changed);
  REQUIRE(updated.has_value());
  REQUIRE(f.settle([&] {
    auto s = f.service("web");
    return s && s->metadata.finalizers.empty() && s->status.load_balancer.ingress.empty();
  }));
  CHECK(f.cloud_state().load_balancers.empty());
  CHECK(f.service("web")->spec.type == "ClusterIP");
}

TEST_CASE("service controller: a Service with a loadBalancerClass is left alone") {
  LbFixture f;
  f.options.workers = 1;  // keys in order: the class service is handled before the other
  f.start();
  auto other = lb("other");
  other.spec.load_balancer_class = "example.com/lb";
  REQUIRE(f.client->create(other).has_value());
  REQUIRE(f.client->create(lb("web")).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("web").empty(); }));
  f.ping_controller();
  auto s = f.service("other");
  CHECK(s->metadata.finalizers.empty());
  CHECK(s->status.load_balancer.ingress.empty());
  CHECK(f.cloud_state().load_balancers.size() == 1);
  CHECK(f.reasons("other").empty());
}

TEST_CASE("service controller: hosts follow the ready, not excluded nodes") {
  LbFixture f;
  REQUIRE(f.client->create(api::testing::make_node("node-a")).has_value());
  REQUIRE(f.client->create(api::testing::make_node("node-b")).has_value());
  auto excluded = api::testing::make_node("node-x");
  excluded.metadata.labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  REQUIRE(f.client->create(excluded).has_value());
  f.start();
  REQUIRE(f.client->create(lb("web")).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("web").empty(); }));
  auto hosts = [&] {
    auto st = f.cloud_state();
    return st.load_balancers.empty() ? std::vector<std::string>{}
                                     : st.load_balancers.begin()->second.hosts;
  };
  CHECK(hosts() == std::vector<std::string>{"node-a", "node-b"});
  // The cloud's next call fails: the host update is retried.
  bool failing = false;
  f.self->request(f.cloud(), std::chrono::seconds(10), cloud::cloud_fail_atom::value, int32_t{1})
      .receive([&](bool ok) { failing = ok; }, [&](caf::error& e) { FAIL(caf::to_string(e)); });
  REQUIRE(failing);
  // node-b stops being Ready, node-c joins.
  api::Node b = *f.client->get<api::Node>("", "node-b").value();
  for (auto& c : b.status.conditions)
    if (c.type == "Ready") c.status = "False";
  REQUIRE(f.client->update_status(b).has_value());
  REQUIRE(f.client->create(api::testing::make_node("node-c")).has_value());
  REQUIRE(f.settle([&] { return hosts() == std::vector<std::string>{"node-a", "node-c"}; }));
  REQUIRE(f.settle([&] { return f.has_event("web", "UpdatedLoadBalancer"); }));
  CHECK(f.ip_of("web") == "172.18.255.1");
  bool reported = false;
  for (auto& e : f.list<api::Event>("default"))
    if (e->reason == "UpdateLoadBalancerFailed") {
      reported = true;
      CHECK(e->type == "Warning");
      CHECK(e->message.starts_with("Error updating load balancer with new hosts [node-a"));
      CHECK(e->message.ends_with("error: simulated cloud: injected failure"));
    }
  CHECK(reported);
}

TEST_CASE("service controller: the address is kept across controller restarts") {
  LbFixture f;
  f.start();
  REQUIRE(f.client->create(lb("first")).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("first").empty(); }));
  REQUIRE(f.client->create(lb("web")).has_value());
  REQUIRE(f.settle([&] { return !f.ip_of("web").empty(); }));
  const auto ip = f.ip_of("web");
  CHECK(ip == "172.18.255.2");
  // Free the lower address, so a service provisioned afresh would get it.
  REQUIRE(f.client->remove(api::Service::static_type(), "default", "first").has_value());
  REQUIRE(f.settle([&] { return !f.service("first"); }));

  SECTION("the same cloud: the load balancer is found again") {
    auto cloud = f.manager.cloud;
    f.stop(/*keep_cloud=*/true);
    f.options.cloud = cloud;
    f.start();
  }
  SECTION("a fresh cloud: the address the Service reports is taken back") {
    f.stop();
    f.start();
    REQUIRE(f.cloud_state().load_balancers.empty());
  }
  REQUIRE(f.settle([&] { return f.cloud_state().load_balancers.size() == 1; }));
  CHECK(f.cloud_state().load_balancers.begin()->second.ip == ip);
  CHECK(f.ip_of("web") == ip);
}

TEST_CASE("service controller: the manager's cloud, simulated unless one is given") {
  LbFixture f;
  SECTION("a bad pool is refused at start, naming it") {
    f.options.simulated_cloud.pool = "172.18.255.0/33";
    auto m = actors::controllers::spawn_controller_manager(f.ctx, f.options);
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().message ==
          "simulated cloud: pool \"172.18.255.0/33\": must be an IPv4 network in CIDR notation, "
          "as 172.18.255.0/24");
  }
  SECTION("a given cloud is used, and no simulated one is spawned") {
    cloud::SimulatedCloudOptions o;
    o.pool = "192.168.50.0/24";
    o.latency = Duration::zero();
    auto given = cloud::spawn_simulated_cloud(f.system.get(), f.clock, Random(3), o);
    REQUIRE(given.has_value());
    f.options.cloud = *given;
    f.start();
    CHECK_FALSE(f.manager.cloud);
    REQUIRE(f.client->create(lb("web")).has_value());
    REQUIRE(f.settle([&] { return !f.ip_of("web").empty(); }));
    CHECK(f.ip_of("web") == "192.168.50.1");
  }
}
