// pods/<name>/eviction through the API server (core_eviction.cpp): the budget decides, the
// decrement, the pod's DisruptionTarget condition and its deletion land together, and the
// refusals carry upstream's codes and messages.
#include "actors/apiserver/protocol/eviction_request.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "api/types/eviction.hpp"
#include "api/types/pdb_util.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

const std::map<std::string, std::string> kWeb{{"app", "web"}};

/// A pod as its kubelet would report it: Running, Ready or not; on `node` when given (its
/// deletion is then graceful).
api::Pod running_pod(ApiFixture& f, const std::string& name, bool ready = true,
                     const std::string& node = "", const std::string& phase = "Running") {
  auto pod = api::testing::make_pod("default", name, kWeb);
  pod.spec.node_name = node;
  auto created = f.client->create(pod);
  REQUIRE(created.has_value());
  api::Pod p = **created;
  p.status.phase = phase;
  api::PodCondition c;
  c.type = "Ready";
  c.status = ready ? "True" : "False";
  c.last_transition_time.value = f.clock.now();
  p.status.conditions.push_back(c);
  auto updated = f.client->update_status(p);
  REQUIRE(updated.has_value());
  return static_cast<const api::Pod&>(**updated);
}

/// A budget over app=web whose status the disruption controller would have written.
api::PodDisruptionBudget budget(ApiFixture& f, const std::string& name, int32_t allowed,
                                int32_t healthy, int32_t desired,
                                std::optional<std::string> policy = std::nullopt) {
  api::PodDisruptionBudget pdb;
  pdb.metadata.namespace_ = "default";
  pdb.metadata.name = name;
  pdb.spec.min_available = api::IntOrString::from_int(desired);
  pdb.spec.selector = api::LabelSelector{};
  pdb.spec.selector->match_labels = kWeb;
  pdb.spec.unhealthy_pod_eviction_policy = std::move(policy);
  auto created = f.client->create(pdb);
  REQUIRE(created.has_value());
  api::PodDisruptionBudget p = **created;
  p.status.observed_generation = p.metadata.generation;
  p.status.disruptions_allowed = allowed;
  p.status.current_healthy = healthy;
  p.status.desired_healthy = desired;
  p.status.expected_pods = healthy;
  api::update_disruption_allowed_condition(p.status, api::Time{f.clock.now()});
  auto updated = f.client->update_status(p);
  REQUIRE(updated.has_value());
  return static_cast<const api::PodDisruptionBudget&>(**updated);
}

apiserver::Response evict(ApiFixture& f, const std::string& pod,
                          std::optional<api::DeleteOptions> options = std::nullopt,
                          const std::string& body_name = "") {
  auto e = std::make_shared<api::Eviction>();
  e->metadata.name = body_name.empty() ? pod : body_name;
  e->metadata.namespace_ = "default";
  e->delete_options = std::move(options);
  return f.client->call(apiserver::eviction_request("default", pod, e));
}

bool gone(ApiFixture& f, const std::string& pod) {
  auto r = f.client->get<api::Pod>("default", pod);
  return !r && api::is_not_found(r.error());
}

std::shared_ptr<const api::PodDisruptionBudget> read_budget(ApiFixture& f, const std::string& name) {
  auto r = f.client->get<api::PodDisruptionBudget>("default", name);
  REQUIRE(r.has_value());
  return *r;
}

const api::PodCondition* condition(const api::Pod& pod, const std::string& type) {
  for (const auto& c : pod.status.conditions)
    if (c.type == type) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("eviction: a pod no budget guards is deleted", "[apiserver][eviction]") {
  ApiFixture f;
  running_pod(f, "web-1");
  auto r = evict(f, "web-1");
  REQUIRE_FALSE(r.error);
  CHECK(gone(f, "web-1"));

  auto missing = evict(f, "nobody");
  REQUIRE(missing.error);
  CHECK(missing.error->code == 404);
  CHECK(missing.error->message == "pods \"nobody\" not found");

  running_pod(f, "web-2");
  auto mismatch = evict(f, "web-2", std::nullopt, "web-3");
  REQUIRE(mismatch.error);
  CHECK(mismatch.error->code == 400);
  CHECK(mismatch.error->message == "name in URL does not match name in Eviction object");
}

TEST_CASE("eviction: the budget is charged with the deletion, then refuses with 429",
          "[apiserver][eviction]") {
  ApiFixture f;
  running_pod(f, "web-1", true, "node-a");
  running_pod(f, "web-2", true, "node-a");
  running_pod(f, "web-3", true, "node-a");
  budget(f, "web", /*allowed=*/1, /*healthy=*/3, /*desired=*/2);

  f.clock.advance(std::chrono::seconds(7));
  auto first = evict(f, "web-1");
  REQUIRE_FALSE(first.error);
  // On a node the deletion is graceful: the pod stays, marked, until its kubelet lets it go.
  auto pod = f.client->get<api::Pod>("default", "web-1");
  REQUIRE(pod.has_value());
  CHECK((*pod)->metadata.deletion_timestamp.has_value());
  const auto* target = condition(**pod, "DisruptionTarget");
  REQUIRE(target);
  CHECK(target->status == "True");
  CHECK(target->reason == "EvictionByEvictionAPI");
  CHECK(target->message == "Eviction API: evicting");

  auto pdb = read_budget(f, "web");
  CHECK(pdb->status.disruptions_allowed == 0);
  REQUIRE(pdb->status.disrupted_pods.contains("web-1"));
  CHECK(pdb->status.disrupted_pods.at("web-1").value == f.clock.now());
  REQUIRE(pdb->status.conditions.size() == 1);
  CHECK(pdb->status.conditions[0].status == "False");
  CHECK(pdb->status.conditions[0].reason == "InsufficientPods");

  auto second = evict(f, "web-2");
  REQUIRE(second.error);
  CHECK(second.error->code == 429);
  CHECK(second.error->reason == "TooManyRequests");
  CHECK(second.error->message == "Cannot evict pod as it would violate the pod's disruption budget.");
  REQUIRE(second.error->details.causes.size() == 1);
  CHECK(second.error->details.causes[0].reason == "DisruptionBudget");
  CHECK(second.error->details.causes[0].message ==
        "The disruption budget web needs 2 healthy pods and has 3 currently");
  auto untouched = f.client->get<api::Pod>("default", "web-2");
  REQUIRE(untouched.has_value());
  CHECK_FALSE((*untouched)->metadata.deletion_timestamp.has_value());
  CHECK_FALSE(condition(**untouched, "DisruptionTarget"));
}

TEST_CASE("eviction: deleteOptions are honoured", "[apiserver][eviction]") {
  ApiFixture f;
  auto pod = running_pod(f, "web-1", true, "node-a");
  budget(f, "web", 5, 5, 0);

  SECTION("a UID precondition that does not hold is a conflict, and nothing is charged") {
    api::DeleteOptions o;
    o.preconditions = api::Preconditions{.uid = "not-the-uid", .resource_version = std::nullopt};
    auto r = evict(f, "web-1", o);
    REQUIRE(r.error);
    CHECK(r.error->code == 409);
    CHECK(r.error->message ==
          "Operation cannot be fulfilled on Pod \"web-1\": the UID in the precondition "
          "(not-the-uid) does not match the UID in record (" + pod.metadata.uid +
          "). The object might have been deleted and then recreated");
    CHECK(read_budget(f, "web")->status.disruptions_allowed == 5);
  }
  SECTION("gracePeriodSeconds") {
    api::DeleteOptions o;
    o.grace_period_seconds = 5;
    REQUIRE_FALSE(evict(f, "web-1", o).error);
    auto after = f.client->get<api::Pod>("default", "web-1");
    REQUIRE(after.has_value());
    CHECK((*after)->metadata.deletion_grace_period_seconds == 5);
  }
  SECTION("dryRun changes nothing") {
    api::DeleteOptions o;
    o.dry_run = {"All"};
    REQUIRE_FALSE(evict(f, "web-1", o).error);
    auto after = f.client->get<api::Pod>("default", "web-1");
    REQUIRE(after.has_value());
    CHECK_FALSE((*after)->metadata.deletion_timestamp.has_value());
    CHECK_FALSE(condition(**after, "DisruptionTarget"));
    CHECK(read_budget(f, "web")->status.disruptions_allowed == 5);
  }
  SECTION("an unknown propagationPolicy is refused") {
    api::DeleteOptions o;
    o.propagation_policy = "Sideways";
    auto r = evict(f, "web-1", o);
    REQUIRE(r.error);
    CHECK(r.error->code == 422);
  }
}

TEST_CASE("eviction: more than one budget is a 500 upstream words", "[apiserver][eviction]") {
  ApiFixture f;
  running_pod(f, "web-1");
  budget(f, "one", 1, 1, 0);
  budget(f, "two", 1, 1, 0);
  auto r = evict(f, "web-1");
  REQUIRE(r.error);
  CHECK(r.error->code == 500);
  CHECK(r.error->message ==
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does "
        "not support.");
  CHECK_FALSE(gone(f, "web-1"));
}

TEST_CASE("eviction: pods that are not running, or already going, bypass the budget",
          "[apiserver][eviction]") {
  ApiFixture f;
  budget(f, "web", 0, 0, 3);
  running_pod(f, "done", true, "", "Succeeded");
  running_pod(f, "failed", false, "", "Failed");
  running_pod(f, "pending", false, "", "Pending");
  for (const char* name : {"done", "failed", "pending"}) {
    INFO(name);
    REQUIRE_FALSE(evict(f, name).error);
    CHECK(gone(f, name));
  }
  // Already terminating (graceful deletion under way): evicting again is no disruption.
  running_pod(f, "leaving", true, "node-a");
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "leaving", {}).has_value());
  CHECK_FALSE(evict(f, "leaving").error);
  CHECK(read_budget(f, "web")->status.disrupted_pods.empty());
}

TEST_CASE("eviction: a budget the controller has not seen since its last change refuses",
          "[apiserver][eviction]") {
  ApiFixture f;
  running_pod(f, "web-1");
  budget(f, "web", 2, 3, 1);
  auto pdb = read_budget(f, "web");
  api::PodDisruptionBudget changed = *pdb;
  changed.spec.min_available = api::IntOrString::from_int(2);  // generation 2, observed 1
  REQUIRE(f.client->update(changed).has_value());
  auto r = evict(f, "web-1");
  REQUIRE(r.error);
  CHECK(r.error->code == 429);
  REQUIRE(r.error->details.causes.size() == 1);
  CHECK(r.error->details.causes[0].message ==
        "The disruption budget web is still being processed by the server.");
}

TEST_CASE("eviction: unhealthyPodEvictionPolicy decides for running pods that are not ready",
          "[apiserver][eviction]") {
  ApiFixture f;
  SECTION("IfHealthyBudget (the default): allowed while the healthy pods suffice, uncharged") {
    running_pod(f, "sick", false);
    budget(f, "web", 0, 2, 2);
    REQUIRE_FALSE(evict(f, "sick").error);
    CHECK(gone(f, "sick"));
    CHECK(read_budget(f, "web")->status.disrupted_pods.empty());
  }
  SECTION("IfHealthyBudget: refused while the application is short of healthy pods") {
    running_pod(f, "sick", false);
    budget(f, "web", 0, 1, 2, "IfHealthyBudget");
    auto r = evict(f, "sick");
    REQUIRE(r.error);
    CHECK(r.error->code == 429);
    CHECK_FALSE(gone(f, "sick"));
  }
  SECTION("AlwaysAllow: allowed even then") {
    running_pod(f, "sick", false);
    budget(f, "web", 0, 1, 2, "AlwaysAllow");
    REQUIRE_FALSE(evict(f, "sick").error);
    CHECK(gone(f, "sick"));
  }
  SECTION("a ready pod is guarded whatever the policy") {
    running_pod(f, "well", true);
    budget(f, "web", 0, 1, 2, "AlwaysAllow");
    auto r = evict(f, "well");
    REQUIRE(r.error);
    CHECK(r.error->code == 429);
  }
}

TEST_CASE("eviction: budgets with a null or empty selector guard nothing", "[apiserver][eviction]") {
  ApiFixture f;
  running_pod(f, "web-1");
  api::PodDisruptionBudget empty;
  empty.metadata.namespace_ = "default";
  empty.metadata.name = "everything";
  empty.spec.selector = api::LabelSelector{};
  empty.spec.min_available = api::IntOrString::from_int(10);
  REQUIRE(f.client->create(empty).has_value());
  REQUIRE_FALSE(evict(f, "web-1").error);
  CHECK(gone(f, "web-1"));
}
