// PodSpec validation: the pod-wide fields (api/validation/pod_spec_validation.cpp).
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of pod spec: upstream field paths and messages", "[validation]") {
  const std::string ok_pod = pod_json(
      R"({"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]}]})");
  check_cases({
      {"valid pod", ok_pod, "", {}},
      {"pod without containers",
       pod_json(R"({"containers":[]})"),
       "",
       {{"spec.containers", "Required value"}}},
      {"unsupported restart and dns policy",
       pod_json(R"({"restartPolicy":"Sometimes","dnsPolicy":"Google",
          "containers":[{"name":"c","image":"i"}]})"),
       "",
       {{"spec.restartPolicy",
         "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", "
         "\"Never\""},
        {"spec.dnsPolicy",
         "Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", "
         "\"ClusterFirst\", \"Default\", \"None\""}}},
      {"every pod-wide field of upstream's PodSpec is accepted when valid",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],
          "imagePullSecrets":[{"name":"registry"}],"automountServiceAccountToken":false,
          "serviceAccount":"builder","hostPID":true,"hostIPC":true,"shareProcessNamespace":false,
          "hostAliases":[{"ip":"10.0.0.1","hostnames":["db.local"]}],
          "dnsPolicy":"None","dnsConfig":{"nameservers":["1.1.1.1"],"searches":["example.com."],
                                          "options":[{"name":"ndots","value":"2"}]},
          "readinessGates":[{"conditionType":"example.com/ready"}],"runtimeClassName":"gvisor",
          "enableServiceLinks":false,"setHostnameAsFQDN":true,"os":{"name":"linux"},
          "hostUsers":false,"schedulingGates":[{"name":"example.com/quota"}],
          "resourceClaims":[{"name":"gpu","resourceClaimTemplateName":"gpu"}],
          "resources":{"limits":{"cpu":"1"}}})"),
       "",
       {}},
      {"host aliases, dns config, readiness gates, runtime class",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],
          "hostAliases":[{"ip":"not-an-ip","hostnames":["Bad_Host"]}],
          "dnsConfig":{"nameservers":["1.1.1.1","2.2.2.2","3.3.3.3","x"],"searches":["-bad."],
                       "options":[{"value":"1"}]},
          "readinessGates":[{"conditionType":"-x"}],"runtimeClassName":"Kata"})"),
       "",
       {{"spec.hostAliases[0].ip",
         "Invalid value: \"not-an-ip\": must be a valid IP address, (e.g. 10.9.8.7 or "
         "2001:db8::ffff)"},
        {"spec.hostAliases[0].hostnames[0]",
         std::string("Invalid value: \"Bad_Host\": ") + kDns1123Subdomain},
        {"spec.dnsConfig.nameservers",
         "Invalid value: []string{\"1.1.1.1\", \"2.2.2.2\", \"3.3.3.3\", \"x\"}: must not have "
         "more than 3 nameservers"},
        {"spec.dnsConfig.nameservers[3]",
         "Invalid value: \"x\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"},
        {"spec.dnsConfig.searches[0]",
         std::string("Invalid value: \"-bad\": ") + kDns1123Subdomain},
        {"spec.dnsConfig.options[0]", "Required value: must not be empty"},
        {"spec.readinessGates[0].conditionType",
         "Invalid value: \"-x\": name part must consist of alphanumeric characters, '-', '_' or "
         "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
         "'my.name',  or '123-abc', regex used for validation is "
         "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"},
        {"spec.runtimeClassName", std::string("Invalid value: \"Kata\": ") + kDns1123Subdomain}}},
      {"dnsPolicy None needs a dnsConfig with a nameserver",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],"dnsPolicy":"None"})"),
       "",
       {{"spec.dnsConfig", "Required value: must provide `dnsConfig` when `dnsPolicy` is None"}}},
      {"os, scheduling gates and resource claims",
       pod_json(R"({"containers":[{"name":"c","image":"i"}],"os":{"name":"plan9"},
          "schedulingGates":[{"name":"a"},{"name":"a"}],
          "resourceClaims":[{"name":"gpu"},{"name":"gpu","resourceClaimName":"x",
                             "resourceClaimTemplateName":"y"}]})"),
       "",
       {{"spec.os", "Unsupported value: \"plan9\": supported values: \"linux\", \"windows\""},
        {"spec.schedulingGates[1]", "Duplicate value: \"a\""},
        {"spec.resourceClaims[0]",
         "Invalid value: \"gpu\": must specify one of: `resourceClaimName`, "
         "`resourceClaimTemplateName`"},
        {"spec.resourceClaims[1].name", "Duplicate value: \"gpu\""},
        {"spec.resourceClaims[1]",
         "Invalid value: \"gpu\": at most one of `resourceClaimName` or "
         "`resourceClaimTemplateName` may be specified"}}},
  });
}
