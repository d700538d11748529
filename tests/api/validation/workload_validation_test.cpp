// ReplicationController, ReplicaSet and Deployment validation.
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of workloads: upstream field paths and messages", "[validation]") {
  const std::string rc_head =
      R"("apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"r","namespace":"default"})";
  const std::string containers = R"("spec":{"containers":[{"name":"c","image":"i"}]})";
  const std::string deploy_head =
      R"("apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"default"})";
  check_cases({
      {"rc selector must match the template",
       "{" + rc_head +
           R"(,"spec":{"replicas":-1,"selector":{"app":"a"},"template":{"metadata":{"labels":{"app":"b"}},)" +
           containers + "}}}",
       "",
       {{"spec.replicas", "Invalid value: -1: must be greater than or equal to 0"},
        {"spec.template.metadata.labels",
         "Invalid value: map[string]string{\"app\":\"b\"}: selector does not match labels in "
         "spec.template"}}},
      {"rc without template",
       "{" + rc_head + R"(,"spec":{}})",
       "",
       {{"spec.selector", "Required value"}, {"spec.template", "Required value"}}},
      {"rc template restartPolicy",
       "{" + rc_head +
           R"(,"spec":{"template":{"metadata":{"labels":{"app":"a"}},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]}}}})",
       "",
       {{"spec.template.spec.restartPolicy",
         "Unsupported value: \"Never\": supported values: \"Always\""}}},
      {"replicaset selector must match the template",
       R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r","namespace":"default"},
          "spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"b"}},)" +
           containers + "}}}",
       "",
       {{"spec.template.metadata.labels",
         "Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template "
         "`labels`"}}},
      {"deployment without selector",
       "{" + deploy_head + R"(,"spec":{"template":{"metadata":{"labels":{"app":"b"}},)" +
           containers + "}}}",
       "",
       {{"spec.selector", "Required value"},
        {"spec.template.metadata.labels",
         "Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template "
         "`labels`"}}},
      {"deployment strategy and selector expressions",
       "{" + deploy_head +
           R"(,"spec":{"selector":{"matchExpressions":[{"key":"app","operator":"Within"}]},
          "strategy":{"rollingUpdate":{"maxUnavailable":0,"maxSurge":"0%"}},"progressDeadlineSeconds":5,"minReadySeconds":5,
          "template":{"metadata":{"labels":{"app":"b"}},)" +
           containers + "}}}",
       "",
       {{"spec.selector.matchExpressions[0].operator",
         "Invalid value: \"Within\": not a valid selector operator"},
        {"spec.template.metadata.labels",
         "Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template "
         "`labels`"},
        {"spec.strategy.rollingUpdate.maxUnavailable",
         "Invalid value: 0: may not be 0 when `maxSurge` is 0"},
        {"spec.progressDeadlineSeconds",
         "Invalid value: 5: must be greater than minReadySeconds"}}},
      {"deployment selector is immutable",
       "{" + deploy_head +
           R"(,"spec":{"selector":{"matchLabels":{"app":"a","v":"2"}},"template":{"metadata":{"labels":{"app":"a","v":"2"}},)" +
           containers + "}}}",
       "{" + deploy_head +
           R"(,"spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},)" +
           containers + "}}}",
       {{"spec.selector",
         "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"a\", "
         "\"v\":\"2\"}, "
         "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"}}},
      {"pod templates have no ephemeral containers",
       "{" + rc_head +
           R"(,"spec":{"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"i"}],
              "ephemeralContainers":[{"name":"debug","image":"busybox"}]}}}})",
       "",
       {{"spec.template.spec.ephemeralContainers",
         "Forbidden: ephemeral containers not allowed in pod template"}}},
  });
}
