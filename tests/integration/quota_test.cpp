// ResourceQuota end to end in an in-process cluster: the quota controller computes status,
// admission charges creates, the controller releases what deleted objects held (also for a
// kind first watched because a quota names its count/<resource>.<group>).
#include <catch2/catch.hpp>

#include "actors/client/blocking_client.hpp"
#include "api/testing/builders.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

/// Waits until quota default/`name` has status.used[`resource`] == `amount` (and status.hard
/// mirrors spec.hard).
bool wait_used(Cluster& cluster, const std::string& name, const std::string& resource,
               const char* amount) {
  const auto want = api::Quantity::parse(amount).value();
  return cluster.wait_for(
      api::ResourceQuota::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs) {
          auto q = api::as<api::ResourceQuota>(o);
          if (!q || q->metadata.name != name) continue;
          auto it = q->status.used.find(resource);
          return q->status.hard == q->spec.hard && it != q->status.used.end() && it->second == want;
        }
        return false;
      },
      kWait);
}

api::ResourceQuota make_quota(const std::string& name, api::ResourceList hard) {
  api::ResourceQuota q;
  q.metadata.namespace_ = "default";
  q.metadata.name = name;
  q.spec.hard = std::move(hard);
  return q;
}

}  // namespace

TEST_CASE("the quota controller computes usage and releases what deleted pods held",
          "[cluster][quota]") {
  auto options = seeded_options();
  options.nodes = 1;
  auto started = Cluster::start(options);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  auto& client = cluster.client();

  // A pod that exists before the quota is counted by the controller, not by admission.
  REQUIRE(client.create(api::testing::make_pod("default", "before")).has_value());
  REQUIRE(client.create(make_quota("pod-demo", {{"pods", api::testing::qty("2")}})).has_value());
  REQUIRE(wait_used(cluster, "pod-demo", "pods", "1"));

  REQUIRE(client.create(api::testing::make_pod("default", "second")).has_value());
  auto refused = client.create(api::testing::make_pod("default", "third"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().message ==
        "pods \"third\" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, "
        "limited: pods=2");

  // Deleting a pod gives its share back once it is gone (the controller, not admission).
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  REQUIRE(client.remove(api::Pod::static_type(), "default", "before", now).has_value());
  REQUIRE(wait_used(cluster, "pod-demo", "pods", "1"));
  CHECK(client.create(api::testing::make_pod("default", "third")).has_value());
}

TEST_CASE("a quota on count/deployments.apps is enforced and replenished", "[cluster][quota]") {
  auto options = seeded_options();
  options.nodes = 1;
  auto started = Cluster::start(options);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  auto& client = cluster.client();
  REQUIRE(client.create(make_quota("apps", {{"count/deployments.apps", api::testing::qty("1")}}))
              .has_value());
  REQUIRE(wait_used(cluster, "apps", "count/deployments.apps", "0"));

  auto deployment = [](const std::string& name) {
    api::Deployment d;
    d.metadata.namespace_ = "default";
    d.metadata.name = name;
    d.spec.replicas = 0;
    d.spec.selector = api::LabelSelector{};
    d.spec.selector->match_labels = {{"app", name}};
    d.spec.template_.metadata.labels = {{"app", name}};
    api::Container c;
    c.name = "app";
    c.image = "nginx";
    d.spec.template_.spec.containers = {c};
    return d;
  };
  REQUIRE(client.create(deployment("one")).has_value());
  auto refused = client.create(deployment("two"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message ==
        "deployments.apps \"two\" is forbidden: exceeded quota: apps, requested: "
        "count/deployments.apps=1, used: count/deployments.apps=1, limited: "
        "count/deployments.apps=1");
  REQUIRE(client.remove(api::Deployment::static_type(), "default", "one").has_value());
  REQUIRE(wait_used(cluster, "apps", "count/deployments.apps", "0"));
  CHECK(client.create(deployment("two")).has_value());
}
