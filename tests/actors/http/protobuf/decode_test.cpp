// Protobuf request bodies to JSON (actors/http/protobuf/decode.hpp): the bodies kubectl 1.32's
// typed commands sent (captured, in this folder), and hand-built ones for the edges.
#include "actors/http/protobuf/decode.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/actors/http/protobuf/wire_builder.hpp"

using namespace kactor;
using namespace kactor::http::protobuf;
using namespace kactor::http::protobuf::testing;
using nlohmann::json;

namespace {

std::string fixture(const std::string& name) {
  const auto path = std::filesystem::path(KACTOR_PROTOBUF_FIXTURES_DIR) / name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json decoded(std::string_view body) {
  auto r = protobuf_to_json(body);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.has_value());
  CHECK(r->unknown.empty());
  return r->object;
}

std::string meta(std::string_view name) {
  return bytes_field(1, bytes_field(1, name));
}

}  // namespace

TEST_CASE("protobuf: kubectl 1.32's create bodies decode to the JSON kubectl would send") {
  // Each file is the body of `kubectl create ...` as kubectl 1.32.4 sent it (saved by a proxy
  // in front of kactor); the JSON is what kubectl sends for the same object, less the null
  // creationTimestamp and the empty values Go's JSON omits.
  const std::pair<const char*, const char*> cases[] = {
      {"namespace.pb",  // kubectl create namespace x
       R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"},"spec":{},"status":{}})"},
      {"configmap.pb",  // kubectl create configmap c --from-literal=a=b --from-literal=empty=
       R"({"apiVersion":"v1","data":{"a":"b","empty":""},"kind":"ConfigMap","metadata":{"name":"c"}})"},
      {"secret.pb",  // kubectl create secret generic s --from-literal=k=v
                     // --from-literal=bin=$'\x01\x02'
       R"({"apiVersion":"v1","data":{"bin":"AQI=","k":"dg=="},"kind":"Secret","metadata":{"name":"s"}})"},
      {"deployment.pb",  // kubectl create deployment d --image=nginx
       R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"d"},"name":"d"},)"
       R"("spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},"strategy":{},"template":)"
       R"({"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"image":"nginx","name":"nginx",)"
       R"("resources":{}}]}}},"status":{}})"},
      {"deployment_replicas_port.pb",  // ... d3 --image=nginx --replicas=3 --port=8080 -n default
       R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"d3"},"name":"d3",)"
       R"("namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"d3"}},)"
       R"("strategy":{},"template":{"metadata":{"labels":{"app":"d3"}},"spec":{"containers":[)"
       R"({"image":"nginx","name":"nginx","ports":[{"containerPort":8080}],"resources":{}}]}}},)"
       R"("status":{}})"},
      {"service_clusterip.pb",  // kubectl create service clusterip s2 --tcp=80:80
       R"({"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"s2"},"name":"s2"},"spec":)"
       R"({"ports":[{"name":"80-80","port":80,"protocol":"TCP","targetPort":80}],"selector":)"
       R"({"app":"s2"},"type":"ClusterIP"},"status":{"loadBalancer":{}}})"},
      {"service_nodeport.pb",  // kubectl create service nodeport np --tcp=8080:web
                               // --node-port=30080
       R"({"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"np"},"name":"np"},"spec":)"
       R"({"ports":[{"name":"8080-web","nodePort":30080,"port":8080,"protocol":"TCP","targetPort":)"
       R"("web"}],"selector":{"app":"np"},"type":"NodePort"},"status":{"loadBalancer":{}}})"},
      {"serviceaccount.pb",  // kubectl create serviceaccount sa
       R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa"}})"},
      {"priorityclass.pb",  // kubectl create priorityclass high --value=1000 --description=hi
       R"({"apiVersion":"scheduling.k8s.io/v1","description":"hi","kind":"PriorityClass","metadata":)"
       R"({"name":"high"},"preemptionPolicy":"PreemptLowerPriority","value":1000})"},
      {"quota.pb",  // kubectl create quota q --hard=cpu=1,memory=1Gi,pods=10
       R"({"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"cpu":"1",)"
       R"("memory":"1Gi","pods":"10"}},"status":{}})"},
      {"quota_scopes.pb",  // kubectl create quota q2 --hard=pods=3 --scopes=BestEffort
       R"({"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q2"},"spec":{"hard":)"
       R"({"pods":"3"},"scopes":["BestEffort"]},"status":{}})"},
      {"selfsubjectaccessreview.pb",  // kubectl auth can-i create pods -n team
       R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},)"
       R"("spec":{"resourceAttributes":{"namespace":"team","resource":"pods","verb":"create"}},)"
       R"("status":{}})"},
      {"selfsubjectaccessreview_nonresource.pb",  // kubectl auth can-i get /healthz
       R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},)"
       R"("spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"}},"status":{}})"},
      {"selfsubjectrulesreview.pb",  // kubectl auth can-i --list (namespace default)
       R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},)"
       R"("spec":{"namespace":"default"},"status":{}})"},
      {"selfsubjectreview.pb",  // kubectl auth whoami
       R"({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{},)"
       R"("status":{"userInfo":{}}})"},
  };
  for (const auto& [file, expected] : cases) {
    INFO(file);
    CHECK(decoded(fixture(file)) == json::parse(expected));
  }
}

TEST_CASE("protobuf: a pointer field keeps its zero, a value field's zero is left out") {
  // DeploymentSpec: replicas (*int32) = 0 stays, paused (bool) = false and minReadySeconds
  // (int32) = 0 go, as in JSON.
  const auto spec = number_field(1, 0) + number_field(7, 0) + number_field(5, 0);
  const auto body = envelope("apps/v1", "Deployment", meta("d") + bytes_field(2, spec));
  CHECK(decoded(body) == json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"d"},"spec":{"replicas":0}})"));
}

TEST_CASE("protobuf: negative int32 and int64, times, IntOrString and packed lists") {
  // PodSpec.priority = -5 (sign-extended to ten bytes), terminationGracePeriodSeconds = -1.
  const auto pod_spec = number_field(25, -5) + number_field(4, -1);
  // ObjectMeta.creationTimestamp {seconds=1700000000, nanos=5} and deletionTimestamp unset (0).
  const auto m = bytes_field(
      1, bytes_field(1, "p") + bytes_field(8, number_field(1, 1700000000) + number_field(2, 5)) +
             bytes_field(9, ""));
  const auto body = envelope("v1", "Pod", m + bytes_field(2, pod_spec));
  // deletionTimestamp is a pointer: present on the wire, but the zero time is no time.
  CHECK(decoded(body) == json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p",
      "creationTimestamp":"2023-11-14T22:13:20Z"},
      "spec":{"priority":-5,"terminationGracePeriodSeconds":-1}})"));

  // RollingUpdateDeployment.maxSurge as a string, maxUnavailable as the int 0 (a pointer).
  const auto rolling = bytes_field(1, number_field(1, 0) + number_field(2, 0)) +
                       bytes_field(2, number_field(1, 1) + bytes_field(3, "25%"));
  const auto deployment = envelope(
      "apps/v1", "Deployment", meta("d") + bytes_field(2, bytes_field(4, bytes_field(2, rolling))));
  CHECK(decoded(deployment)["spec"]["strategy"] ==
        json::parse(R"({"rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}})"));
}

TEST_CASE("protobuf: a repeated string and a repeated message keep their order") {
  const auto ns_spec = bytes_field(1, "a") + bytes_field(1, "b");
  CHECK(decoded(envelope("v1", "Namespace", meta("n") + bytes_field(2, ns_spec)))["spec"] ==
        json::parse(R"({"finalizers":["a","b"]})"));
  const auto container = [](std::string_view n) { return bytes_field(2, bytes_field(1, n)); };
  const auto pod =
      envelope("v1", "Pod", meta("p") + bytes_field(2, container("x") + container("y")));
  CHECK(decoded(pod)["spec"]["containers"] == json::parse(R"([{"name":"x"},{"name":"y"}])"));
}

TEST_CASE("protobuf: unknown field numbers are skipped and listed with message and path") {
  // Field 99 in PodSpec (inside a Deployment's template) and 98 in ObjectMeta.
  const auto tmpl = bytes_field(2, bytes_field(99, "x") + bytes_field(2, bytes_field(1, "c")));
  const auto body = envelope("apps/v1", "Deployment",
                             bytes_field(1, bytes_field(1, "d") + number_field(98, 7)) +
                                 bytes_field(2, bytes_field(3, tmpl)));
  auto r = protobuf_to_json(body);
  REQUIRE(r.has_value());
  CHECK(r->object["spec"]["template"]["spec"]["containers"][0]["name"] == "c");
  REQUIRE(r->unknown.size() == 2);
  CHECK(
      r->unknown[0].describe() ==
      R"(unknown field number 98 of k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta at "metadata")");
  CHECK(r->unknown[1].describe() ==
        R"(unknown field number 99 of k8s.io.api.core.v1.PodSpec at "spec.template.spec")");
  const auto s = unknown_fields_error(r->unknown);
  CHECK(s.code == 400);
  CHECK(s.reason == "BadRequest");
  CHECK(s.message.starts_with("strict decoding error: unknown field number 98 of "));
  REQUIRE(s.details.causes.size() == 2);
  CHECK(s.details.causes[1].reason == "FieldValueUnknown");
  CHECK(s.details.causes[1].field == "spec.template.spec");
}

TEST_CASE("protobuf: a kind without a table is a 415 naming it") {
  auto r = protobuf_to_json(envelope("batch/v1", "Job", meta("j")));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == 415);
  CHECK(r.error().reason == "UnsupportedMediaType");
  CHECK(r.error().message.find("not of batch/v1/Job") != std::string::npos);
  CHECK(r.error().message.find("v1/Namespace") != std::string::npos);
}

TEST_CASE("protobuf: malformed bodies are a BadRequest saying what, never a crash") {
  const auto bad = [](std::string_view body) {
    auto r = protobuf_to_json(body);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == 400);
    return r.error().message;
  };
  CHECK(bad("{\"kind\":\"Namespace\"}").find("k8s\\x00") != std::string::npos);
  CHECK(bad(envelope("", "", "")).find("names no apiVersion and kind") != std::string::npos);
  // A string field sent as a varint.
  CHECK(bad(envelope("v1", "Namespace", bytes_field(1, number_field(1, 3))))
            .find("field 1 (name) of k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta at "
                  "\"metadata\" has wire type varint, not length-delimited") != std::string::npos);
  CHECK(bad(envelope("v1", "Namespace", meta("\xff"))).find("not valid UTF-8") !=
        std::string::npos);
  // A time a TimePoint cannot hold.
  const auto far = bytes_field(1, bytes_field(8, number_field(1, 253402300800)));
  CHECK(bad(envelope("v1", "Namespace", far)).find("outside the range") != std::string::npos);
  // Every cut of a real body either fails cleanly or (at a field boundary) decodes.
  const auto whole = fixture("deployment_replicas_port.pb");
  for (std::size_t n = 0; n < whole.size(); ++n) {
    auto r = protobuf_to_json(std::string_view(whole).substr(0, n));
    if (!r) CHECK(r.error().code == 400);
  }
  // Every single byte flipped: an answer, never a crash or an exception.
  for (std::size_t i = 0; i < whole.size(); ++i) {
    auto copy = whole;
    copy[i] = static_cast<char>(copy[i] ^ 0xff);
    CHECK_NOTHROW(protobuf_to_json(copy));
  }
}

TEST_CASE("protobuf: kubectl drain's Eviction and kubectl create pdb's PodDisruptionBudget") {
  // Eviction {metadata{name}, deleteOptions{gracePeriodSeconds=0, preconditions{uid}}}, as
  // policy/v1 and as policy/v1beta1 (kubectl 1.20).
  const auto options = number_field(1, 0) + bytes_field(2, bytes_field(1, "u-1"));
  for (const char* version : {"policy/v1", "policy/v1beta1"}) {
    INFO(version);
    const auto body = envelope(version, "Eviction", meta("web-1") + bytes_field(2, options));
    CHECK(decoded(body) == json::parse(std::string(R"({"apiVersion":")") + version +
                                       R"(","kind":"Eviction","metadata":{"name":"web-1"},
        "deleteOptions":{"gracePeriodSeconds":0,"preconditions":{"uid":"u-1"}}})"));
  }
  // PodDisruptionBudgetSpec {minAvailable (IntOrString 2), selector{matchLabels app=web}}.
  const auto spec = bytes_field(1, number_field(1, 0) + number_field(2, 2)) +
                    bytes_field(2, entry(1, "app", "web"));
  CHECK(decoded(envelope("policy/v1", "PodDisruptionBudget", meta("web") + bytes_field(2, spec))) ==
        json::parse(R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web"},
          "spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"web"}}}})"));
}
