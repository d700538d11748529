// PodDisruptionBudget validation: upstream 1.32's paths and messages
// (pkg/apis/policy/validation: ValidatePodDisruptionBudgetSpec and ...StatusUpdate).
#include "api/types/disruption.hpp"
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

namespace {

std::string pdb(const std::string& spec, const std::string& status = "{}") {
  return R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget",
    "metadata":{"name":"web","namespace":"default"},"spec":)" +
         spec + R"(,"status":)" + status + "}";
}

const std::string kSelector = R"("selector":{"matchLabels":{"app":"web"}})";

}  // namespace

TEST_CASE("validation of pod disruption budgets: upstream field paths and messages", "[validation]") {
  check_cases({
      {"minAvailable as an int", pdb("{" + kSelector + R"(,"minAvailable":2})"), "", {}},
      {"maxUnavailable as a percentage", pdb("{" + kSelector + R"(,"maxUnavailable":"25%"})"), "", {}},
      {"neither bound, no selector", pdb("{}"), "", {}},
      {"both bounds",
       pdb("{" + kSelector + R"(,"minAvailable":1,"maxUnavailable":1})"),
       "",
       {{"spec",
         "Invalid value: {minAvailable: 1, maxUnavailable: 1}: minAvailable and maxUnavailable "
         "cannot be both set"}}},
      {"negative minAvailable",
       pdb(R"({"minAvailable":-1})"),
       "",
       {{"spec.minAvailable", "Invalid value: -1: must be greater than or equal to 0"}}},
      {"negative maxUnavailable",
       pdb(R"({"maxUnavailable":-3})"),
       "",
       {{"spec.maxUnavailable", "Invalid value: -3: must be greater than or equal to 0"}}},
      {"a string that is no percentage",
       pdb(R"({"minAvailable":"half"})"),
       "",
       {{"spec.minAvailable",
         "Invalid value: half: a valid percent string must be a numeric string followed by an "
         "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"}}},
      {"over 100%",
       pdb(R"({"maxUnavailable":"120%"})"),
       "",
       {{"spec.maxUnavailable", "Invalid value: \"120%\": must not be greater than 100%"}}},
      {"100% is the most",
       pdb(R"({"minAvailable":"100%"})"), "", {}},
      {"selector syntax",
       pdb(R"({"selector":{"matchExpressions":[{"key":"app","operator":"In"}]}})"),
       "",
       {{"spec.selector.matchExpressions[0].values",
         "Required value: must be specified when `operator` is 'In' or 'NotIn'"}}},
      {"unhealthyPodEvictionPolicy",
       pdb(R"({"unhealthyPodEvictionPolicy":"Sometimes"})"),
       "",
       {{"spec.unhealthyPodEvictionPolicy",
         "Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""}}},
      {"both policies are known",
       pdb(R"({"unhealthyPodEvictionPolicy":"AlwaysAllow"})"), "", {}},
      {"negative status counts",
       pdb("{}", R"({"disruptionsAllowed":-1,"currentHealthy":-2,"desiredHealthy":-3,"expectedPods":-4})"),
       "",
       {{"status.disruptionsAllowed", "Invalid value: -1: must be greater than or equal to 0"},
        {"status.currentHealthy", "Invalid value: -2: must be greater than or equal to 0"},
        {"status.desiredHealthy", "Invalid value: -3: must be greater than or equal to 0"},
        {"status.expectedPods", "Invalid value: -4: must be greater than or equal to 0"}}},
      {"status conditions as metav1.Condition",
       pdb("{}", R"({"conditions":[
         {"type":"DisruptionAllowed","status":"Maybe","lastTransitionTime":"2024-01-01T00:00:00Z","reason":"SufficientPods"},
         {"type":"DisruptionAllowed","status":"True","reason":"bad reason!"}]})"),
       "",
       {{"status.conditions[0].status",
         "Unsupported value: \"Maybe\": supported values: \"False\", \"True\", \"Unknown\""},
        {"status.conditions[1].type", "Duplicate value: \"DisruptionAllowed\""},
        {"status.conditions[1].lastTransitionTime", "Required value: must be set"},
        {"status.conditions[1].reason",
         "Invalid value: \"bad reason!\": a condition reason must start with alphabetic "
         "character, optionally followed by a string of alphanumeric characters or '_,:', and "
         "must end with an alphanumeric character or '_' (e.g. 'my_name',  or 'MY_NAME',  or "
         "'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is "
         "'[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')"}}},
      {"the spec may change (policy/v1)",
       pdb("{" + kSelector + R"(,"minAvailable":3})"),
       pdb("{" + kSelector + R"(,"minAvailable":2})"),
       {}},
  });
}
