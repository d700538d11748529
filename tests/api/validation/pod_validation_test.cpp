// Pod create and update validation (api/validation/pod_validation.cpp).
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of pod updates: upstream field paths and messages", "[validation]") {
  const std::string ok_pod = pod_json(
      R"({"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]}]})");
  check_cases({
      {"pod update may change the image",
       pod_json(
           R"({"containers":[{"name":"web","image":"nginx:1.26","ports":[{"containerPort":80}]}]})"),
       ok_pod,
       {}},
      {"pod update may not change ports",
       pod_json(
           R"({"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":81}]}]})"),
       ok_pod,
       {{"spec",
         "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
         "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
         "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
         "set to 1 if it was previously negative)"}}},
      {"pod update may not set nodeName",
       pod_json(
           R"({"nodeName":"node-1","containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]}]})"),
       ok_pod,
       {{"spec",
         "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
         "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
         "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
         "set to 1 if it was previously negative)"}}},
      {"pod update may not add containers",
       pod_json(
           R"({"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]},{"name":"b","image":"i"}]})"),
       ok_pod,
       {{"spec.containers", "Forbidden: pod updates may not add or remove containers"}}},
      {"pod update: tolerations may only be added",
       pod_json(
           R"({"containers":[{"name":"c","image":"i"}],"tolerations":[{"key":"b","operator":"Exists"}]})"),
       pod_json(
           R"({"containers":[{"name":"c","image":"i"}],"tolerations":[{"key":"a","operator":"Exists"}]})"),
       {{"spec.tolerations",
         "Forbidden: existing toleration can not be modified except its tolerationSeconds"}}},
      {"pod update: activeDeadlineSeconds may only shrink",
       pod_json(R"({"activeDeadlineSeconds":20,"containers":[{"name":"c","image":"i"}]})"),
       pod_json(R"({"activeDeadlineSeconds":10,"containers":[{"name":"c","image":"i"}]})"),
       {{"spec.activeDeadlineSeconds",
         "Invalid value: 20: must be less than or equal to previous value"}}},
      {"ephemeral containers are never set on create",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],
          "ephemeralContainers":[{"name":"debug","image":"busybox","targetContainerName":"c"}]})"),
       "",
       {{"spec.ephemeralContainers", "Forbidden: cannot be set on create"}}},
      {"pod update: scheduling gates may be removed",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],"schedulingGates":[{"name":"b"}]})"),
       pod_json(
           R"({"containers":[{"name":"c","image":"i"}],"schedulingGates":[{"name":"a"},{"name":"b"}]})"),
       {}},
      {"pod update: scheduling gates may not be added",
       pod_json(
           R"({"containers":[{"name":"c","image":"i"}],"schedulingGates":[{"name":"a"},{"name":"x"}]})"),
       pod_json(R"({"containers":[{"name":"c","image":"i"}],"schedulingGates":[{"name":"a"}]})"),
       {{"spec.schedulingGates[1].name",
         "Forbidden: only deletion is allowed, but found new scheduling gate 'x'"}}},
      {"pod update: the full PodSpec is immutable beyond the listed fields",
       pod_json(
           R"({"containers":[{"name":"c","image":"i"}],"imagePullSecrets":[{"name":"other"}]})"),
       pod_json(
           R"({"containers":[{"name":"c","image":"i"}],"imagePullSecrets":[{"name":"registry"}]})"),
       {{"spec",
         "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
         "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
         "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
         "set to 1 if it was previously negative)"}}},
  });
}

TEST_CASE("invalid causes become a 422 with upstream's message", "[validation]") {
  auto causes = causes_for(pod_json(R"({"containers":[]})"));
  Status s = invalid("Pod", "p", causes);
  CHECK(s.code == 422);
  CHECK(s.message == "Pod \"p\" is invalid: spec.containers: Required value");
}
