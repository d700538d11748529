// PodDisruptionBudgets through the API server: the status subresource (a spec change bumps
// the generation, a status write keeps the spec) and validation's 422.
#include "api/types/all.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("pod disruption budgets: generation, status subresource, validation",
          "[apiserver][disruption]") {
  ApiFixture f;
  api::PodDisruptionBudget pdb;
  pdb.metadata.namespace_ = "default";
  pdb.metadata.name = "web";
  pdb.spec.min_available = api::IntOrString::from_int(1);
  auto created = f.client->create(pdb);
  REQUIRE(created.has_value());
  CHECK((*created)->metadata.generation == 1);

  // A status write keeps the spec and the generation.
  api::PodDisruptionBudget status = **created;
  status.spec.min_available = api::IntOrString::from_int(9);
  status.status.disruptions_allowed = 2;
  auto written = f.client->update_status(status);
  REQUIRE(written.has_value());
  auto after_status = static_cast<const api::PodDisruptionBudget&>(**written);
  CHECK(after_status.spec.min_available == api::IntOrString::from_int(1));
  CHECK(after_status.status.disruptions_allowed == 2);
  CHECK(after_status.metadata.generation == 1);

  // A spec write keeps the status and bumps the generation.
  api::PodDisruptionBudget spec = after_status;
  spec.spec.min_available = api::IntOrString::from_string("50%");
  spec.status = {};
  auto updated = f.client->update(spec);
  REQUIRE(updated.has_value());
  auto after_spec = static_cast<const api::PodDisruptionBudget&>(**updated);
  CHECK(after_spec.metadata.generation == 2);
  CHECK(after_spec.status.disruptions_allowed == 2);

  // Both bounds: 422 naming the spec.
  api::PodDisruptionBudget both = after_spec;
  both.spec.max_unavailable = api::IntOrString::from_int(1);
  auto refused = f.client->update(both);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 422);
  CHECK(refused.error().message ==
        "PodDisruptionBudget.policy \"web\" is invalid: spec: Invalid value: {minAvailable: 50%, "
        "maxUnavailable: 1}: minAvailable and maxUnavailable cannot be both set");
}
