// HorizontalPodAutoscaler validation: upstream 1.32's paths and messages.
#include "api/types/autoscaling.hpp"
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

namespace {

std::string hpa(const std::string& spec) {
  return R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
    "metadata":{"name":"h","namespace":"default"},"spec":)" + spec + "}";
}

const std::string kRef = R"("scaleTargetRef":{"kind":"ReplicationController","name":"web","apiVersion":"v1"})";

}  // namespace

TEST_CASE("validation of horizontal pod autoscalers: upstream field paths and messages", "[validation]") {
  check_cases({
      {"valid with defaults", hpa("{" + kRef + R"(,"maxReplicas":3})"), "", {}},
      {"replica bounds",
       hpa("{" + kRef + R"(,"minReplicas":0,"maxReplicas":0})"),
       "",
       {{"spec.minReplicas", "Invalid value: 0: must be greater than or equal to 1"},
        {"spec.maxReplicas", "Invalid value: 0: must be greater than 0"}}},
      {"max below min",
       hpa("{" + kRef + R"(,"minReplicas":5,"maxReplicas":3})"),
       "",
       {{"spec.maxReplicas", "Invalid value: 3: must be greater than or equal to `minReplicas`"}}},
      {"target reference",
       hpa(R"({"scaleTargetRef":{"kind":"","name":"a/b"},"maxReplicas":3})"),
       "",
       {{"spec.scaleTargetRef.kind", "Required value"},
        {"spec.scaleTargetRef.name", "Invalid value: \"a/b\": may not contain '/'"}}},
      {"metric without its source",
       hpa("{" + kRef + R"(,"maxReplicas":3,"metrics":[{"type":"Resource"}]})"),
       "",
       {{"spec.metrics[0].resource", "Required value: must populate information for the given metric source"}}},
      {"metric of an unknown type",
       hpa("{" + kRef + R"(,"maxReplicas":3,"metrics":[{"type":"Cpu"}]})"),
       "",
       {{"spec.metrics[0].type",
         "Unsupported value: \"Cpu\": supported values: \"ContainerResource\", \"External\", \"Object\", "
         "\"Pods\", \"Resource\""}}},
      {"two sources",
       hpa("{" + kRef + R"(,"maxReplicas":3,"metrics":[{"type":"Resource",
         "resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}},
         "pods":{"metric":{"name":"qps"}}}]})"),
       "",
       {{"spec.metrics[0].pods", "Forbidden: must populate the given metric source only"}}},
      {"resource target",
       hpa("{" + kRef + R"(,"maxReplicas":3,"metrics":[{"type":"Resource",
         "resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":0,"averageValue":"-1"}}}]})"),
       "",
       {{"spec.metrics[0].resource.target.averageValue", "Invalid value: -1: must be positive"},
        {"spec.metrics[0].resource.target.averageUtilization", "Invalid value: 0: must be greater than 0"},
        {"spec.metrics[0].resource.target.averageValue",
         "Forbidden: may not set both a target raw value and a target utilization"}}},
      {"resource target without a value",
       hpa("{" + kRef + R"(,"maxReplicas":3,"metrics":[{"type":"Resource",
         "resource":{"name":"cpu","target":{"type":"Percent"}}}]})"),
       "",
       {{"spec.metrics[0].resource.target.type",
         "Invalid value: \"Percent\": must be either Utilization, Value, or AverageValue"},
        {"spec.metrics[0].resource.target.averageUtilization",
         "Required value: must set either a target raw value or a target utilization"}}},
      {"container resource needs a container",
       hpa("{" + kRef + R"(,"maxReplicas":3,"metrics":[{"type":"ContainerResource",
         "containerResource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}]})"),
       "",
       {{"spec.metrics[0].containerResource.container", "Required value: must specify a container"}}},
      {"behavior policies",
       hpa("{" + kRef + R"(,"maxReplicas":3,"behavior":{
         "scaleUp":{"stabilizationWindowSeconds":3601,"selectPolicy":"Most",
           "policies":[{"type":"Replicas","value":0,"periodSeconds":1801}]},
         "scaleDown":{"stabilizationWindowSeconds":-1,"policies":[]}}})"),
       "",
       {{"spec.behavior.scaleUp.stabilizationWindowSeconds",
         "Invalid value: 3601: must be less than or equal to 3600"},
        {"spec.behavior.scaleUp.selectPolicy",
         "Unsupported value: \"Most\": supported values: \"Disabled\", \"Max\", \"Min\""},
        {"spec.behavior.scaleUp.policies[0].type",
         "Unsupported value: \"Replicas\": supported values: \"Percent\", \"Pods\""},
        {"spec.behavior.scaleUp.policies[0].value", "Invalid value: 0: must be greater than zero"},
        {"spec.behavior.scaleUp.policies[0].periodSeconds",
         "Invalid value: 1801: must be less than or equal to 1800"},
        {"spec.behavior.scaleDown.stabilizationWindowSeconds",
         "Invalid value: -1: must be greater than or equal to zero"}}},
  });
}
