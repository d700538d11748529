// Disruption budgets in a whole in-process cluster: the disruption controller counts a
// Deployment's scale (through its ReplicaSet) for maxUnavailable, the eviction API takes one
// disruption at a time and refuses the next with 429 until the Deployment's replacement pod
// is ready.
#include "actors/apiserver/protocol/eviction_request.hpp"
#include "actors/client/blocking_client.hpp"
#include "api/types/eviction.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

bool budget_is(Cluster& cluster, int32_t expected, int32_t desired, int32_t healthy, int32_t allowed) {
  return cluster.wait_for(api::PodDisruptionBudget::static_type(), [&](const auto& objs) {
    for (const auto& o : objs)
      if (auto b = api::as<api::PodDisruptionBudget>(o); b && b->metadata.name == "web")
        return b->status.expected_pods == expected && b->status.desired_healthy == desired &&
               b->status.current_healthy == healthy && b->status.disruptions_allowed == allowed;
    return false;
  }, kWait);
}

apiserver::Response evict(Cluster& cluster, const std::string& pod) {
  auto e = std::make_shared<api::Eviction>();
  e->metadata.name = pod;
  return cluster.client().call(apiserver::eviction_request("default", pod, e));
}

std::vector<std::string> running_web_pods(Cluster& cluster) {
  auto list = cluster.client().list<api::Pod>("default");
  REQUIRE(list.has_value());
  std::vector<api::ObjectPtr> objs(list->items.begin(), list->items.end());
  std::vector<std::string> names;
  for (const auto& p : running_pods(objs, "web")) names.push_back(p->metadata.name);
  return names;
}

}  // namespace

TEST_CASE("a Deployment under maxUnavailable 1 is evicted one pod at a time", "[disruption]") {
  auto started = Cluster::start(seeded_options());
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(3, kWait));
  // A Deployment of 3 replicas and a budget of maxUnavailable 1 (shared with the e2e test
  // tests/e2e/drain_test.cpp).
  REQUIRE(cluster.apply(file_text(KACTOR_E2E_MANIFESTS_DIR "/disruption/web.yaml")).has_value());

  // The Deployment's 3 replicas are expected; 2 must stay healthy.
  REQUIRE(budget_is(cluster, 3, 2, 3, 1));
  auto pods = running_web_pods(cluster);
  REQUIRE(pods.size() == 3);

  REQUIRE_FALSE(evict(cluster, pods[0]).error);
  auto refused = evict(cluster, pods[1]);
  REQUIRE(refused.error);
  CHECK(refused.error->code == 429);
  REQUIRE(refused.error->details.causes.size() == 1);
  // "has 3" as the budget was charged, or "has 2" if the controller has recounted already.
  CHECK(refused.error->details.causes[0].message.starts_with(
      "The disruption budget web needs 2 healthy pods and has "));

  // The ReplicaSet replaces the evicted pod; once it is ready the budget allows one again.
  REQUIRE(budget_is(cluster, 3, 2, 3, 1));
  CHECK_FALSE(evict(cluster, pods[1]).error);
}
