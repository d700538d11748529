// Node validation.
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of nodes: upstream field paths and messages", "[validation]") {
  check_cases({
      {"node taints",
       R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"spec":{"podCIDRs":["10.0.0.0/33"],"taints":[
          {"key":"k","effect":"NoSchedule"},{"key":"k","value":"v","effect":"NoSchedule"},{"key":"j"}]}})",
       "",
       {{"spec.taints[1]",
         "Duplicate value: core.Taint{Key:\"k\", Value:\"v\", Effect:\"NoSchedule\", "
         "TimeAdded:<nil>}: "
         "taints must be unique by key and effect pair"},
        {"spec.taints[2].effect", "Required value"},
        {"spec.podCIDRs[0]", "Invalid value: \"10.0.0.0/33\": must be a valid CIDR"}}},
      {"node providerID may not change",
       R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"spec":{"providerID":"b"}})",
       R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"spec":{"providerID":"a"}})",
       {{"spec.providerID",
         "Forbidden: node updates may not change providerID except from \"\" to valid"}}},
  });
}
