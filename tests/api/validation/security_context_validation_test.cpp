// Security context validation (api/validation/security_context_validation.cpp).
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of security contexts: upstream field paths and messages", "[validation]") {
  check_cases({
      {"pod security context",
       pod_json(
           R"({"containers":[{"name":"c","image":"i"}],"hostPID":true,"shareProcessNamespace":true,
          "securityContext":{"runAsUser":-1,"supplementalGroups":[1,2147483648],
                             "fsGroupChangePolicy":"Sometimes","supplementalGroupsPolicy":"Loose",
                             "seccompProfile":{"type":"Localhost"},
                             "appArmorProfile":{"type":"RuntimeDefault","localhostProfile":"p"}}})"),
       "",
       {{"spec.securityContext.shareProcessNamespace",
         "Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled"},
        {"spec.securityContext.runAsUser",
         "Invalid value: -1: must be between 0 and 2147483647, inclusive"},
        {"spec.securityContext.supplementalGroups[1]",
         "Invalid value: 2147483648: must be between 0 and 2147483647, inclusive"},
        {"spec.securityContext.fsGroupChangePolicy",
         "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\""},
        {"spec.securityContext.supplementalGroupsPolicy",
         "Unsupported value: \"Loose\": supported values: \"Merge\", \"Strict\""},
        {"spec.securityContext.seccompProfile.localhostProfile",
         "Required value: must be set when seccomp type is Localhost"},
        {"spec.securityContext.appArmorProfile.localhostProfile",
         "Invalid value: \"p\": can only be set when AppArmor type is Localhost"}}},
      {"container security context",
       pod_json(R"({"containers":[{"name":"c","image":"i","securityContext":{
          "privileged":true,"allowPrivilegeEscalation":false,"procMount":"Masked",
          "seccompProfile":{"type":"Custom"}}}]})"),
       "",
       {{"spec.containers[0].securityContext.procMount",
         "Unsupported value: \"Masked\": supported values: \"Default\", \"Unmasked\""},
        {"spec.containers[0].securityContext.seccompProfile.type",
         "Unsupported value: \"Custom\": supported values: \"Localhost\", \"RuntimeDefault\", "
         "\"Unconfined\""},
        {"spec.containers[0].securityContext",
         "Invalid value: \"\": cannot set `allowPrivilegeEscalation` to false and `privileged` "
         "to true"}}},
  });
}
