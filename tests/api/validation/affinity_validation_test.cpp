// Placement validation: tolerations, affinity (api/validation/affinity_validation.cpp).
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of placement: upstream field paths and messages", "[validation]") {
  check_cases({
      {"tolerations",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],"tolerations":[
          {"operator":"Equal","value":"x"},{"key":"k","operator":"Exists","value":"v"},
          {"key":"k","tolerationSeconds":5,"effect":"NoSchedule"},{"key":"k","effect":"Sometimes"}]})"),
       "",
       {{"spec.tolerations[0].operator",
         "Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means "
         "\"match all values and all keys\""},
        {"spec.tolerations[1].operator",
         "Invalid value: \"v\": value must be empty when `operator` is 'Exists'"},
        {"spec.tolerations[2].effect",
         "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is "
         "set"},
        {"spec.tolerations[3].effect",
         "Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", "
         "\"PreferNoSchedule\", \"NoExecute\""}}},
      {"node affinity",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],"affinity":{"nodeAffinity":{
          "requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[
            {"key":"zone","operator":"In"},{"key":"size","operator":"Gt","values":["1","2"]}]}]},
          "preferredDuringSchedulingIgnoredDuringExecution":[{"weight":0,"preference":{}}]}}})"),
       "",
       {{"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
         "nodeSelectorTerms[0]"
         ".matchExpressions[0].values",
         "Required value: must be specified when `operator` is 'In' or 'NotIn'"},
        {"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
         "nodeSelectorTerms[0]"
         ".matchExpressions[1].values",
         "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"},
        {"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
         "Invalid value: 0: must be in the range 1-100"}}},
      {"topology spread constraints",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],"topologySpreadConstraints":[
          {"maxSkew":0,"topologyKey":"zone","whenUnsatisfiable":"Maybe","minDomains":2,
           "nodeAffinityPolicy":"Sometimes","matchLabelKeys":["app"]},
          {"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule",
           "labelSelector":{"matchLabels":{"app":"web"}}},
          {"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule"}]})"),
       "",
       {{"spec.topologySpreadConstraints[0].maxSkew",
         "Invalid value: 0: must be greater than zero"},
        {"spec.topologySpreadConstraints[0].whenUnsatisfiable",
         "Unsupported value: \"Maybe\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\""},
        {"spec.topologySpreadConstraints[0].minDomains",
         "Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not Maybe"},
        {"spec.topologySpreadConstraints[0].nodeAffinityPolicy",
         "Unsupported value: \"Sometimes\": supported values: \"Honor\", \"Ignore\""},
        {"spec.topologySpreadConstraints[0].matchLabelKeys",
         "Forbidden: must not be specified when labelSelector is not set"},
        {"spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}",
         "Duplicate value: \"{zone, DoNotSchedule}\""}}},
  });
}
