// ResourceQuota, LimitRange and PriorityClass validation.
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of policy kinds: upstream field paths and messages", "[validation]") {
  check_cases({
      {"resource quota",
       R"({"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q","namespace":"default"},
          "spec":{"hard":{"cpu":"-1","foo":"1","pods":"1500m"},"scopes":["BestEffort","NotBestEffort"]}})",
       "",
       {{"spec.hard[cpu]", "Invalid value: \"-1\": must be greater than or equal to 0"},
        {"spec.hard[foo]", "Invalid value: \"foo\": must be a standard resource for quota"},
        {"spec.hard[pods]", "Invalid value: \"1500m\": must be an integer"},
        {"spec.scopes",
         "Invalid value: []string{\"BestEffort\", \"NotBestEffort\"}: unsupported scope applied to "
         "resource"},
        {"spec.scopes",
         "Invalid value: []string{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes"}}},
      {"limit range",
       R"({"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"l","namespace":"default"},
          "spec":{"limits":[{"type":"Container","min":{"cpu":"2"},"max":{"cpu":"1"}},{"type":"Node"},
                            {"type":"Pod","default":{"cpu":"1"}}]}})",
       "",
       {{"spec.limits[0].min[cpu]",
         "Invalid value: \"2\": min value 2 is greater than max value 1"},
        {"spec.limits[0].defaultRequest[cpu]",
         "Invalid value: \"1\": min value 2 is greater than default request value 1"},
        {"spec.limits[0].default[cpu]",
         "Invalid value: \"2\": min value 2 is greater than default value 1"},
        {"spec.limits[1].type",
         "Invalid value: \"Node\": must be a standard limit type or fully qualified"},
        {"spec.limits[2].default", "Forbidden: may not be specified when `type` is 'Pod'"}}},
      {"priority class value",
       R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"huge"},"value":1000000001})",
       "",
       {{"value", "Forbidden: maximum allowed value of a user defined priority is 1000000000"}}},
      {"priority class system prefix",
       R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"system-mine"},"value":1})",
       "",
       {{"metadata.name",
         "Forbidden: priority class names with 'system-' prefix are reserved for system use only. "
         "error: system-mine is not a known system priority class"}}},
      {"priority class value is immutable",
       R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"p"},"value":2})",
       R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"p"},"value":1})",
       {{"value", "Forbidden: may not be changed in an update."}}},
  });
}
