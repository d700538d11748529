// Codec round trips for every built-in kind, strict/lenient decoding, type errors,
// and a multi-document manifest from the Kubernetes documentation.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <set>

#include "api/codec/object_codec.hpp"
#include "api/registry.hpp"
#include "api/types/all.hpp"

using namespace kactor::api;
using nlohmann::json;

namespace {

/// True when every member of `sub` appears in `super` with the same value (recursively for
/// objects; arrays compared element-wise).
bool json_contains(const json& super, const json& sub, std::string path, std::string& why) {
  if (sub.is_object()) {
    if (!super.is_object()) return why = path + ": not an object", false;
    for (auto it = sub.begin(); it != sub.end(); ++it) {
      if (!super.contains(it.key())) return why = path + "." + it.key() + ": missing", false;
      if (!json_contains(super[it.key()], *it, path + "." + it.key(), why)) return false;
    }
    return true;
  }
  if (sub.is_array()) {
    if (!super.is_array() || super.size() != sub.size())
      return why = path + ": array differs", false;
    for (size_t i = 0; i < sub.size(); ++i)
      if (!json_contains(super[i], sub[i], path + "[" + std::to_string(i) + "]", why)) return false;
    return true;
  }
  if (super != sub) return why = path + ": " + super.dump() + " != " + sub.dump(), false;
  return true;
}

std::unique_ptr<Object> decode_strict(const json& doc) {
  auto obj = decode_json(doc, DecodeOptions{.strict = true});
  INFO(doc.dump());
  if (!obj) FAIL(obj.error().message);
  return std::move(*obj);
}

/// One fully populated document per kind (every described field set).
std::vector<json> sample_documents() {
  return {
      json::parse(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1",
        "labels":{"kubernetes.io/hostname":"node-1"},"creationTimestamp":"2024-01-02T03:04:05Z"},
        "spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"],"providerID":"kactor://node-1",
          "unschedulable":true,"taints":[{"key":"node.kubernetes.io/not-ready","effect":"NoExecute",
          "timeAdded":"2024-01-02T03:04:06Z"},{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]},
        "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},
          "allocatable":{"cpu":"3900m","memory":"7Gi","pods":"110"},"phase":"Running",
          "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2024-01-02T03:05:00Z",
            "lastTransitionTime":"2024-01-02T03:04:10Z","reason":"KubeletReady","message":"kubelet is posting ready status"}],
          "addresses":[{"type":"InternalIP","address":"192.168.0.10"},{"type":"Hostname","address":"node-1"}],
          "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
          "nodeInfo":{"machineID":"m","systemUUID":"s","bootID":"b","kernelVersion":"6.1.0",
            "osImage":"Debian GNU/Linux 12","containerRuntimeVersion":"kactor://0.1","kubeletVersion":"v1.30.0",
            "kubeProxyVersion":"v1.30.0","operatingSystem":"linux","architecture":"amd64"},
          "images":[{"names":["nginx:1.25"],"sizeBytes":187000000}]}})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","creationTimestamp":null},
        "spec":{"type":"LoadBalancer","selector":{"app":"web"},
          "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http","nodePort":30080,"appProtocol":"http"},
                   {"name":"metrics","protocol":"TCP","port":9090,"targetPort":9090,"nodePort":30090}],
          "clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"externalIPs":["192.168.0.100"],
          "sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":600}},
          "loadBalancerIP":"192.168.0.200","loadBalancerSourceRanges":["10.0.0.0/8"],
          "externalTrafficPolicy":"Local","internalTrafficPolicy":"Cluster","healthCheckNodePort":31000,
          "publishNotReadyAddresses":true,"ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
          "allocateLoadBalancerNodePorts":true},
        "status":{"loadBalancer":{"ingress":[{"ip":"192.168.0.200"},{"hostname":"lb.example.com"}]},
          "conditions":[{"type":"LoadBalancerReady","status":"True","observedGeneration":1,
            "lastTransitionTime":"2024-01-02T03:04:05Z","reason":"Ready","message":""}]}})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"db","namespace":"default","creationTimestamp":null},
        "spec":{"type":"ExternalName","externalName":"db.example.com."},"status":{"loadBalancer":{}}})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"default","creationTimestamp":null},
        "subsets":[{"addresses":[{"ip":"10.244.1.5","hostname":"web-0","nodeName":"node-1",
            "targetRef":{"kind":"Pod","namespace":"default","name":"web-0","uid":"u-1"}}],
          "notReadyAddresses":[{"ip":"10.244.1.6"}],
          "ports":[{"name":"http","port":8080,"protocol":"TCP","appProtocol":"http"}]}]})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"nginx","namespace":"default","creationTimestamp":null},
        "spec":{"replicas":3,"minReadySeconds":5,"selector":{"app":"nginx"},
          "template":{"metadata":{"labels":{"app":"nginx"},"creationTimestamp":null},
            "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}}},
        "status":{"replicas":3,"fullyLabeledReplicas":3,"readyReplicas":2,"availableReplicas":2,
          "observedGeneration":4,"conditions":[{"type":"ReplicaFailure","status":"True",
            "lastTransitionTime":"2024-01-02T03:04:05Z","reason":"FailedCreate","message":"quota"}]}})"),
      json::parse(
          R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-5d8f","namespace":"default","creationTimestamp":null},
        "spec":{"replicas":0,"minReadySeconds":1,"selector":{"matchLabels":{"app":"web"},
            "matchExpressions":[{"key":"tier","operator":"In","values":["front"]}]},
          "template":{"metadata":{"labels":{"app":"web","tier":"front"},"creationTimestamp":null},
            "spec":{"containers":[{"name":"web","image":"nginx:1.25","resources":{}}]}}},
        "status":{"replicas":0,"observedGeneration":2}})"),
      json::parse(
          R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","creationTimestamp":null},
        "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"},"creationTimestamp":null},
            "spec":{"containers":[{"name":"web","image":"nginx:1.25","resources":{}}]}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"50%"}},
          "minReadySeconds":3,"revisionHistoryLimit":5,"paused":true,"progressDeadlineSeconds":120},
        "status":{"observedGeneration":3,"replicas":2,"updatedReplicas":1,"readyReplicas":1,
          "availableReplicas":1,"unavailableReplicas":1,"collisionCount":1,
          "conditions":[{"type":"Progressing","status":"True","lastUpdateTime":"2024-01-02T03:04:05Z",
            "lastTransitionTime":"2024-01-02T03:04:00Z","reason":"NewReplicaSetAvailable","message":"done"}]}})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"compute","namespace":"team-a","creationTimestamp":null},
        "spec":{"hard":{"requests.cpu":"1","requests.memory":"1Gi","pods":"10"},"scopes":["NotTerminating"],
          "scopeSelector":{"matchExpressions":[{"scopeName":"PriorityClass","operator":"In","values":["high"]}]}},
        "status":{"hard":{"pods":"10"},"used":{"pods":"2"}}})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"limits","namespace":"team-a","creationTimestamp":null},
        "spec":{"limits":[{"type":"Container","max":{"cpu":"2"},"min":{"cpu":"100m"},"default":{"cpu":"500m"},
          "defaultRequest":{"cpu":"200m"},"maxLimitRequestRatio":{"cpu":"10"}}]}})"),
      json::parse(
          R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"high","creationTimestamp":null},
        "value":1000000,"globalDefault":true,"description":"important","preemptionPolicy":"Never"})"),
      json::parse(
          R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"zero","creationTimestamp":null},
        "value":0})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","namespace":"default","creationTimestamp":null},
        "type":"kubernetes.io/basic-auth","data":{"username":"YWRtaW4=","password":"czNjcjN0"},
        "stringData":{"extra":"plain"},"immutable":true})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default","creationTimestamp":null},
        "data":{"app.properties":"a=1\nb=2\n"},"binaryData":{"blob":"AAEC"},"immutable":false})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"builder","namespace":"default","creationTimestamp":null},
        "secrets":[{"name":"builder-token"}],"imagePullSecrets":[{"name":"registry"}],
        "automountServiceAccountToken":false})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-1","creationTimestamp":null},
        "spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"],
          "persistentVolumeReclaimPolicy":"Retain","storageClassName":"manual",
          "claimRef":{"kind":"PersistentVolumeClaim","namespace":"default","name":"data"},
          "hostPath":{"path":"/mnt/data","type":"DirectoryOrCreate"},"volumeMode":"Filesystem",
          "mountOptions":["ro"],
          "nodeAffinity":{"required":{"nodeSelectorTerms":[{"matchExpressions":[
            {"key":"kubernetes.io/hostname","operator":"In","values":["node-1"]}]}]}}},
        "status":{"phase":"Bound","lastPhaseTransitionTime":"2024-01-02T03:04:05Z"}})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"default","creationTimestamp":null},
        "spec":{"accessModes":["ReadWriteOnce"],"selector":{"matchLabels":{"tier":"fast"}},
          "resources":{"requests":{"storage":"5Gi"},"limits":{"storage":"10Gi"}},
          "volumeName":"pv-1","storageClassName":"","volumeMode":"Block"},
        "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"10Gi"}}})"),
      json::parse(
          R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"node-1","namespace":"kube-node-lease","creationTimestamp":null},
        "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,
          "acquireTime":"2024-01-02T03:04:05.123456Z","renewTime":"2024-01-02T03:04:45.654321Z",
          "leaseTransitions":0}})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"web-0.17a1","namespace":"default","creationTimestamp":null},
        "involvedObject":{"kind":"Pod","namespace":"default","name":"web-0","uid":"u-1","apiVersion":"v1",
          "resourceVersion":"42","fieldPath":"spec.containers{web}"},
        "reason":"Pulled","message":"Successfully pulled image","source":{"component":"kubelet","host":"node-1"},
        "firstTimestamp":"2024-01-02T03:04:05Z","lastTimestamp":"2024-01-02T03:04:09Z","count":2,"type":"Normal",
        "eventTime":null,"reportingComponent":"","reportingInstance":""})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"web-0.17a2","namespace":"default","creationTimestamp":null},
        "involvedObject":{"kind":"Pod","namespace":"default","name":"web-0"},"reason":"Scheduled",
        "message":"assigned","source":{},"firstTimestamp":null,"lastTimestamp":null,
        "eventTime":"2024-01-02T03:04:05.000001Z","series":{"count":3,"lastObservedTime":"2024-01-02T03:05:05.000002Z"},
        "action":"Binding","related":{"kind":"Node","name":"node-1"},
        "reportingComponent":"default-scheduler","reportingInstance":"default-scheduler-node-0"})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"web-0","namespace":"default","creationTimestamp":null},
        "target":{"kind":"Node","name":"node-1"}})"),
      json::parse(
          R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a","creationTimestamp":null},
        "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}})"),
      json::parse(
          R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","namespace":"default","creationTimestamp":null},
        "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,
          "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},
            {"type":"ContainerResource","containerResource":{"name":"memory","container":"app","target":{"type":"AverageValue","averageValue":"100Mi"}}},
            {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"1k"}}}],
          "behavior":{"scaleUp":{"stabilizationWindowSeconds":60,"selectPolicy":"Min","policies":[{"type":"Pods","value":4,"periodSeconds":15}]},
            "scaleDown":{"selectPolicy":"Disabled"}}},
        "status":{"observedGeneration":2,"lastScaleTime":"2024-01-02T03:04:05Z","currentReplicas":2,"desiredReplicas":3,
          "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageValue":"120m","averageUtilization":60}}}],
          "conditions":[{"type":"AbleToScale","status":"True","lastTransitionTime":"2024-01-02T03:04:05Z","reason":"SucceededRescale","message":"m"}]}})"),
      json::parse(
          R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web","namespace":"default","creationTimestamp":null},
        "spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}},"unhealthyPodEvictionPolicy":"AlwaysAllow"},
        "status":{"observedGeneration":3,"disruptedPods":{"web-1":"2024-01-02T03:04:05Z"},"disruptionsAllowed":0,
          "currentHealthy":2,"desiredHealthy":2,"expectedPods":4,
          "conditions":[{"type":"DisruptionAllowed","status":"False","observedGeneration":3,"lastTransitionTime":"2024-01-02T03:04:05Z","reason":"InsufficientPods","message":""}]}})"),
  };
}

}  // namespace

TEST_CASE("every registered kind has a sample and distinct names", "[codec][kinds]") {
  std::set<std::string> kinds;
  for (const auto& doc : sample_documents()) kinds.insert(doc["kind"].get<std::string>());
  std::set<std::string> names;
  for (const auto* t : Registry::builtin().all()) {
    if (t->kind != "Pod") CHECK(kinds.contains(t->kind));
    CHECK(names.insert(t->resource).second);
    for (const auto& s : t->short_names) CHECK(names.insert(s).second);
  }
  CHECK(Registry::builtin().all().size() == 21);
}

TEST_CASE("registry resolves the upstream names of every kind", "[codec][kinds]") {
  const auto& r = Registry::builtin();
  struct Case {
    const char* name;
    const char* kind;
  };
  for (auto [name, kind] : std::vector<Case>{{"no", "Node"},
                                             {"svc", "Service"},
                                             {"ep", "Endpoints"},
                                             {"rc", "ReplicationController"},
                                             {"rs", "ReplicaSet"},
                                             {"deploy", "Deployment"},
                                             {"quota", "ResourceQuota"},
                                             {"limits", "LimitRange"},
                                             {"sa", "ServiceAccount"},
                                             {"ev", "Event"},
                                             {"pv", "PersistentVolume"},
                                             {"pvc", "PersistentVolumeClaim"},
                                             {"pc", "PriorityClass"},
                                             {"cm", "ConfigMap"},
                                             {"secret", "Secret"},
                                             {"leases", "Lease"},
                                             {"bindings", "Binding"},
                                             {"deployments", "Deployment"},
                                             {"hpa", "HorizontalPodAutoscaler"},
                                             {"pdb", "PodDisruptionBudget"}}) {
    INFO(name);
    const TypeInfo* t = r.by_any_name(name);
    REQUIRE(t);
    CHECK(t->kind == kind);
  }
  CHECK(r.by_kind("apps/v1", "Deployment")->resource == "deployments");
  CHECK(r.by_kind("coordination.k8s.io/v1", "Lease")->namespaced);
  CHECK_FALSE(r.by_kind("scheduling.k8s.io/v1", "PriorityClass")->namespaced);
  CHECK_FALSE(r.by_resource("", "nodes")->namespaced);
  CHECK_FALSE(r.by_resource("", "persistentvolumes")->namespaced);
  CHECK(r.by_resource("apps", "replicasets")->categories == std::vector<std::string>{"all"});
  CHECK(r.by_resource("", "services")->categories == std::vector<std::string>{"all"});
  CHECK(r.by_resource("", "replicationcontrollers")->categories == std::vector<std::string>{"all"});
  CHECK(r.by_resource("", "configmaps")->categories.empty());
  CHECK(r.by_resource("", "services")->has_status);
  CHECK_FALSE(r.by_resource("", "endpoints")->has_status);
  CHECK_FALSE(r.by_resource("", "configmaps")->tracks_generation);
  CHECK(r.by_resource("apps", "deployments")->tracks_generation);
}

TEST_CASE("JSON -> object -> JSON keeps every field of every kind", "[codec][kinds]") {
  for (const auto& doc : sample_documents()) {
    INFO(doc["kind"].get<std::string>() << " " << doc["metadata"]["name"]);
    auto obj = decode_strict(doc);
    json out = encode_json(*obj);
    std::string why;
    CHECK(json_contains(out, doc, "", why));
    INFO(why);
    CHECK(json_contains(doc, out, "", why));  // and nothing was added: exact round trip
    INFO(why);
    // Decoding the output again gives an equal object.
    auto again = decode_strict(out);
    CHECK(obj->type().equal(*obj, *again));
  }
}

TEST_CASE("every kind is written as text as the tree writes it, kind and apiVersion first",
          "[codec][kinds]") {
  for (const auto& doc : sample_documents()) {
    INFO(doc["kind"].get<std::string>() << " " << doc["metadata"]["name"]);
    auto obj = decode_strict(doc);
    const std::string text = encode_json_string(*obj);
    INFO(text);
    const json back = json::parse(text);
    CHECK(back == encode_json(*obj));
    CHECK(text.starts_with("{\"kind\":\"" + obj->type().kind + "\",\"apiVersion\":\"" +
                           obj->type().api_version() + "\","));
    std::string appended = "[";
    append_json_text(*obj, appended);
    CHECK(appended == "[" + text);
  }
}

TEST_CASE("strings are escaped as text exactly as the tree escapes them", "[codec][json]") {
  const std::vector<std::string> strings = {
      "",
      "plain ascii",
      "quote \" and backslash \\",
      std::string("controls \x01\x1f\t\n\r\b\f and nul ") + '\0' + " inside",
      "delete \x7f",
      "utf-8 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
      "invalid \xff\xfe and cut \xe2\x82",
      "overlong \xc0\xaf and a lone continuation \x80 end",
  };
  for (const auto& s : strings) {
    INFO(json(s).dump(-1, ' ', true, json::error_handler_t::replace));
    ConfigMap cm;
    cm.metadata.name = "cm";
    cm.data[s] = s;
    cm.metadata.labels["k"] = s;
    const std::string text = encode_json_string(cm);
    const auto tree = encode_json(cm);
    // What the tree answers with: invalid UTF-8 replaced by U+FFFD.
    const auto dumped = tree.dump(-1, ' ', false, json::error_handler_t::replace);
    CHECK(json::parse(text) == json::parse(dumped));
    // Byte for byte: the value's text inside the document is the tree's dump of it.
    CHECK(text.find(tree["data"].dump(-1, ' ', false, json::error_handler_t::replace)) !=
          std::string::npos);
  }
}

TEST_CASE("object -> msgpack -> object is the identity for every kind", "[codec][kinds]") {
  for (const auto& doc : sample_documents()) {
    INFO(doc["kind"].get<std::string>() << " " << doc["metadata"]["name"]);
    auto obj = decode_strict(doc);
    std::string bytes = encode_msgpack(*obj);
    auto back = decode_msgpack(obj->type(), bytes);
    REQUIRE(back);
    CHECK(obj->type().equal(*obj, **back));
    CHECK(encode_json(**back) == encode_json(*obj));
  }
}

TEST_CASE("typed access to decoded kinds", "[codec][kinds]") {
  auto docs = sample_documents();
  auto node = decode_strict(docs[0]);
  const Node* n = as<Node>(*node);
  REQUIRE(n);
  CHECK(n->spec.unschedulable);
  CHECK(n->spec.taints.size() == 2);
  CHECK(n->spec.taints[0].time_added.has_value());
  CHECK(n->status.capacity.at("memory") == Quantity::parse("8Gi").value());
  CHECK(n->status.daemon_endpoints.kubelet_endpoint.port == 10250);
  CHECK(n->status.node_info.kubelet_version == "v1.30.0");
  REQUIRE(n->status.condition("Ready"));
  CHECK(n->status.condition("Ready")->reason == "KubeletReady");
  CHECK(node->type().field(*node, "spec.unschedulable") == "true");

  auto svc = decode_strict(docs[1]);
  const Service* s = as<Service>(*svc);
  REQUIRE(s);
  CHECK(s->spec.ports[0].target_port == IntOrString::from_string("http"));
  CHECK(s->spec.ports[1].target_port == IntOrString::from_int(9090));
  CHECK(s->spec.session_affinity_config->client_ip->timeout_seconds == 600);
  CHECK(s->spec.ip_family_policy == "SingleStack");
  CHECK(svc->type().field(*svc, "spec.type") == "LoadBalancer");
  CHECK(svc->type().field(*svc, "spec.clusterIP") == "10.96.0.10");

  auto dep = decode_strict(docs[6]);
  const Deployment* d = as<Deployment>(*dep);
  REQUIRE(d);
  CHECK(d->spec.strategy.rolling_update->max_unavailable == IntOrString::from_int(0));
  CHECK(d->spec.strategy.rolling_update->max_surge == IntOrString::from_string("50%"));
  CHECK(d->status.collision_count == 1);

  auto lease = decode_strict(docs[16]);
  const Lease* l = as<Lease>(*lease);
  REQUIRE(l);
  using namespace std::chrono;
  CHECK(duration_cast<microseconds>(l->spec.acquire_time->value.time_since_epoch()).count() %
            1000000 ==
        123456);
  CHECK(l->spec.lease_transitions == 0);  // an explicit zero survives (pointer upstream)

  auto ev = decode_strict(docs[17]);
  for (auto [field, value] : std::vector<std::pair<const char*, const char*>>{
           {"involvedObject.kind", "Pod"},
           {"involvedObject.name", "web-0"},
           {"involvedObject.namespace", "default"},
           {"involvedObject.uid", "u-1"},
           {"involvedObject.apiVersion", "v1"},
           {"involvedObject.resourceVersion", "42"},
           {"involvedObject.fieldPath", "spec.containers{web}"},
           {"reason", "Pulled"},
           {"source", "kubelet"},
           {"type", "Normal"},
           {"reportingComponent", ""},
           {"metadata.name", "web-0.17a1"}}) {
    INFO(field);
    CHECK(ev->type().field(*ev, field) == value);
  }
  CHECK_FALSE(ev->type().field(*ev, "spec.nodeName").has_value());

  auto rc = decode_strict(docs[4]);
  CHECK(rc->type().field(*rc, "status.replicas") == "3");
  auto secret = decode_strict(docs[11]);
  CHECK(secret->type().field(*secret, "type") == "kubernetes.io/basic-auth");
}

TEST_CASE("zero values that upstream writes are written", "[codec][kinds]") {
  Event e;
  e.metadata.name = "x";
  json j = encode_json(e);
  CHECK(j["eventTime"].is_null());
  CHECK(j["firstTimestamp"].is_null());
  CHECK(j["reportingComponent"] == "");
  CHECK(j["source"] == json::object());
  CHECK(j["involvedObject"] == json::object());
  CHECK_FALSE(j.contains("count"));

  PriorityClass pc;
  CHECK(encode_json(pc)["value"] == 0);
  ReplicaSet rs;
  CHECK(encode_json(rs)["status"]["replicas"] == 0);
  Node n;
  CHECK(encode_json(n)["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"] == 0);
  Service s;
  CHECK(encode_json(s)["status"]["loadBalancer"] == json::object());
}

TEST_CASE("strict decoding reports unknown fields with their paths", "[codec][strict]") {
  json doc =
      json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"x","colour":"red"},
    "spec":{"ports":[{"port":80},{"port":81,"bogus":1}],"typo":"ClusterIP"},"extra":true})");
  auto strict = decode_json(doc, DecodeOptions{.strict = true});
  REQUIRE_FALSE(strict);
  CHECK(strict.error().code == 400);
  std::set<std::string> fields;
  for (const auto& c : strict.error().details.causes) {
    CHECK(c.reason == "FieldValueUnknown");
    fields.insert(c.field);
  }
  CHECK(fields ==
        std::set<std::string>{"metadata.colour", "spec.ports[1].bogus", "spec.typo", "extra"});
  CHECK_THAT(strict.error().message, Catch::Contains("strict decoding error: "));
  CHECK_THAT(strict.error().message, Catch::Contains("unknown field \"spec.ports[1].bogus\""));

  auto lenient = decode_json(doc);
  REQUIRE(lenient);
  json out = encode_json(**lenient);
  CHECK_FALSE(out.contains("extra"));
  CHECK_FALSE(out["spec"].contains("typo"));
  CHECK_FALSE(out["spec"]["ports"][1].contains("bogus"));
  CHECK(out["spec"]["ports"][1]["port"] == 81);
}

TEST_CASE("type errors name the field path", "[codec][strict]") {
  struct Case {
    const char* doc;
    const char* field;
    const char* message;
  };
  for (
      const auto& c : std::vector<Case>{
          {R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},"spec":{"ports":[{"port":"eighty"}]}})",
           "spec.ports[0].port", "expected integer, got string"},
          {R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"x"},"spec":{"unschedulable":"yes"}})",
           "spec.unschedulable", "expected boolean, got string"},
          {R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"selector":{"matchLabels":{"app":1}}}})",
           "spec.selector.matchLabels[app]", "expected string, got number"},
          {R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":["a"]})", "data",
           "expected object, got array"},
          {R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"x"},"spec":{"renewTime":"yesterday"}})",
           "spec.renewTime", "expected RFC 3339 time, got string"},
      }) {
    INFO(c.doc);
    auto r = decode_json(std::string_view(c.doc));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == 400);
    REQUIRE(r.error().details.causes.size() == 1);
    CHECK(r.error().details.causes[0].field == c.field);
    CHECK(r.error().details.causes[0].message == c.message);
  }
  auto q = decode_json(std::string_view(
      R"({"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"cpu":"lots"}}})"));
  REQUIRE_FALSE(q);
  CHECK(q.error().details.causes.at(0).field == "spec.hard[cpu]");
}

namespace {

// The examples of the Kubernetes documentation (Namespaces, ReplicationController,
// Service and Pod concept pages) in one multi-document manifest.
constexpr std::string_view kDocsManifest = R"(apiVersion: v1
kind: Namespace
metadata:
  name: development
  labels:
    name: development
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    app: nginx
  template:
    metadata:
      name: nginx
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
      targetPort: 9376
---
apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.14.2
    ports:
    - containerPort: 80
)";

}  // namespace

TEST_CASE("the documentation's manifest loads with every field", "[codec][manifest]") {
  auto objs = load_manifest(kDocsManifest, DecodeOptions{.strict = true});
  if (!objs) FAIL(objs.error().message);
  REQUIRE(objs->size() == 4);

  const auto* ns = as<Namespace>(*(*objs)[0]);
  REQUIRE(ns);
  CHECK(ns->metadata.name == "development");
  CHECK(ns->metadata.labels == std::map<std::string, std::string>{{"name", "development"}});
  CHECK(ns->spec == NamespaceSpec{});
  CHECK(ns->status == NamespaceStatus{});

  const auto* rc = as<ReplicationController>(*(*objs)[1]);
  REQUIRE(rc);
  CHECK(rc->metadata.name == "nginx");
  CHECK(rc->metadata.namespace_.empty());
  CHECK(rc->spec.replicas == 3);
  CHECK(rc->spec.min_ready_seconds == 0);
  CHECK(rc->spec.selector == std::map<std::string, std::string>{{"app", "nginx"}});
  REQUIRE(rc->spec.template_);
  const auto& tmpl = *rc->spec.template_;
  CHECK(tmpl.metadata.name == "nginx");
  CHECK(tmpl.metadata.labels == std::map<std::string, std::string>{{"app", "nginx"}});
  REQUIRE(tmpl.spec.containers.size() == 1);
  const auto& c = tmpl.spec.containers[0];
  CHECK(c.name == "nginx");
  CHECK(c.image == "nginx");
  REQUIRE(c.ports.size() == 1);
  CHECK(c.ports[0] == ContainerPort{.container_port = 80});
  Container expected_container{
      .name = "nginx", .image = "nginx", .ports = {{.container_port = 80}}};
  CHECK(c == expected_container);
  CHECK(rc->status == ReplicationControllerStatus{});

  const auto* svc = as<Service>(*(*objs)[2]);
  REQUIRE(svc);
  CHECK(svc->metadata.name == "my-service");
  CHECK(svc->spec.selector ==
        std::map<std::string, std::string>{{"app.kubernetes.io/name", "MyApp"}});
  REQUIRE(svc->spec.ports.size() == 1);
  CHECK(svc->spec.ports[0] ==
        ServicePort{.protocol = "TCP", .port = 80, .target_port = IntOrString::from_int(9376)});
  ServiceSpec expected_spec;
  expected_spec.selector = svc->spec.selector;
  expected_spec.ports = svc->spec.ports;
  CHECK(svc->spec == expected_spec);

  const auto* pod = as<Pod>(*(*objs)[3]);
  REQUIRE(pod);
  CHECK(pod->metadata.name == "nginx");
  REQUIRE(pod->spec.containers.size() == 1);
  Container expected_pod_container{
      .name = "nginx", .image = "nginx:1.14.2", .ports = {{.container_port = 80}}};
  CHECK(pod->spec.containers[0] == expected_pod_container);
  PodSpec expected_pod_spec;
  expected_pod_spec.containers = {expected_pod_container};
  CHECK(pod->spec == expected_pod_spec);

  // Defaulting then validating (as the API server does, with the request's namespace)
  // accepts all four.
  for (auto& o : *objs) {
    if (o->type().namespaced) o->metadata.namespace_ = "development";
    o->type().set_defaults(*o);
    auto causes = o->type().validate(*o, nullptr);
    INFO(o->type().kind);
    for (const auto& cause : causes) INFO(cause.field + ": " + cause.message);
    CHECK(causes.empty());
  }
  const auto* rc2 = as<ReplicationController>(*(*objs)[1]);
  CHECK(rc2->metadata.labels == std::map<std::string, std::string>{{"app", "nginx"}});
  CHECK(rc2->spec.template_->spec.containers[0].image_pull_policy == "Always");
  CHECK(as<Pod>(*(*objs)[3])->spec.containers[0].image_pull_policy == "IfNotPresent");
  CHECK(as<Service>(*(*objs)[2])->spec.type == "ClusterIP");
}
