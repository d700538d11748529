// The resource quota controller (actors/controllers/resource_quota_controller.cpp) under
// virtual time: status computed from what exists, released when pods stop counting, spec
// changes followed, and the periodic resync repairing a wrong status.
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

api::ResourceQuota make_quota(api::ResourceList hard) {
  api::ResourceQuota q;
  q.metadata.namespace_ = "default";
  q.metadata.name = "q";
  q.spec.hard = std::move(hard);
  return q;
}

struct QuotaFixture : ControllerFixture {
  QuotaFixture() : ControllerFixture({"resourcequota"}) {}

  std::optional<api::ResourceQuota> quota() {
    auto q = client->get<api::ResourceQuota>("default", "q");
    if (!q) return std::nullopt;
    return **q;
  }
  /// Waits until status.used[resource] == amount (and status.hard mirrors spec.hard).
  bool used_becomes(const std::string& resource, const char* amount) {
    return wait_until(
        [&] {
          auto q = quota();
          if (!q || q->status.hard != q->spec.hard) return false;
          auto it = q->status.used.find(resource);
          return it != q->status.used.end() && it->second == qty(amount);
        },
        10s, 20ms);
  }
};

api::Pod requesting(const std::string& name, const char* cpu) {
  return make_pod_requesting("default", name, cpu, nullptr);
}

}  // namespace

TEST_CASE("the quota controller computes status from the objects that exist",
          "[controllers][quota]") {
  QuotaFixture f;
  f.start();
  REQUIRE(f.client->create(requesting("a", "250m")).has_value());
  REQUIRE(f.client->create(requesting("b", "500m")).has_value());
  auto done = f.client->create(requesting("done", "1"));
  REQUIRE(done.has_value());
  auto finished = static_cast<const api::Pod&>(**done);
  finished.status.phase = "Succeeded";
  REQUIRE(f.client->update_status(finished).has_value());
  REQUIRE(f.client->create(api::testing::make_service("default", "s", {{"app", "s"}})).has_value());

  REQUIRE(f.client->create(make_quota({{"pods", qty("10")}, {"requests.cpu", qty("4")},
                                       {"services", qty("2")}, {"count/deployments.apps", qty("1")}}))
              .has_value());
  REQUIRE(f.used_becomes("requests.cpu", "750m"));
  auto q = f.quota();
  REQUIRE(q);
  CHECK(q->status.used.at("pods") == qty("2"));  // the Succeeded pod does not count
  CHECK(q->status.used.at("services") == qty("1"));
  CHECK(q->status.used.at("count/deployments.apps") == qty("0"));  // watched on first sync

  // A spec change is followed: status.hard mirrors it, used covers only what it names.
  auto changed = *q;
  changed.spec.hard = {{"pods", qty("3")}};
  REQUIRE(f.client->update(changed).has_value());
  REQUIRE(f.wait_until(
      [&] {
        auto now = f.quota();
        return now && now->status.hard == api::ResourceList{{"pods", qty("3")}} &&
               now->status.used == api::ResourceList{{"pods", qty("2")}};
      },
      10s, 20ms));
}

TEST_CASE("the quota controller releases pods that finish, go, or outlive their grace period",
          "[controllers][quota]") {
  QuotaFixture f;
  f.start();
  REQUIRE(f.client->create(make_quota({{"pods", qty("5")}})).has_value());
  REQUIRE(f.used_becomes("pods", "0"));
  for (const char* name : {"runs", "finishes", "deleted", "stuck"})
    REQUIRE(f.client->create(make_pod("default", name)).has_value());
  REQUIRE(f.quota()->status.used.at("pods") == qty("4"));  // charged at admission

  auto pod = **f.client->get<api::Pod>("default", "finishes");
  pod.status.phase = "Failed";
  REQUIRE(f.client->update_status(pod).has_value());
  REQUIRE(f.used_becomes("pods", "3"));

  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "deleted").has_value());
  REQUIRE(f.used_becomes("pods", "2"));

  // A bound pod being deleted keeps counting during its grace period, not after (as a pod
  // on a lost node whose kubelet never confirms).
  REQUIRE(f.client->create(api::testing::make_node("node-1")).has_value());
  REQUIRE(f.client->bind("default", "stuck", "node-1").has_value());
  client::DeleteOptions graceful;
  graceful.grace_period_seconds = 30;
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "stuck", graceful).has_value());
  REQUIRE(f.client->get<api::Pod>("default", "stuck").has_value());  // still there
  f.clock.advance(20s);
  CHECK(f.quota()->status.used.at("pods") == qty("2"));  // within its grace period
  REQUIRE(f.wait_until(
      [&] {
        f.clock.advance(1s);
        auto q = f.quota();
        return q && q->status.used.at("pods") == qty("1");
      },
      10s, 20ms));
}

TEST_CASE("the periodic resync repairs a quota's usage", "[controllers][quota]") {
  QuotaFixture f;
  f.options.resource_quota_sync_period = 5min;
  f.start();
  REQUIRE(f.client->create(make_pod("default", "a")).has_value());
  REQUIRE(f.client->create(make_quota({{"pods", qty("5")}})).has_value());
  REQUIRE(f.used_becomes("pods", "1"));
  // Someone writes a wrong usage; no event the controller reacts to follows.
  auto wrong = *f.quota();
  wrong.status.used["pods"] = qty("4");
  REQUIRE(f.client->update_status(wrong).has_value());
  f.clock.advance(4min);
  CHECK(f.quota()->status.used.at("pods") == qty("4"));
  REQUIRE(f.wait_until(
      [&] {
        f.clock.advance(10s);
        return f.quota()->status.used.at("pods") == qty("1");
      },
      10s, 20ms));
}
