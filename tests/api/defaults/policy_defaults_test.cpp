// LimitRange and PriorityClass defaulting (api/defaults/policy_defaults.cpp).
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("limit range and priority class defaults as the API server fills them", "[defaults]") {
  auto lr = load(R"({"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"l"},
    "spec":{"limits":[{"type":"Container","max":{"cpu":"2"},"min":{"memory":"64Mi"}},
                      {"type":"Pod","max":{"cpu":"4"}}]}})");
  lr->type().set_defaults(*lr);
  const auto& items = as<LimitRange>(*lr)->spec.limits;
  CHECK(items[0].default_ == ResourceList{{"cpu", Quantity::parse("2").value()}});
  CHECK(items[0].default_request == ResourceList{{"cpu", Quantity::parse("2").value()},
                                                 {"memory", Quantity::parse("64Mi").value()}});
  CHECK(items[1].default_.empty());

  auto pc = load(
      R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"p"},"value":5})");
  pc->type().set_defaults(*pc);
  CHECK(as<PriorityClass>(*pc)->preemption_policy == "PreemptLowerPriority");
}
