// Deployment, ReplicaSet and ReplicationController defaulting (api/defaults/workload_defaults.cpp).
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("workload defaults as the API server fills them", "[defaults]") {
  auto dep = load(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
    "spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},
      "spec":{"containers":[{"name":"c","image":"i"}]}}}})");
  dep->type().set_defaults(*dep);
  const Deployment& d = *as<Deployment>(*dep);
  CHECK(d.spec.replicas == 1);
  CHECK(d.spec.strategy.type == "RollingUpdate");
  CHECK(d.spec.strategy.rolling_update->max_unavailable == IntOrString::from_string("25%"));
  CHECK(d.spec.strategy.rolling_update->max_surge == IntOrString::from_string("25%"));
  CHECK(d.spec.revision_history_limit == 10);
  CHECK(d.spec.progress_deadline_seconds == 600);
  CHECK(d.spec.template_.spec.restart_policy == "Always");

  auto recreate = load(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
    "spec":{"strategy":{"type":"Recreate"}}})");
  recreate->type().set_defaults(*recreate);
  CHECK_FALSE(as<Deployment>(*recreate)->spec.strategy.rolling_update.has_value());

  auto rs = load(R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r"}})");
  rs->type().set_defaults(*rs);
  CHECK(as<ReplicaSet>(*rs)->spec.replicas == 1);

  auto rc = load(
      R"({"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"r","labels":{"own":"x"}},
    "spec":{"template":{"metadata":{"labels":{"app":"r"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}})");
  rc->type().set_defaults(*rc);
  CHECK(as<ReplicationController>(*rc)->spec.replicas == 1);
  CHECK(as<ReplicationController>(*rc)->spec.selector ==
        std::map<std::string, std::string>{{"app", "r"}});
  CHECK(rc->metadata.labels == std::map<std::string, std::string>{{"own", "x"}});
}
