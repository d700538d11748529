// PodDisruptionBudgets and pods/<name>/eviction over real HTTP against a whole in-process
// cluster (its kubelets run the pods, its disruption controller keeps the budget): the
// Table's columns, the 429 document kubectl drain retries on, policy/v1beta1 bodies, 201.
#include <chrono>

#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using namespace kactor::http::testing;
using nlohmann::json;

namespace {

const std::string kPods = "/api/v1/namespaces/default/pods";
const std::string kBudgets = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
const std::string kTableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

std::string pod(const std::string& name) {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
         R"(","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}})";
}

std::string eviction(const std::string& api_version, const std::string& name) {
  return R"({"apiVersion":")" + api_version + R"(","kind":"Eviction","metadata":{"name":")" + name +
         R"("}})";
}

/// Polls the budget until `want` holds of its JSON (bounded: the cluster runs in real time).
template <class Pred>
json wait_budget(HttpClient& http, Pred want) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  json b;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = http.request("GET", kBudgets + "/web");
    if (r.status == 200) {
      b = json_of(r);
      if (want(b)) return b;
    }
  }
  FAIL("the budget never got there: " << b.dump());
  return b;
}

}  // namespace

TEST_CASE("http api: a disruption budget guards evictions as kube-apiserver answers them") {
  ServedCluster c;
  auto http = client_of(c);
  auto created = http.request("POST", kBudgets,
                              R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget",
      "metadata":{"name":"web"},"spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"web"}}}})",
                              "application/json");
  REQUIRE(created.status == 201);
  for (auto name : {"web-1", "web-2"})
    REQUIRE(http.request("POST", kPods, pod(name), "application/json").status == 201);
  wait_budget(http, [](const json& b) {
    return b["status"].value("currentHealthy", 0) == 2 && b["status"].value("expectedPods", 0) == 2;
  });

  auto table = json_of(http.request("GET", kBudgets, "", "", {{"Accept", kTableAccept}}));
  REQUIRE(table["columnDefinitions"].size() == 5);
  CHECK(table["columnDefinitions"][1]["name"] == "Min Available");
  CHECK(table["columnDefinitions"][2]["name"] == "Max Unavailable");
  CHECK(table["columnDefinitions"][3]["name"] == "Allowed Disruptions");
  CHECK(table["columnDefinitions"][3]["type"] == "integer");
  REQUIRE(table["rows"].size() == 1);
  CHECK(table["rows"][0]["cells"][0] == "web");
  CHECK(table["rows"][0]["cells"][1] == "2");
  CHECK(table["rows"][0]["cells"][2] == "N/A");
  CHECK(table["rows"][0]["cells"][3] == 0);

  auto refused = http.request("POST", kPods + "/web-1/eviction", eviction("policy/v1", "web-1"),
                              "application/json");
  REQUIRE(refused.status == 429);
  auto status = json_of(refused);
  CHECK(status["kind"] == "Status");
  CHECK(status["status"] == "Failure");
  CHECK(status["reason"] == "TooManyRequests");
  CHECK(status["code"] == 429);
  CHECK(status["message"] == "Cannot evict pod as it would violate the pod's disruption budget.");
  REQUIRE(status["details"]["causes"].size() == 1);
  CHECK(status["details"]["causes"][0]["reason"] == "DisruptionBudget");
  CHECK(status["details"]["causes"][0]["message"] ==
        "The disruption budget web needs 2 healthy pods and has 2 currently");

  // Relax the budget; once the controller has seen it, one eviction is allowed, posted as
  // policy/v1beta1 as kubectl 1.20 may.
  REQUIRE(http.request("PATCH", kBudgets + "/web", R"({"spec":{"minAvailable":1}})",
                       "application/merge-patch+json")
              .status == 200);
  wait_budget(http, [](const json& b) {
    return b["status"].value("observedGeneration", 0) == 2 &&
           b["status"].value("disruptionsAllowed", 0) == 1;
  });
  auto evicted = http.request("POST", kPods + "/web-1/eviction", eviction("policy/v1beta1", "web-1"),
                              "application/json");
  REQUIRE(evicted.status == 201);
  auto success = json_of(evicted);
  CHECK(success["kind"] == "Status");
  CHECK(success["status"] == "Success");
  CHECK(success["code"] == 201);
  auto after = http.request("GET", kPods + "/web-1");
  if (after.status == 200) {  // its kubelet may not have let it go yet
    auto p = json_of(after);
    CHECK(p["metadata"].contains("deletionTimestamp"));
    bool marked = false;
    for (const auto& cond : p["status"]["conditions"])
      marked = marked || (cond["type"] == "DisruptionTarget" && cond["reason"] == "EvictionByEvictionAPI");
    CHECK(marked);
  } else {
    CHECK(after.status == 404);
  }

  auto missing = http.request("POST", kPods + "/nobody/eviction", eviction("policy/v1", "nobody"),
                              "application/json");
  CHECK(missing.status == 404);
  CHECK(http.request("GET", kPods + "/web-2/eviction").status == 405);
}
