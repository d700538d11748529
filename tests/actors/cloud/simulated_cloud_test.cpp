// The simulated cloud actor: provisioning from the pool, latency on the virtual clock,
// injected failures (the next N, and a seeded rate), release on delete, and the address a
// Service already reports taken back by a fresh cloud.
#include <catch2/catch.hpp>

#include <algorithm>

#include <caf/all.hpp>

#include "actors/cloud/messages.hpp"
#include "api/time/virtual_clock.hpp"
#include "runtime/actor_system.hpp"

using namespace kactor;
using namespace kactor::cloud;

namespace {

std::shared_ptr<const api::Service> lb_service(const std::string& name, const std::string& uid,
                                               const std::string& reported_ip = "",
                                               const std::string& wanted_ip = "") {
  api::Service s;
  s.metadata.namespace_ = "default";
  s.metadata.name = name;
  s.metadata.uid = uid;
  s.spec.type = "LoadBalancer";
  s.spec.load_balancer_ip = wanted_ip;
  if (!reported_ip.empty()) s.status.load_balancer.ingress.push_back({reported_ip, ""});
  return std::make_shared<const api::Service>(std::move(s));
}

struct CloudFixture {
  explicit CloudFixture(SimulatedCloudOptions options = zero_latency(), uint64_t seed = 1)
      : clock(TimePoint(std::chrono::hours(24 * 365 * 56))) {
    auto spawned = spawn_simulated_cloud(system.get(), clock, Random(seed), options);
    REQUIRE(spawned.has_value());
    cloud = *spawned;
  }
  ~CloudFixture() {
    self->send_exit(cloud, caf::exit_reason::user_shutdown);
    self->wait_for(cloud);
  }
  static SimulatedCloudOptions zero_latency() {
    SimulatedCloudOptions o;
    o.latency = Duration::zero();
    return o;
  }

  template <class Atom>
  LoadBalancerReply call(Atom atom, std::shared_ptr<const api::Service> svc,
                         std::vector<std::string> hosts = {}) {
    LoadBalancerReply out;
    self->request(cloud, std::chrono::seconds(10), atom,
                  LoadBalancerRequest{"kubernetes", std::move(svc), std::move(hosts)})
        .receive([&](LoadBalancerReply& r) { out = std::move(r); },
                 [&](caf::error& e) { FAIL(caf::to_string(e)); });
    return out;
  }
  SimulatedCloudState state() {
    SimulatedCloudState out;
    self->request(cloud, std::chrono::seconds(10), cloud_state_atom::value)
        .receive([&](SimulatedCloudState& s) { out = std::move(s); },
                 [&](caf::error& e) { FAIL(caf::to_string(e)); });
    return out;
  }
  static std::string ip_of(const LoadBalancerReply& r) {
    return r.status.ingress.empty() ? "" : r.status.ingress[0].ip;
  }

  runtime::ActorSystem system{2};
  VirtualClock clock;
  caf::scoped_actor self{system.get()};
  caf::actor cloud;
};

}  // namespace

TEST_CASE("simulated cloud: ensure takes an address from the pool, keeps it, delete gives it back") {
  CloudFixture f;
  auto web = lb_service("web", "1111-2222");
  auto r = f.call(cloud_ensure_atom::value, web, {"node-b", "node-a"});
  REQUIRE_FALSE(r.error);
  CHECK(CloudFixture::ip_of(r) == "172.18.255.1");
  CHECK(f.call(cloud_ensure_atom::value, web).status == r.status);  // idempotent
  auto other = f.call(cloud_ensure_atom::value, lb_service("api", "3333"));
  CHECK(CloudFixture::ip_of(other) == "172.18.255.2");

  auto st = f.state();
  REQUIRE(st.load_balancers.contains("a11112222"));
  CHECK(st.load_balancers.at("a11112222").service == "default/web");
  CHECK(st.free_addresses == 252);

  auto got = f.call(cloud_get_atom::value, web);
  CHECK(got.exists);
  CHECK(CloudFixture::ip_of(got) == "172.18.255.1");

  CHECK_FALSE(f.call(cloud_delete_atom::value, web).error);
  CHECK_FALSE(f.call(cloud_get_atom::value, web).exists);
  CHECK_FALSE(f.call(cloud_delete_atom::value, web).error);  // already gone: no error
  CHECK(f.state().free_addresses == 253);
  // The released address is the lowest free one again.
  CHECK(CloudFixture::ip_of(f.call(cloud_ensure_atom::value, lb_service("db", "4444"))) ==
        "172.18.255.1");
}

TEST_CASE("simulated cloud: update sets the hosts of an existing load balancer only") {
  CloudFixture f;
  auto web = lb_service("web", "1");
  auto missing = f.call(cloud_update_atom::value, web, {"node-a"});
  REQUIRE(missing.error);
  CHECK(missing.error->message == "simulated cloud: load balancer a1 not found");
  REQUIRE_FALSE(f.call(cloud_ensure_atom::value, web, {"node-a"}).error);
  REQUIRE_FALSE(f.call(cloud_update_atom::value, web, {"node-c", "node-b"}).error);
  CHECK(f.state().load_balancers.at("a1").hosts == std::vector<std::string>{"node-b", "node-c"});
}

TEST_CASE("simulated cloud: a fresh cloud gives a Service back the address it reports") {
  CloudFixture f;
  auto r = f.call(cloud_ensure_atom::value, lb_service("web", "1", "172.18.255.40"));
  CHECK(CloudFixture::ip_of(r) == "172.18.255.40");
  // spec.loadBalancerIP is honoured, and refused when taken.
  CHECK(CloudFixture::ip_of(f.call(cloud_ensure_atom::value,
                                   lb_service("a", "2", "", "172.18.255.9"))) == "172.18.255.9");
  auto taken = f.call(cloud_ensure_atom::value, lb_service("b", "3", "", "172.18.255.9"));
  REQUIRE(taken.error);
  CHECK(taken.error->message ==
        "simulated cloud: requested load balancer IP 172.18.255.9 is not available in the pool "
        "172.18.255.0/24");
  // A reported address another load balancer holds is not taken over: the lowest free one.
  CHECK(CloudFixture::ip_of(f.call(cloud_ensure_atom::value,
                                   lb_service("c", "4", "172.18.255.40"))) == "172.18.255.1");
}

TEST_CASE("simulated cloud: an exhausted pool fails ensure with the reason") {
  SimulatedCloudOptions o = CloudFixture::zero_latency();
  o.pool = "10.9.9.0/30";
  CloudFixture f(o);
  REQUIRE_FALSE(f.call(cloud_ensure_atom::value, lb_service("a", "1")).error);
  REQUIRE_FALSE(f.call(cloud_ensure_atom::value, lb_service("b", "2")).error);
  auto full = f.call(cloud_ensure_atom::value, lb_service("c", "3"));
  REQUIRE(full.error);
  CHECK(full.error->message == "simulated cloud: no free address left in the pool 10.9.9.0/30");
}

TEST_CASE("simulated cloud: a call is answered after its latency on the clock") {
  SimulatedCloudOptions o;
  o.latency = std::chrono::seconds(3);
  CloudFixture f(o);
  // Sent, not requested: the test keeps its thread to move the clock. The cloud's state
  // requests are answered in mailbox order, after it has taken the call.
  f.self->send(f.cloud, cloud_ensure_atom::value,
               LoadBalancerRequest{"kubernetes", lb_service("web", "1"), {}});
  CHECK(f.state().calls == 0);
  f.clock.advance(std::chrono::milliseconds(2999));
  CHECK(f.state().calls == 0);
  CHECK(f.state().load_balancers.empty());
  f.clock.advance(std::chrono::milliseconds(1));
  // The timer's message was sent during advance(), before this request.
  auto st = f.state();
  CHECK(st.calls == 1);
  REQUIRE(st.load_balancers.size() == 1);
  CHECK(st.load_balancers.begin()->second.ip == "172.18.255.1");
}

TEST_CASE("simulated cloud: injected failures, the next N calls and a seeded rate") {
  SECTION("the next N calls fail, then calls succeed") {
    SimulatedCloudOptions o = CloudFixture::zero_latency();
    o.fail_next = 1;
    CloudFixture f(o);
    auto web = lb_service("web", "1");
    auto first = f.call(cloud_ensure_atom::value, web);
    REQUIRE(first.error);
    CHECK(first.error->message == "simulated cloud: injected failure");
    CHECK_FALSE(f.call(cloud_ensure_atom::value, web).error);
    bool ok = false;
    f.self->request(f.cloud, std::chrono::seconds(10), cloud_fail_atom::value, int32_t{2})
        .receive([&](bool b) { ok = b; }, [&](caf::error& e) { FAIL(caf::to_string(e)); });
    REQUIRE(ok);
    CHECK(f.call(cloud_delete_atom::value, web).error);
    CHECK(f.call(cloud_delete_atom::value, web).error);
    CHECK_FALSE(f.call(cloud_delete_atom::value, web).error);
    auto st = f.state();
    CHECK(st.calls == 5);
    CHECK(st.failed == 3);
    CHECK(st.load_balancers.empty());
  }
  SECTION("a seeded failure rate: about that share fails, the same seed the same calls") {
    const uint64_t seed = 20261201;
    INFO("seed " << seed);
    SimulatedCloudOptions o = CloudFixture::zero_latency();
    o.failure_rate = 0.3;
    auto run = [&] {
      CloudFixture f(o, seed);
      std::vector<bool> failed;
      for (int i = 0; i < 400; ++i)
        failed.push_back(f.call(cloud_get_atom::value, lb_service("web", "1")).error.has_value());
      return failed;
    };
    auto a = run();
    CHECK(a == run());
    auto failures = std::count(a.begin(), a.end(), true);
    // Binomial(400, 0.3): mean 120, standard deviation ~9.2; ±5σ.
    CHECK(failures > 74);
    CHECK(failures < 166);
  }
}

TEST_CASE("simulated cloud: bad settings are refused, naming them") {
  runtime::ActorSystem system{1};
  VirtualClock clock(TimePoint{});
  SimulatedCloudOptions o;
  o.pool = "172.18.255.0/33";
  auto bad = spawn_simulated_cloud(system.get(), clock, Random(1), o);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message ==
        "simulated cloud: pool \"172.18.255.0/33\": must be an IPv4 network in CIDR notation, as "
        "172.18.255.0/24");
  o = SimulatedCloudOptions{};
  o.failure_rate = 1.5;
  bad = spawn_simulated_cloud(system.get(), clock, Random(1), o);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message == "simulated cloud: failureRate must be between 0 and 1");
}
