// LimitRanger admission (actors/apiserver/admission/limit_ranger.cpp): defaults written into
// containers, and every upstream message for min, max and maxLimitRequestRatio per
// Container, per Pod and per PersistentVolumeClaim.
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

api::LimitRange limit_range(const std::string& name, std::vector<api::LimitRangeItem> items) {
  api::LimitRange lr;
  lr.metadata.namespace_ = "default";
  lr.metadata.name = name;
  lr.spec.limits = std::move(items);
  return lr;
}

api::LimitRangeItem item(const std::string& type) {
  api::LimitRangeItem i;
  i.type = type;
  return i;
}

api::Container container(const std::string& name, api::ResourceList requests,
                         api::ResourceList limits = {}) {
  api::Container c;
  c.name = name;
  c.image = "nginx";
  c.resources.requests = std::move(requests);
  c.resources.limits = std::move(limits);
  return c;
}

api::Pod pod_with(const std::string& name, std::vector<api::Container> containers) {
  auto p = make_pod("default", name);
  p.spec.containers = std::move(containers);
  return p;
}

/// The create's refusal: code and message.
std::pair<int, std::string> refusal(ApiFixture& f, const api::Object& obj) {
  auto r = f.client->create(obj);
  REQUIRE_FALSE(r.has_value());
  return {r.error().code, r.error().message};
}

}  // namespace

TEST_CASE("LimitRanger writes Container defaults into pods and says so in an annotation",
          "[apiserver][admission][limitrange]") {
  ApiFixture f;
  auto defaults = item("Container");
  defaults.default_["memory"] = qty("512Mi");
  defaults.default_request["memory"] = qty("256Mi");
  REQUIRE(f.client->create(limit_range("mem-limit-range", {defaults})).has_value());

  // Neither request nor limit: both defaulted.
  auto created = f.client->create(pod_with("none", {container("app", {})}));
  REQUIRE(created.has_value());
  const auto& pod = static_cast<const api::Pod&>(**created);
  CHECK(pod.spec.containers[0].resources.requests.at("memory") == qty("256Mi"));
  CHECK(pod.spec.containers[0].resources.limits.at("memory") == qty("512Mi"));
  CHECK(pod.metadata.annotations.at("kubernetes.io/limit-ranger") ==
        "LimitRanger plugin set: memory request for container app; memory limit for container "
        "app");
  CHECK(pod.status.qos_class == "Burstable");  // QoS reflects what admission defaulted

  // A limit only: the request defaults to the limit (pod defaulting, before admission).
  created = f.client->create(pod_with("limit-only", {container("app", {}, {{"memory", qty("1Gi")}})}));
  REQUIRE(created.has_value());
  const auto& limited = static_cast<const api::Pod&>(**created);
  CHECK(limited.spec.containers[0].resources.requests.at("memory") == qty("1Gi"));
  CHECK(limited.spec.containers[0].resources.limits.at("memory") == qty("1Gi"));
  CHECK_FALSE(limited.metadata.annotations.contains("kubernetes.io/limit-ranger"));

  // A request above the default limit: the defaulted pod fails validation, 422 as upstream.
  auto [code, message] =
      refusal(f, pod_with("big-request", {container("app", {{"memory", qty("1Gi")}})}));
  CHECK(code == 422);
  CHECK_THAT(message, Catch::Contains("spec.containers[0].resources.requests") &&
                          Catch::Contains("must be less than or equal to memory limit of 512Mi"));
}

TEST_CASE("LimitRanger refuses a container above max or below min",
          "[apiserver][admission][limitrange]") {
  ApiFixture f;
  auto bounds = item("Container");
  bounds.max["memory"] = qty("1Gi");
  bounds.min["memory"] = qty("500Mi");
  REQUIRE(f.client->create(limit_range("mem-min-max", {bounds})).has_value());

  auto [code, message] = refusal(
      f, pod_with("too-big", {container("app", {{"memory", qty("800Mi")}},
                                        {{"memory", qty("1536Mi")}})}));
  CHECK(code == 403);
  CHECK(message == "pods \"too-big\" is forbidden: maximum memory usage per Container is 1Gi, but "
                   "limit is 1536Mi");

  std::tie(code, message) = refusal(
      f, pod_with("too-small", {container("app", {{"memory", qty("100Mi")}},
                                          {{"memory", qty("800Mi")}})}));
  CHECK(code == 403);
  CHECK(message == "pods \"too-small\" is forbidden: minimum memory usage per Container is 500Mi, "
                   "but request is 100Mi");

  // The LimitRange's own defaulting made default = max and defaultRequest = default: an
  // empty pod gets 1Gi for both, and fits.
  auto fits = f.client->create(pod_with("defaulted", {container("app", {})}));
  REQUIRE(fits.has_value());
  const auto& c = static_cast<const api::Pod&>(**fits).spec.containers[0];
  CHECK(c.resources.limits.at("memory") == qty("1Gi"));
  CHECK(c.resources.requests.at("memory") == qty("1Gi"));
}

TEST_CASE("LimitRanger checks a pod's sums against type Pod, and the limit to request ratio",
          "[apiserver][admission][limitrange]") {
  ApiFixture f;
  auto pod_min = item("Pod");
  pod_min.min["cpu"] = qty("200m");
  pod_min.max["cpu"] = qty("2");
  auto ratio = item("Container");
  ratio.max_limit_request_ratio["memory"] = qty("2");
  REQUIRE(f.client->create(limit_range("pod-and-ratio", {pod_min, ratio})).has_value());

  auto fits = pod_with("fits", {container("a", {{"cpu", qty("100m")}, {"memory", qty("1Gi")}},
                                          {{"cpu", qty("1")}, {"memory", qty("2Gi")}}),
                                container("b", {{"cpu", qty("100m")}, {"memory", qty("1Gi")}},
                                          {{"cpu", qty("1")}, {"memory", qty("1Gi")}})});
  CHECK(f.client->create(fits).has_value());

  auto [code, message] = refusal(
      f, pod_with("small", {container("a", {{"cpu", qty("50m")}, {"memory", qty("1Gi")}},
                                      {{"cpu", qty("1")}, {"memory", qty("1Gi")}}),
                            container("b", {{"cpu", qty("50m")}, {"memory", qty("1Gi")}},
                                      {{"cpu", qty("1")}, {"memory", qty("1Gi")}})}));
  CHECK(code == 403);
  CHECK(message ==
        "pods \"small\" is forbidden: minimum cpu usage per Pod is 200m, but request is 100m");

  std::tie(code, message) = refusal(
      f, pod_with("ratio", {container("a", {{"cpu", qty("1")}, {"memory", qty("256Mi")}},
                                      {{"cpu", qty("1")}, {"memory", qty("1Gi")}})}));
  CHECK(code == 403);
  CHECK(message == "pods \"ratio\" is forbidden: memory max limit to request ratio per Container "
                   "is 2, but provided ratio is 4.000000");

  // Several violations: all of them, in one Forbidden.
  std::tie(code, message) = refusal(
      f, pod_with("both", {container("a", {{"cpu", qty("3")}, {"memory", qty("256Mi")}},
                                     {{"cpu", qty("3")}, {"memory", qty("1Gi")}})}));
  CHECK(code == 403);
  CHECK(message == "pods \"both\" is forbidden: [maximum cpu usage per Pod is 2, but limit is 3, "
                   "memory max limit to request ratio per Container is 2, but provided ratio is "
                   "4.000000]");

  // Without a limit the ratio cannot be judged.
  std::tie(code, message) = refusal(
      f, pod_with("no-limit", {container("a", {{"cpu", qty("1")}, {"memory", qty("256Mi")}},
                                         {{"cpu", qty("1")}})}));
  CHECK(message.ends_with("memory max limit to request ratio per Container is 2, but no limit is "
                          "specified or limit is 0"));
}

TEST_CASE("LimitRanger bounds a claim's storage request",
          "[apiserver][admission][limitrange]") {
  ApiFixture f;
  auto storage = item("PersistentVolumeClaim");
  storage.min["storage"] = qty("1Gi");
  storage.max["storage"] = qty("2Gi");
  REQUIRE(f.client->create(limit_range("storagelimits", {storage})).has_value());

  auto claim = [](const std::string& name, const char* size) {
    api::PersistentVolumeClaim pvc;
    pvc.metadata.namespace_ = "default";
    pvc.metadata.name = name;
    pvc.spec.access_modes = {"ReadWriteOnce"};
    pvc.spec.resources.requests["storage"] = qty(size);
    return pvc;
  };
  auto [code, message] = refusal(f, claim("small", "500Mi"));
  CHECK(code == 403);
  CHECK(message == "persistentvolumeclaims \"small\" is forbidden: minimum storage usage per "
                   "PersistentVolumeClaim is 1Gi, but request is 500Mi");
  std::tie(code, message) = refusal(f, claim("large", "5Gi"));
  CHECK(message == "persistentvolumeclaims \"large\" is forbidden: maximum storage usage per "
                   "PersistentVolumeClaim is 2Gi, but request is 5Gi");

  CHECK(f.client->create(claim("ok", "1Gi")).has_value());
}

TEST_CASE("LimitRanger leaves namespaces without a LimitRange alone",
          "[apiserver][admission][limitrange]") {
  ApiFixture f;
  auto created = f.client->create(pod_with("plain", {container("app", {})}));
  REQUIRE(created.has_value());
  const auto& pod = static_cast<const api::Pod&>(**created);
  CHECK(pod.spec.containers[0].resources.requests.empty());
  CHECK(pod.spec.containers[0].resources.limits.empty());
  CHECK(pod.metadata.annotations.empty());
}
