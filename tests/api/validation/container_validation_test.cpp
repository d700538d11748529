// Container validation (api/validation/container_validation.cpp).
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of containers: upstream field paths and messages", "[validation]") {
  check_cases({
      {"container name and image",
       pod_json(R"({"containers":[{"name":"Web"},{"name":"Web","image":"i"}]})"),
       "",
       {{"spec.containers[0].name", std::string("Invalid value: \"Web\": ") + kDns1123Label},
        {"spec.containers[0].image", "Required value"},
        {"spec.containers[1].name", std::string("Invalid value: \"Web\": ") + kDns1123Label},
        {"spec.containers[1].name", "Duplicate value: \"Web\""}}},
      {"container ports",
       pod_json(R"({"containers":[{"name":"c","image":"i","ports":[
          {"name":"http","containerPort":70000},{"name":"http","containerPort":81,"protocol":"ICMP"},
          {"containerPort":0,"hostPort":8080},{"containerPort":82,"hostPort":8080}]}]})"),
       "",
       {{"spec.containers[0].ports[0].containerPort",
         "Invalid value: 70000: must be between 1 and 65535, inclusive"},
        {"spec.containers[0].ports[1].name", "Duplicate value: \"http\""},
        {"spec.containers[0].ports[1].protocol",
         "Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""},
        {"spec.containers[0].ports[2].containerPort", "Required value"},
        {"spec.containers[0].ports[3].hostPort", "Duplicate value: \"/TCP/8080\""}}},
      {"requests above limits",
       pod_json(R"({"containers":[{"name":"c","image":"i",
          "resources":{"limits":{"cpu":"1"},"requests":{"cpu":"2","memory":"-1","gpu":"1"}}}]})"),
       "",
       {{"spec.containers[0].resources.requests",
         "Invalid value: \"2\": must be less than or equal to cpu limit of 1"},
        {"spec.containers[0].resources.requests[gpu]",
         "Invalid value: \"gpu\": must be a standard resource for containers"},
        {"spec.containers[0].resources.requests[memory]",
         "Invalid value: \"-1\": must be greater than or equal to 0"}}},
      {"probes, env and mounts",
       pod_json(R"({"containers":[{"name":"c","image":"i",
          "env":[{"name":""},{"name":"1X"}],
          "volumeMounts":[{"name":"missing","mountPath":"/data"}],
          "livenessProbe":{"successThreshold":2,"exec":{"command":["true"]}},
          "readinessProbe":{}}]})"),
       "",
       {{"spec.containers[0].env[0].name", "Required value"},
        {"spec.containers[0].env[1].name",
         "Invalid value: \"1X\": a valid environment variable name must consist of alphabetic "
         "characters, digits, '_', '-', or '.', and must not start with a digit (e.g. "
         "'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
         "'[-._a-zA-Z][-._a-zA-Z0-9]*')"},
        {"spec.containers[0].volumeMounts[0].name", "Not found: \"missing\""},
        {"spec.containers[0].livenessProbe.successThreshold", "Invalid value: 2: must be 1"},
        {"spec.containers[0].readinessProbe", "Required value: must specify a handler type"}}},
      {"environment from fields, resources, config maps and secrets",
       pod_json(R"({"containers":[{"name":"c","image":"i",
          "env":[{"name":"A","value":"x","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                 {"name":"B","valueFrom":{}},
                 {"name":"C","valueFrom":{"fieldRef":{"fieldPath":"spec.hostname"}}},
                 {"name":"D","valueFrom":{"resourceFieldRef":{"resource":"limits.gpu"}}},
                 {"name":"E","valueFrom":{"secretKeyRef":{"name":"s"},"configMapKeyRef":{"name":"c","key":"k"}}},
                 {"name":"F","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}}],
          "envFrom":[{"prefix":"1X"},{"configMapRef":{"name":"c"},"secretRef":{"name":"s"}}]}]})"),
       "",
       {{"spec.containers[0].env[0].valueFrom",
         "Invalid value: \"\": may not be specified when `value` is not empty"},
        {"spec.containers[0].env[1].valueFrom",
         "Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, "
         "`configMapKeyRef` or `secretKeyRef`"},
        {"spec.containers[0].env[2].valueFrom.fieldRef.fieldPath",
         "Unsupported value: \"spec.hostname\": supported values: \"metadata.name\", "
         "\"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", "
         "\"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", "
         "\"status.podIPs\""},
        {"spec.containers[0].env[3].valueFrom.resourceFieldRef.resource",
         "Unsupported value: \"limits.gpu\": supported values: \"limits.cpu\", "
         "\"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", "
         "\"requests.ephemeral-storage\", \"requests.memory\""},
        {"spec.containers[0].env[4].valueFrom.secretKeyRef.key", "Required value"},
        {"spec.containers[0].env[4].valueFrom",
         "Invalid value: \"\": may not have more than one field specified at a time"},
        {"spec.containers[0].envFrom[0].prefix",
         "Invalid value: \"1X\": a valid environment variable name must consist of alphabetic "
         "characters, digits, '_', '-', or '.', and must not start with a digit (e.g. "
         "'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
         "'[-._a-zA-Z][-._a-zA-Z0-9]*')"},
        {"spec.containers[0].envFrom[0]",
         "Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"},
        {"spec.containers[0].envFrom[1]",
         "Invalid value: \"\": may not have more than one field specified at a time"}}},
      {"restart policies: sidecars are init containers",
       pod_json(R"({"containers":[{"name":"c","image":"i","restartPolicy":"Always"}],
          "initContainers":[{"name":"sidecar","image":"i","restartPolicy":"Always",
                             "readinessProbe":{"exec":{"command":["true"]}},
                             "lifecycle":{"preStop":{"exec":{"command":["stop"]}}}},
                            {"name":"once","image":"i","restartPolicy":"OnFailure",
                             "lifecycle":{"preStop":{"exec":{"command":["stop"]}}}}]})"),
       "",
       {{"spec.containers[0].restartPolicy", "Forbidden: may not be set for non-init containers"},
        {"spec.initContainers[1].restartPolicy",
         "Unsupported value: \"OnFailure\": supported values: \"Always\""},
        {"spec.initContainers[1].lifecycle",
         "Forbidden: may not be set for init containers without restartPolicy=Always"}}},
      {"lifecycle hooks, grpc probes, headers, devices, resize policy and claims",
       pod_json(R"({"terminationGracePeriodSeconds":10,"containers":[{"name":"c","image":"i",
          "lifecycle":{"postStart":{"exec":{"command":["a"]},"sleep":{"seconds":1}},
                       "preStop":{"sleep":{"seconds":11}}},
          "livenessProbe":{"grpc":{"port":0}},
          "readinessProbe":{"httpGet":{"port":80,"httpHeaders":[{"name":"Bad Header","value":"v"}]}},
          "volumeDevices":[{"name":"nope","devicePath":"/dev/a"}],
          "resizePolicy":[{"resourceName":"gpu","restartPolicy":"Sometimes"}],
          "resources":{"claims":[{"name":"gpu"}]}}]})"),
       "",
       {{"spec.containers[0].volumeDevices[0].name", "Not found: \"nope\""},
        {"spec.containers[0].resources.claims[0]",
         "Not found: \"gpu\": must be one of the names in pod.spec.resourceClaims which is empty"},
        {"spec.containers[0].resizePolicy",
         "Unsupported value: \"gpu\": supported values: \"cpu\", \"memory\""},
        {"spec.containers[0].resizePolicy",
         "Unsupported value: \"Sometimes\": supported values: \"NotRequired\", "
         "\"RestartContainer\""},
        {"spec.containers[0].livenessProbe.grpc.port",
         "Invalid value: 0: must be between 1 and 65535, inclusive"},
        {"spec.containers[0].readinessProbe.httpGet.httpHeaders",
         "Invalid value: \"Bad Header\": a valid HTTP header must consist of alphanumeric "
         "characters or '-' (e.g. 'X-Header-Name', regex used for validation is "
         "'[-A-Za-z0-9]+')"},
        {"spec.containers[0].lifecycle.postStart.sleep",
         "Forbidden: may not specify more than 1 handler type"},
        {"spec.containers[0].lifecycle.preStop.sleep",
         "Invalid value: 11: must be greater than 0 and less than terminationGracePeriodSeconds "
         "(10)"}}},
  });
}
