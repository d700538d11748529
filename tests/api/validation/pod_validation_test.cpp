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

namespace {

/// Validates `status_json` as a pods/status update of a pod with `spec_json`, whose stored
/// status is `old_status_json`: spec and metadata are the stored ones, as the API server
/// makes them.
std::vector<StatusCause> status_update_causes(std::string_view spec_json,
                                              std::string_view status_json,
                                              std::string_view old_status_json = "{}") {
  auto with_status = [&](std::string_view status) {
    std::string text = pod_json(spec_json);
    text.pop_back();
    return text + R"(,"status":)" + std::string(status) + "}";
  };
  auto old = load(with_status(old_status_json));
  auto now = load(with_status(status_json));
  old->type().set_defaults(*old);
  now->type().set_defaults(*now);
  return now->type().validate_status(*now, *old);
}

}  // namespace

TEST_CASE("pod status updates validate the status, not the stored spec", "[validation]") {
  const std::string spec = R"({"containers":[{"name":"c","image":"i"}]})";
  SECTION("a well-formed status passes") {
    check_causes(status_update_causes(spec, R"({"phase":"Running","podIP":"10.244.0.5",
        "podIPs":[{"ip":"10.244.0.5"},{"ip":"fd00::5"}],"hostIP":"10.0.0.1",
        "conditions":[{"type":"Ready","status":"True"},{"type":"example.com/gate","status":"True"}]})"),
                 {});
  }
  SECTION("the stored spec is not checked again") {
    // A spec that validation would refuse (no image) is what is stored, not what changes.
    check_causes(status_update_causes(R"({"containers":[{"name":"c"}]})", R"({"phase":"Running"})"),
                 {});
  }
  SECTION("pod IPs are IPs, one per family") {
    check_causes(status_update_causes(spec, R"({"podIPs":[{"ip":"10.244.0.5"},{"ip":"bad"}]})"),
                 {{"status.podIPs[1]",
                   "Invalid value: \"bad\": must be a valid IP address, (e.g. 10.9.8.7 or "
                   "2001:db8::ffff)"},
                  {"status.podIPs",
                   "Invalid value: []string{\"10.244.0.5\", \"bad\"}: may specify no more "
                   "than one IP for each IP family"}});
    check_causes(status_update_causes(spec, R"({"podIP":"10.244.0.500","hostIP":"node-1"})"),
                 {{"status.podIPs[0]",
                   "Invalid value: \"10.244.0.500\": must be a valid IP address, (e.g. 10.9.8.7 "
                   "or 2001:db8::ffff)"},
                  {"status.hostIPs[0]",
                   "Invalid value: \"node-1\": must be a valid IP address, (e.g. 10.9.8.7 or "
                   "2001:db8::ffff)"}});
  }
  SECTION("a condition type the system does not set is a qualified name") {
    auto causes =
        status_update_causes(spec, R"({"conditions":[{"type":"not a name","status":"True"}]})");
    REQUIRE_FALSE(causes.empty());
    CHECK(causes[0].field == "metadata.conditions[0].Type");
  }
  SECTION("a new nominatedNodeName is a DNS subdomain") {
    auto causes = status_update_causes(spec, R"({"nominatedNodeName":"Node_1"})");
    REQUIRE_FALSE(causes.empty());
    CHECK(causes[0].field == "status.nominatedNodeName");
    CHECK(causes[0].message.starts_with("Invalid value: \"Node_1\": "));
  }
  SECTION("podIP is authoritative where it differs from podIPs") {
    check_causes(
        status_update_causes(spec, R"({"podIP":"garbage","podIPs":[{"ip":"10.244.0.5"}]})"),
        {{"status.podIPs[0]",
          "Invalid value: \"garbage\": must be a valid IP address, (e.g. 10.9.8.7 or "
          "2001:db8::ffff)"}});
  }
  const std::string terminated =
      R"({"containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0}}}]})";
  const std::string running = R"({"containerStatuses":[{"name":"c","state":{"running":{}}}]})";
  SECTION("under restartPolicy Never a terminated container stays terminated") {
    check_causes(
        status_update_causes(R"({"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]})",
                             running, terminated),
        {{"status.containerStatuses[0]",
          "Forbidden: may not be transitioned to non-terminated state"}});
  }
  SECTION("under Always it may run again") {
    check_causes(status_update_causes(spec, running, terminated), {});
  }
  SECTION("the cause is indexed by the old status") {
    check_causes(
        status_update_causes(
            R"({"restartPolicy":"Never","containers":[{"name":"a","image":"i"},{"name":"c","image":"i"}]})",
            R"({"containerStatuses":[{"name":"c","state":{"running":{}}},{"name":"a","state":{"running":{}}}]})",
            R"({"containerStatuses":[{"name":"a","state":{"running":{}}},{"name":"c","state":{"terminated":{"exitCode":1}}}]})"),
        {{"status.containerStatuses[1]",
          "Forbidden: may not be transitioned to non-terminated state"}});
  }
  SECTION("a sidecar restarts on its own, whatever the pod's policy") {
    const std::string with_sidecar =
        R"({"restartPolicy":"Never","initContainers":[{"name":"s","image":"i","restartPolicy":"Always"}],"containers":[{"name":"c","image":"i"}]})";
    check_causes(
        status_update_causes(
            with_sidecar, R"({"initContainerStatuses":[{"name":"s","state":{"running":{}}}]})",
            R"({"initContainerStatuses":[{"name":"s","state":{"terminated":{"exitCode":0}}}]})"),
        {});
  }
}
