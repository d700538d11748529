// ResourceQuota admission (actors/apiserver/admission/resource_quota.cpp): what is charged,
// upstream's refusals, and the charge staged atomically with the write (the race test).
// No quota controller runs here: the tests write status.hard/status.used themselves, as the
// controller would.
#include <atomic>
#include <barrier>
#include <random>
#include <thread>

#include "tests/support/api_fixture.hpp"
#include "tests/support/seed.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

/// A quota whose status the controller has computed: hard = spec.hard, used = `used`
/// (zero for what is not given).
api::ResourceQuota synced_quota(ApiFixture& f, const std::string& name, api::ResourceList hard,
                                api::ResourceQuotaSpec spec = {}) {
  api::ResourceQuota q;
  q.metadata.namespace_ = "default";
  q.metadata.name = name;
  q.spec = std::move(spec);
  q.spec.hard = hard;
  auto created = f.client->create(q);
  REQUIRE(created.has_value());
  auto status = static_cast<const api::ResourceQuota&>(**created);
  status.status.hard = hard;
  for (const auto& [r, _] : hard) status.status.used[r] = api::Quantity();
  auto written = f.client->update_status(status);
  REQUIRE(written.has_value());
  return static_cast<const api::ResourceQuota&>(**written);
}

api::ResourceQuota current(ApiFixture& f, const std::string& name) {
  auto q = f.client->get<api::ResourceQuota>("default", name);
  REQUIRE(q.has_value());
  return **q;
}

api::Pod pod_limited(const std::string& name, const char* cpu, const char* memory) {
  auto p = make_pod("default", name);
  auto& r = p.spec.containers[0].resources;
  if (cpu) r.requests["cpu"] = r.limits["cpu"] = qty(cpu);
  if (memory) r.requests["memory"] = r.limits["memory"] = qty(memory);
  return p;
}

}  // namespace

TEST_CASE("a create is charged to the quota and refused once the quota is exhausted",
          "[apiserver][admission][quota]") {
  ApiFixture f;
  synced_quota(f, "compute", {{"pods", qty("2")}, {"requests.cpu", qty("1")},
                              {"limits.memory", qty("2Gi")}});
  REQUIRE(f.client->create(pod_limited("a", "400m", "1Gi")).has_value());
  auto q = current(f, "compute");
  CHECK(q.status.used.at("pods") == qty("1"));
  CHECK(q.status.used.at("requests.cpu") == qty("400m"));
  CHECK(q.status.used.at("limits.memory") == qty("1Gi"));

  // Only the exceeded resources are named, sorted.
  auto refused = f.client->create(pod_limited("b", "700m", "1536Mi"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().message ==
        "pods \"b\" is forbidden: exceeded quota: compute, requested: "
        "limits.memory=1536Mi,requests.cpu=700m, used: limits.memory=1Gi,requests.cpu=400m, "
        "limited: limits.memory=2Gi,requests.cpu=1");
  CHECK_FALSE(f.client->get(api::Pod::static_type(), "default", "b").has_value());
  CHECK(current(f, "compute").status.used.at("pods") == qty("1"));  // nothing charged

  // A dry run is checked but not charged.
  REQUIRE(f.client->create(pod_limited("dry", "100m", "100Mi"), /*dry_run=*/true).has_value());
  CHECK(current(f, "compute").status.used.at("pods") == qty("1"));

  REQUIRE(f.client->create(pod_limited("c", "600m", "1Gi")).has_value());
  refused = f.client->create(pod_limited("d", "0", "0"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message ==
        "pods \"d\" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, "
        "limited: pods=2");
}

TEST_CASE("a quota on cpu or memory refuses containers that do not declare them",
          "[apiserver][admission][quota]") {
  ApiFixture f;
  synced_quota(f, "mem-cpu-demo", {{"limits.cpu", qty("2")}, {"requests.memory", qty("1Gi")}});
  auto p = make_pod("default", "undeclared");
  auto refused = f.client->create(p);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().message ==
        "pods \"undeclared\" is forbidden: failed quota: mem-cpu-demo: must specify "
        "limits.cpu for: app; requests.memory for: app");
}

TEST_CASE("a quota without computed usage: unknown status refuses, no status limits nothing",
          "[apiserver][admission][quota]") {
  ApiFixture f;
  api::ResourceQuota q;
  q.metadata.namespace_ = "default";
  q.metadata.name = "fresh";
  q.spec.hard["pods"] = qty("1");
  auto created = f.client->create(q);
  REQUIRE(created.has_value());
  // As upstream: until the controller has written status.hard, the quota limits nothing.
  REQUIRE(f.client->create(make_pod("default", "early")).has_value());

  auto with_hard = static_cast<const api::ResourceQuota&>(**created);
  with_hard.status.hard["pods"] = qty("1");  // hard known, usage not computed
  REQUIRE(f.client->update_status(with_hard).has_value());
  auto refused = f.client->create(make_pod("default", "late"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().message ==
        "pods \"late\" is forbidden: status unknown for quota: fresh, resources: pods");
}

TEST_CASE("scoped quotas charge only the pods they select", "[apiserver][admission][quota]") {
  ApiFixture f;
  api::ResourceQuotaSpec best_effort;
  best_effort.scopes = {"BestEffort"};
  synced_quota(f, "best-effort", {{"pods", qty("1")}}, best_effort);
  REQUIRE(f.client->create(make_pod("default", "be-1")).has_value());
  REQUIRE(f.client->create(pod_limited("burstable", "100m", "64Mi")).has_value());
  CHECK(current(f, "best-effort").status.used.at("pods") == qty("1"));
  auto refused = f.client->create(make_pod("default", "be-2"));
  REQUIRE_FALSE(refused.has_value());
  CHECK_THAT(refused.error().message, Catch::Contains("exceeded quota: best-effort"));
}

TEST_CASE("services are charged on create and on an update that grows their usage",
          "[apiserver][admission][quota]") {
  ApiFixture f;
  synced_quota(f, "object-counts",
               {{"services", qty("5")}, {"services.nodeports", qty("1")},
                {"count/configmaps", qty("1")}});
  auto svc = api::testing::make_service("default", "web", {{"app", "web"}});
  auto created = f.client->create(svc);
  REQUIRE(created.has_value());
  auto q = current(f, "object-counts");
  CHECK(q.status.used.at("services") == qty("1"));
  CHECK(q.status.used.at("services.nodeports") == qty("0"));

  auto node_port = static_cast<const api::Service&>(**created);
  node_port.spec.type = "NodePort";
  REQUIRE(f.client->update(node_port).has_value());
  q = current(f, "object-counts");
  CHECK(q.status.used.at("services.nodeports") == qty("1"));
  CHECK(q.status.used.at("services") == qty("1"));  // an update is not a second service

  auto second = api::testing::make_service("default", "api", {{"app", "api"}});
  second.spec.type = "NodePort";
  auto refused = f.client->create(second);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message ==
        "services \"api\" is forbidden: exceeded quota: object-counts, requested: "
        "services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1");

  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "one";
  REQUIRE(f.client->create(cm).has_value());
  cm.metadata.name = "two";
  auto refused_cm = f.client->create(cm);
  REQUIRE_FALSE(refused_cm.has_value());
  CHECK(refused_cm.error().message ==
        "configmaps \"two\" is forbidden: exceeded quota: object-counts, requested: "
        "count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1");
}

TEST_CASE("concurrent creates never overrun a quota", "[apiserver][admission][quota]") {
  ApiFixture f;
  const uint64_t seed = test_seed("concurrent creates never overrun a quota");
  std::mt19937_64 random(seed);
  const int limit = 7;
  const int creators = 24;
  const int per_creator = 3;
  synced_quota(f, "pods", {{"pods", qty(std::to_string(limit))}});

  std::atomic<int> admitted{0}, refused{0}, other{0};
  std::barrier start(creators);
  std::vector<std::thread> threads;
  for (int t = 0; t < creators; ++t) {
    // Each creator pauses a random number of yields between creates, so the interleaving
    // differs from run to run (the seed repeats one).
    const int jitter = static_cast<int>(random() % 50);
    threads.emplace_back([&, t, jitter] {
      client::BlockingClient client(f.system.get(), f.plane->apiserver());
      start.arrive_and_wait();
      for (int i = 0; i < per_creator; ++i) {
        for (int y = 0; y < jitter * i; ++y) std::this_thread::yield();
        auto r = client.create(make_pod("default", "p-" + std::to_string(t) + "-" + std::to_string(i)));
        if (r) ++admitted;
        else if (r.error().code == 403 &&
                 r.error().message.find("exceeded quota: pods") != std::string::npos)
          ++refused;
        else ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(other == 0);
  CHECK(admitted == limit);
  CHECK(refused == creators * per_creator - limit);
  auto pods = f.client->list(api::Pod::static_type(), "default");
  REQUIRE(pods.has_value());
  CHECK(pods->items.size() == static_cast<size_t>(limit));
  CHECK(current(f, "pods").status.used.at("pods") == qty(std::to_string(limit)));
}
