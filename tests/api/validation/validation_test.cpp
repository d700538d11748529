// Defaulting and validation of the built-in kinds: exact upstream field paths and messages.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"
#include "api/defaults/namespace_defaults.hpp"
#include "api/defaults/pod_defaults.hpp"
#include "api/types/all.hpp"
#include "api/util/base64.hpp"
#include "api/validation/namespace_validation.hpp"
#include "api/validation/pod_validation.hpp"

using namespace kactor::api;
using nlohmann::json;

namespace {

std::unique_ptr<Object> load(std::string_view text) {
  auto obj = decode_json(text, DecodeOptions{.strict = true});
  INFO(text);
  if (!obj) FAIL(obj.error().message);
  return std::move(*obj);
}

/// Decodes, defaults and validates as the API server does; `old_text` makes it an update.
std::vector<StatusCause> causes_for(std::string_view text, std::string_view old_text = {}) {
  auto obj = load(text);
  obj->type().set_defaults(*obj);
  if (old_text.empty()) return obj->type().validate(*obj, nullptr);
  auto old = load(old_text);
  old->type().set_defaults(*old);
  return obj->type().validate(*obj, old.get());
}

std::string describe_causes(const std::vector<StatusCause>& causes) {
  std::string out;
  for (const auto& c : causes) out += "\n  " + c.field + ": " + c.message;
  return out.empty() ? " (none)" : out;
}

struct Expected {
  std::string field;
  std::string message;
};

void check_causes(const std::vector<StatusCause>& causes, const std::vector<Expected>& expected) {
  INFO("got:" << describe_causes(causes));
  REQUIRE(causes.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(causes[i].field == expected[i].field);
    CHECK(causes[i].message == expected[i].message);
  }
}

constexpr const char* kDns1123Label =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr const char* kDns1035Label =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
constexpr const char* kDns1123Subdomain =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

std::string pod(std::string_view spec,
                std::string_view meta = R"("name":"p","namespace":"default")") {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{)" + std::string(meta) + R"(},"spec":)" +
         std::string(spec) + "}";
}

}  // namespace

// -- defaulting -----------------------------------------------------------------------------

TEST_CASE("pod defaults as the API server fills them", "[validation][defaults]") {
  auto obj = load(pod(R"({"containers":[
      {"name":"a","image":"nginx","ports":[{"containerPort":80}],
       "resources":{"limits":{"cpu":"1"}},
       "livenessProbe":{"httpGet":{"port":80}}},
      {"name":"b","image":"nginx:1.25"},
      {"name":"c","image":"registry:5000/app"},
      {"name":"d","image":"nginx@sha256:abcd"},
      {"name":"e","image":"nginx:latest","imagePullPolicy":"Never"}],
    "volumes":[{"name":"scratch"}]})"));
  obj->type().set_defaults(*obj);
  const Pod& p = *as<Pod>(*obj);
  CHECK(p.spec.restart_policy == "Always");
  CHECK(p.spec.termination_grace_period_seconds == 30);
  CHECK(p.spec.dns_policy == "ClusterFirst");
  CHECK(p.spec.scheduler_name == "default-scheduler");
  CHECK(p.spec.preemption_policy.empty());  // the Priority admission's business
  CHECK(p.status.phase == "Pending");
  const auto& a = p.spec.containers[0];
  CHECK(a.ports[0].protocol == "TCP");
  CHECK(a.termination_message_path == "/dev/termination-log");
  CHECK(a.termination_message_policy == "File");
  CHECK(a.resources.requests.at("cpu") == Quantity::parse("1").value());
  const Probe& probe = *a.liveness_probe;
  CHECK(probe.timeout_seconds == 1);
  CHECK(probe.period_seconds == 10);
  CHECK(probe.success_threshold == 1);
  CHECK(probe.failure_threshold == 3);
  CHECK(probe.http_get->path == "/");
  CHECK(probe.http_get->scheme == "HTTP");
  CHECK(p.spec.containers[0].image_pull_policy == "Always");
  CHECK(p.spec.containers[1].image_pull_policy == "IfNotPresent");
  CHECK(p.spec.containers[2].image_pull_policy == "Always");
  CHECK(p.spec.containers[3].image_pull_policy == "IfNotPresent");
  CHECK(p.spec.containers[4].image_pull_policy == "Never");
  CHECK(p.spec.volumes[0].empty_dir.has_value());
  CHECK(default_image_pull_policy("localhost:5000/x:latest") == "Always");
  CHECK(default_image_pull_policy("localhost:5000/x:v1") == "IfNotPresent");
}

TEST_CASE("service, workload and other kinds' defaults", "[validation][defaults]") {
  auto svc = load(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
    "spec":{"ports":[{"port":80},{"port":443,"targetPort":"https","protocol":"UDP"}],
            "sessionAffinity":"ClientIP","clusterIP":"10.0.0.1"}})");
  svc->type().set_defaults(*svc);
  const Service& s = *as<Service>(*svc);
  CHECK(s.spec.type == "ClusterIP");
  CHECK(s.spec.ports[0].protocol == "TCP");
  CHECK(s.spec.ports[0].target_port == IntOrString::from_int(80));
  CHECK(s.spec.ports[1].protocol == "UDP");
  CHECK(s.spec.ports[1].target_port == IntOrString::from_string("https"));
  CHECK(s.spec.session_affinity_config->client_ip->timeout_seconds == 10800);
  CHECK(s.spec.internal_traffic_policy == "Cluster");
  CHECK(s.spec.external_traffic_policy.empty());
  CHECK(s.spec.cluster_ips == std::vector<std::string>{"10.0.0.1"});

  auto lb = load(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
    "spec":{"type":"LoadBalancer","ports":[{"port":80}],"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":5}}}})");
  lb->type().set_defaults(*lb);
  CHECK(as<Service>(*lb)->spec.session_affinity == "None");
  CHECK_FALSE(as<Service>(*lb)->spec.session_affinity_config.has_value());
  CHECK(as<Service>(*lb)->spec.external_traffic_policy == "Cluster");
  CHECK(as<Service>(*lb)->spec.allocate_load_balancer_node_ports == true);

  auto dep = load(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
    "spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},
      "spec":{"containers":[{"name":"c","image":"i"}]}}}})");
  dep->type().set_defaults(*dep);
  const Deployment& d = *as<Deployment>(*dep);
  CHECK(d.spec.replicas == 1);
  CHECK(d.spec.strategy.type == "RollingUpdate");
  CHECK(d.spec.strategy.rolling_update->max_unavailable == IntOrString::from_string("25%"));
  CHECK(d.spec.strategy.rolling_update->max_surge == IntOrString::from_string("25%"));
  CHECK(d.spec.revision_history_limit == 10);
  CHECK(d.spec.progress_deadline_seconds == 600);
  CHECK(d.spec.template_.spec.restart_policy == "Always");

  auto recreate = load(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
    "spec":{"strategy":{"type":"Recreate"}}})");
  recreate->type().set_defaults(*recreate);
  CHECK_FALSE(as<Deployment>(*recreate)->spec.strategy.rolling_update.has_value());

  auto rs = load(R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r"}})");
  rs->type().set_defaults(*rs);
  CHECK(as<ReplicaSet>(*rs)->spec.replicas == 1);

  auto rc = load(
      R"({"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"r","labels":{"own":"x"}},
    "spec":{"template":{"metadata":{"labels":{"app":"r"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}})");
  rc->type().set_defaults(*rc);
  CHECK(as<ReplicationController>(*rc)->spec.replicas == 1);
  CHECK(as<ReplicationController>(*rc)->spec.selector ==
        std::map<std::string, std::string>{{"app", "r"}});
  CHECK(rc->metadata.labels == std::map<std::string, std::string>{{"own", "x"}});

  auto ns = load(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}})");
  ns->type().set_defaults(*ns);
  CHECK(as<Namespace>(*ns)->status.phase == "Active");
  CHECK(as<Namespace>(*ns)->spec.finalizers == std::vector<std::string>{"kubernetes"});
  Namespace terminating;
  terminating.metadata.deletion_timestamp = Time{kactor::TimePoint(std::chrono::seconds(5))};
  terminating.status.phase = "Terminating";
  set_defaults(terminating);
  CHECK(terminating.spec.finalizers.empty());  // /finalize removed it: it stays removed

  auto secret = load(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},
    "data":{"a":"eA=="},"stringData":{"b":"hello","a":"y"}})");
  secret->type().set_defaults(*secret);
  const Secret& sec = *as<Secret>(*secret);
  CHECK(sec.type == "Opaque");
  CHECK(sec.string_data.empty());
  CHECK(sec.data == std::map<std::string, std::string>{{"a", "eQ=="}, {"b", "aGVsbG8="}});

  auto pv = load(R"({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"v"}})");
  pv->type().set_defaults(*pv);
  CHECK(as<PersistentVolume>(*pv)->spec.persistent_volume_reclaim_policy == "Retain");
  CHECK(as<PersistentVolume>(*pv)->spec.volume_mode == "Filesystem");
  CHECK(as<PersistentVolume>(*pv)->status.phase == "Pending");
  auto pvc = load(R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c"}})");
  pvc->type().set_defaults(*pvc);
  CHECK(as<PersistentVolumeClaim>(*pvc)->spec.volume_mode == "Filesystem");
  CHECK(as<PersistentVolumeClaim>(*pvc)->status.phase == "Pending");

  auto lr = load(R"({"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"l"},
    "spec":{"limits":[{"type":"Container","max":{"cpu":"2"},"min":{"memory":"64Mi"}},
                      {"type":"Pod","max":{"cpu":"4"}}]}})");
  lr->type().set_defaults(*lr);
  const auto& items = as<LimitRange>(*lr)->spec.limits;
  CHECK(items[0].default_ == ResourceList{{"cpu", Quantity::parse("2").value()}});
  CHECK(items[0].default_request == ResourceList{{"cpu", Quantity::parse("2").value()},
                                                 {"memory", Quantity::parse("64Mi").value()}});
  CHECK(items[1].default_.empty());

  auto node = load(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},
    "spec":{"podCIDR":"10.244.0.0/24"},"status":{"capacity":{"cpu":"2"}}})");
  node->type().set_defaults(*node);
  CHECK(as<Node>(*node)->status.allocatable == as<Node>(*node)->status.capacity);
  CHECK(as<Node>(*node)->spec.pod_cidrs == std::vector<std::string>{"10.244.0.0/24"});

  auto pc = load(
      R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"p"},"value":5})");
  pc->type().set_defaults(*pc);
  CHECK(as<PriorityClass>(*pc)->preemption_policy == "PreemptLowerPriority");
}

TEST_CASE("base64 helpers", "[validation]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_decode("Zm9vYg==") == "foob");
  CHECK_FALSE(base64_decode("Zm9").has_value());
  CHECK_FALSE(base64_decode("Z=9v").has_value());
  CHECK_FALSE(base64_decode("Zm9v!A==").has_value());
}

// -- validation table ------------------------------------------------------------------------

TEST_CASE("validation errors carry upstream field paths and messages", "[validation]") {
  struct Case {
    std::string name;
    std::string object;
    std::string old;  // empty: create
    std::vector<Expected> expected;
  };
  const std::string ok_pod =
      pod(R"({"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]}]})");
  const std::string svc_meta =
      R"("apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"})";
  const std::string rc_head =
      R"("apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"r","namespace":"default"})";
  const std::string containers = R"("spec":{"containers":[{"name":"c","image":"i"}]})";
  const std::string deploy_head =
      R"("apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"default"})";

  std::vector<Case> cases = {
      {"valid pod", ok_pod, "", {}},
      {"pod without containers",
       pod(R"({"containers":[]})"),
       "",
       {{"spec.containers", "Required value"}}},
      {"pod without name",
       pod(R"({"containers":[{"name":"c","image":"i"}]})", R"("namespace":"default")"),
       "",
       {{"metadata.name", "Required value: name or generateName is required"}}},
      {"pod without namespace",
       pod(R"({"containers":[{"name":"c","image":"i"}]})", R"("name":"p")"),
       "",
       {{"metadata.namespace", "Required value"}}},
      {"bad generateName",
       pod(R"({"containers":[{"name":"c","image":"i"}]})",
           R"("generateName":"Web-","name":"web-x","namespace":"default")"),
       "",
       {{"metadata.generateName", std::string("Invalid value: \"Web-\": ") + kDns1123Subdomain}}},
      {"bad label key and value",
       pod(R"({"containers":[{"name":"c","image":"i"}]})",
           R"("name":"p","namespace":"default","labels":{"-bad":"ok","k":"a b"})"),
       "",
       {{"metadata.labels",
         "Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or "
         "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
         "'my.name',  or '123-abc', regex used for validation is "
         "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"},
        {"metadata.labels",
         "Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric "
         "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
         "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
         "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"}}},
      {"unqualified finalizer",
       pod(R"({"containers":[{"name":"c","image":"i"}]})",
           R"("name":"p","namespace":"default","finalizers":["custom"])"),
       "",
       {{"metadata.finalizers",
         "Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully "
         "qualified"}}},
      {"container name and image",
       pod(R"({"containers":[{"name":"Web"},{"name":"Web","image":"i"}]})"),
       "",
       {{"spec.containers[0].name", std::string("Invalid value: \"Web\": ") + kDns1123Label},
        {"spec.containers[0].image", "Required value"},
        {"spec.containers[1].name", std::string("Invalid value: \"Web\": ") + kDns1123Label},
        {"spec.containers[1].name", "Duplicate value: \"Web\""}}},
      {"container ports",
       pod(R"({"containers":[{"name":"c","image":"i","ports":[
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
       pod(R"({"containers":[{"name":"c","image":"i",
          "resources":{"limits":{"cpu":"1"},"requests":{"cpu":"2","memory":"-1","gpu":"1"}}}]})"),
       "",
       {{"spec.containers[0].resources.requests",
         "Invalid value: \"2\": must be less than or equal to cpu limit of 1"},
        {"spec.containers[0].resources.requests[gpu]",
         "Invalid value: \"gpu\": must be a standard resource for containers"},
        {"spec.containers[0].resources.requests[memory]",
         "Invalid value: \"-1\": must be greater than or equal to 0"}}},
      {"unsupported restart and dns policy",
       pod(R"({"restartPolicy":"Sometimes","dnsPolicy":"Google",
          "containers":[{"name":"c","image":"i"}]})"),
       "",
       {{"spec.restartPolicy",
         "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", "
         "\"Never\""},
        {"spec.dnsPolicy",
         "Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", "
         "\"ClusterFirst\", \"Default\", \"None\""}}},
      {"probes, env and mounts",
       pod(R"({"containers":[{"name":"c","image":"i",
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
      {"tolerations",
       pod(R"({"containers":[{"name":"c","image":"i"}],"tolerations":[
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
       pod(R"({"containers":[{"name":"c","image":"i"}],"affinity":{"nodeAffinity":{
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
      {"pod update may change the image",
       pod(R"({"containers":[{"name":"web","image":"nginx:1.26","ports":[{"containerPort":80}]}]})"),
       ok_pod,
       {}},
      {"pod update may not change ports",
       pod(R"({"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":81}]}]})"),
       ok_pod,
       {{"spec",
         "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
         "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
         "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
         "set to 1 if it was previously negative)"}}},
      {"pod update may not set nodeName",
       pod(R"({"nodeName":"node-1","containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]}]})"),
       ok_pod,
       {{"spec",
         "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
         "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
         "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
         "set to 1 if it was previously negative)"}}},
      {"pod update may not add containers",
       pod(R"({"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]},{"name":"b","image":"i"}]})"),
       ok_pod,
       {{"spec.containers", "Forbidden: pod updates may not add or remove containers"}}},
      {"pod update: tolerations may only be added",
       pod(R"({"containers":[{"name":"c","image":"i"}],"tolerations":[{"key":"b","operator":"Exists"}]})"),
       pod(R"({"containers":[{"name":"c","image":"i"}],"tolerations":[{"key":"a","operator":"Exists"}]})"),
       {{"spec.tolerations",
         "Forbidden: existing toleration can not be modified except its tolerationSeconds"}}},
      {"pod update: activeDeadlineSeconds may only shrink",
       pod(R"({"activeDeadlineSeconds":20,"containers":[{"name":"c","image":"i"}]})"),
       pod(R"({"activeDeadlineSeconds":10,"containers":[{"name":"c","image":"i"}]})"),
       {{"spec.activeDeadlineSeconds",
         "Invalid value: 20: must be less than or equal to previous value"}}},
      {"metadata is immutable",
       pod(R"({"containers":[{"name":"c","image":"i"}]})",
           R"("name":"q","namespace":"other","uid":"u2")"),
       pod(R"({"containers":[{"name":"c","image":"i"}]})",
           R"("name":"p","namespace":"default","uid":"u1")"),
       {{"metadata.name", "Invalid value: \"q\": field is immutable"},
        {"metadata.namespace", "Invalid value: \"other\": field is immutable"},
        {"metadata.uid", "Invalid value: \"u2\": field is immutable"}}},
      {"namespace names are DNS-1123 labels",
       R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team.a"}})",
       "",
       {{"metadata.name", "Invalid value: \"team.a\": must not contain dots"}}},
      {"namespace names: other characters",
       R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"Team"}})",
       "",
       {{"metadata.name", std::string("Invalid value: \"Team\": ") + kDns1123Label}}},
      {"cluster-scoped kinds forbid a namespace",
       R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n","namespace":"default"}})",
       "",
       {{"metadata.namespace", "Forbidden: not allowed on this type"}}},
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
      {"service names are DNS-1035 labels",
       R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"1web","namespace":"default"},"spec":{"ports":[{"port":80}]}})",
       "",
       {{"metadata.name", std::string("Invalid value: \"1web\": ") + kDns1035Label}}},
      {"service without ports",
       "{" + svc_meta + R"(,"spec":{"selector":{"app":"web"}}})",
       "",
       {{"spec.ports", "Required value"}}},
      {"headless service without ports",
       "{" + svc_meta + R"(,"spec":{"clusterIP":"None"}})",
       "",
       {}},
      {"service ports",
       "{" + svc_meta + R"(,"spec":{"ports":[{"port":80},{"port":0,"name":"Http"},
          {"port":443,"name":"https","targetPort":"-bad"},{"port":443,"name":"tls"}]}})",
       "",
       {{"spec.ports[0].name", "Required value"},
        {"spec.ports[1].name", std::string("Invalid value: \"Http\": ") + kDns1123Label},
        {"spec.ports[1].port", "Invalid value: 0: must be between 1 and 65535, inclusive"},
        {"spec.ports[1].targetPort", "Invalid value: 0: must be between 1 and 65535, inclusive"},
        {"spec.ports[2].targetPort",
         "Invalid value: \"-bad\": must not begin or end with a hyphen"},
        {"spec.ports[3]", "Duplicate value: \"443/TCP\""}}},
      {"service type",
       "{" + svc_meta + R"(,"spec":{"type":"Magic","ports":[{"port":80,"nodePort":30000}]}})",
       "",
       {{"spec.type",
         "Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", "
         "\"LoadBalancer\", \"NodePort\""}}},
      {"ClusterIP services have no nodePort",
       "{" + svc_meta +
           R"(,"spec":{"ports":[{"port":80,"nodePort":30000}],"clusterIP":"10.0.0.300"}})",
       "",
       {{"spec.clusterIPs[0]",
         "Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or "
         "2001:db8::ffff)"},
        {"spec.ports[0].nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'"}}},
      {"external name",
       "{" + svc_meta + R"(,"spec":{"type":"ExternalName"}})",
       "",
       {{"spec.externalName", "Required value"}}},
      {"clusterIP may not change",
       "{" + svc_meta + R"(,"spec":{"ports":[{"port":80}],"clusterIP":"10.0.0.2"}})",
       "{" + svc_meta + R"(,"spec":{"ports":[{"port":80}],"clusterIP":"10.0.0.1"}})",
       {{"spec.clusterIPs[0]", "Invalid value: []string{\"10.0.0.2\"}: may not change once set"}}},
      {"endpoints",
       R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"e","namespace":"default"},
          "subsets":[{"addresses":[{"ip":"x"}],"ports":[{"port":80},{"port":81}]},{}]})",
       "",
       {{"subsets[0].addresses[0].ip",
         "Invalid value: \"x\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"},
        {"subsets[0].ports[0].name", "Required value"},
        {"subsets[0].ports[1].name", "Required value"},
        {"subsets[1]", "Required value: must specify `addresses` or `notReadyAddresses`"}}},
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
      {"secret keys and type",
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"},
          "type":"kubernetes.io/tls","data":{"a b":"eA==","tls.crt":"!!"}})",
       "",
       {{"data[a b]",
         "Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', "
         "'_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation "
         "is '[-._a-zA-Z0-9]+')"},
        {"data[tls.crt]", "Invalid value: \"!!\": illegal base64 data"},
        {"data[tls.key]", "Required value"}}},
      {"secret type is immutable",
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"},"type":"a/b"})",
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"}})",
       {{"type", "Invalid value: \"a/b\": field is immutable"}}},
      {"immutable configmap",
       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"k":"2"},"immutable":true})",
       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"k":"1"},"immutable":true})",
       {{"data", "Forbidden: field is immutable when `immutable` is set"}}},
      {"pvc without storage request",
       R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c","namespace":"default"},
          "spec":{"accessModes":["ReadWriteSometimes"]}})",
       "",
       {{"spec.accessModes",
         "Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", "
         "\"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""},
        {"spec.resources[storage]", "Required value"}}},
      {"pv without source",
       R"({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"v"},
          "spec":{"capacity":{"storage":"0"},"accessModes":["ReadWriteOnce"]}})",
       "",
       {{"spec.capacity[storage]", "Invalid value: \"0\": must be greater than zero"},
        {"spec", "Required value: must specify a volume type"}}},
      {"lease",
       R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l","namespace":"default"},
          "spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}})",
       "",
       {{"spec.leaseDurationSeconds", "Invalid value: 0: must be greater than 0"},
        {"spec.leaseTransitions", "Invalid value: -1: must be greater than or equal to 0"}}},
      {"event namespace",
       R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"e.1","namespace":"default"},
          "involvedObject":{"kind":"Pod","name":"p","namespace":"other"}})",
       "",
       {{"involvedObject.namespace", "Invalid value: \"other\": does not match event.namespace"}}},
      {"new-style event",
       R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"e.1","namespace":"default"},
          "involvedObject":{"kind":"Node","name":"n"},"eventTime":"2024-01-02T03:04:05.000000Z"})",
       "",
       {{"reportingComponent", "Required value"},
        {"reportingComponent", "Invalid value: \"\": name part must be non-empty"},
        {"reportingComponent",
         "Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', "
         "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
         "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"},
        {"reportingInstance", "Required value"},
        {"action", "Required value"},
        {"reason", "Required value"}}},
      {"binding",
       R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"p","namespace":"default"},
          "target":{"kind":"Pod"}})",
       "",
       {{"target.kind", "Unsupported value: \"Pod\": supported values: \"Node\", \"<empty>\""},
        {"target.name", "Required value"}}},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      check_causes(causes_for(c.object, c.old), c.expected);
    }
  }
}

TEST_CASE("invalid causes become a 422 with upstream's message", "[validation]") {
  auto causes = causes_for(pod(R"({"containers":[]})"));
  Status s = invalid("Pod", "p", causes);
  CHECK(s.code == 422);
  CHECK(s.message == "Pod \"p\" is invalid: spec.containers: Required value");
}
