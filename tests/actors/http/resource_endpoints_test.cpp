// The resource endpoints over real HTTP against a whole in-process cluster: CRUD, lists,
// Tables, watches, patches, subresources and the upstream error documents.
#include <set>

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using namespace kactor::http::testing;
using nlohmann::json;

namespace {

const std::string kPod = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","labels":{"app":"a"}},
  "spec":{"containers":[{"name":"c","image":"nginx"}]}})";
const std::string kTableAccept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

}  // namespace

TEST_CASE("http api: create get list update delete a pod as kube-apiserver answers them") {
  ServedCluster c;
  auto http = client_of(c);
  auto created = http.request("POST", "/api/v1/namespaces/default/pods", kPod, "application/json");
  REQUIRE(created.status == 201);
  auto pod = json_of(created);
  CHECK(pod["metadata"]["namespace"] == "default");
  CHECK_FALSE(pod["metadata"]["uid"].get<std::string>().empty());

  auto again = http.request("POST", "/api/v1/namespaces/default/pods", kPod, "application/json");
  CHECK(again.status == 409);
  auto status = json_of(again);
  CHECK(status["kind"] == "Status");
  CHECK(status["reason"] == "AlreadyExists");
  CHECK(status["message"] == "pods \"p1\" already exists");

  auto got = http.request("GET", "/api/v1/namespaces/default/pods/p1");
  REQUIRE(got.status == 200);
  CHECK(json_of(got)["metadata"]["name"] == "p1");

  auto list = http.request("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Da");
  REQUIRE(list.status == 200);
  auto l = json_of(list);
  CHECK(l["kind"] == "PodList");
  CHECK(l["apiVersion"] == "v1");
  CHECK_FALSE(l["metadata"]["resourceVersion"].get<std::string>().empty());
  CHECK(l["items"].size() == 1);
  CHECK(json_of(http.request("GET", "/api/v1/pods?labelSelector=app%3Db"))["items"].empty());

  auto missing = http.request("GET", "/api/v1/namespaces/default/pods/nope");
  CHECK(missing.status == 404);
  CHECK(json_of(missing)["message"] == "pods \"nope\" not found");

  // A name in the body other than the URL's is refused, as upstream does.
  auto renamed = pod;
  renamed["metadata"]["name"] = "other";
  auto bad = http.request("PUT", "/api/v1/namespaces/default/pods/p1", renamed.dump(), "application/json");
  CHECK(bad.status == 400);
  CHECK(json_of(bad)["message"] == "the name of the object (other) does not match the name on the URL (p1)");

  auto gone = http.request("DELETE", "/api/v1/namespaces/default/pods/p1",
                           R"({"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0})",
                           "application/json");
  CHECK((gone.status == 200 || gone.status == 202));
  CHECK(json_of(gone)["metadata"]["name"] == "p1");
}

TEST_CASE("http api: an invalid object is a 422 with one cause per field") {
  ServedCluster c;
  auto http = client_of(c);
  auto r = http.request("POST", "/api/v1/namespaces/default/pods",
                        R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad_Name"},"spec":{"containers":[]}})",
                        "application/json");
  REQUIRE(r.status == 422);
  auto s = json_of(r);
  CHECK(s["reason"] == "Invalid");
  CHECK(s["details"]["kind"] == "Pod");
  CHECK(s["details"]["causes"].size() >= 2);
  CHECK(s["message"].get<std::string>().rfind("Pod \"Bad_Name\" is invalid: ", 0) == 0);
}

TEST_CASE("http api: fieldValidation Strict refuses unknown fields Warn answers a Warning header") {
  ServedCluster c;
  auto http = client_of(c);
  const std::string body = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"dataa":{"a":"b"}})";
  auto strict = http.request("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
                             body, "application/json");
  CHECK(strict.status == 400);
  CHECK(json_of(strict)["message"].get<std::string>().find("unknown field \"dataa\"") != std::string::npos);
  auto warn = http.request("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Warn",
                           body, "application/json");
  CHECK(warn.status == 201);
  REQUIRE(warn.headers.count("Warning") == 1);
  CHECK(warn.headers.find("Warning")->second == "299 - \"unknown field \\\"dataa\\\"\"");
  auto bad = http.request("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Loose",
                          body, "application/json");
  CHECK(bad.status == 400);
}

TEST_CASE("http api: list and get as server-side Tables when the Accept header asks") {
  ServedCluster c;
  auto http = client_of(c);
  auto r = http.request("GET", "/api/v1/nodes", "", "", {{"Accept", kTableAccept}});
  REQUIRE(r.status == 200);
  auto t = json_of(r);
  CHECK(t["kind"] == "Table");
  CHECK(t["apiVersion"] == "meta.k8s.io/v1");
  CHECK(t["columnDefinitions"][0]["name"] == "Name");
  CHECK(t["rows"].size() == 2);
  CHECK(t["rows"][0]["cells"][0] == "node-0");
  CHECK(t["rows"][0]["object"]["kind"] == "PartialObjectMetadata");
  auto one = json_of(http.request("GET", "/api/v1/nodes/node-1?includeObject=Object", "", "",
                                  {{"Accept", kTableAccept}}));
  CHECK(one["rows"].size() == 1);
  CHECK(one["rows"][0]["object"]["kind"] == "Node");
}

TEST_CASE("http api: patches of the three types and the scale subresource") {
  ServedCluster c;
  auto http = client_of(c);
  REQUIRE(http.request("POST", "/api/v1/namespaces/default/configmaps",
                       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}})",
                       "application/json").status == 201);
  auto merge = http.request("PATCH", "/api/v1/namespaces/default/configmaps/cm", R"({"data":{"b":"2"}})",
                            "application/merge-patch+json");
  REQUIRE(merge.status == 200);
  CHECK(json_of(merge)["data"] == json{{"a", "1"}, {"b", "2"}});
  auto jp = http.request("PATCH", "/api/v1/namespaces/default/configmaps/cm",
                         R"([{"op":"remove","path":"/data/a"}])", "application/json-patch+json");
  REQUIRE(jp.status == 200);
  CHECK(json_of(jp)["data"] == json{{"b", "2"}});
  auto smp = http.request("PATCH", "/api/v1/namespaces/default/configmaps/cm",
                          R"({"metadata":{"labels":{"x":"y"}}})", "application/strategic-merge-patch+json");
  REQUIRE(smp.status == 200);
  CHECK(json_of(smp)["metadata"]["labels"]["x"] == "y");
  auto apply = http.request("PATCH", "/api/v1/namespaces/default/configmaps/cm", "{}",
                            "application/apply-patch+yaml");
  CHECK(apply.status == 415);
  CHECK(json_of(apply)["message"].get<std::string>().find("server-side apply") != std::string::npos);

  REQUIRE(http.request("POST", "/api/v1/namespaces/default/replicationcontrollers",
                       R"({"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},
                           "spec":{"replicas":1,"selector":{"app":"rc"},"template":{"metadata":{"labels":{"app":"rc"}},
                           "spec":{"containers":[{"name":"c","image":"nginx"}]}}}})",
                       "application/json").status == 201);
  auto scale = json_of(http.request("GET", "/api/v1/namespaces/default/replicationcontrollers/rc/scale"));
  CHECK(scale["kind"] == "Scale");
  CHECK(scale["apiVersion"] == "autoscaling/v1");
  CHECK(scale["spec"]["replicas"] == 1);
  CHECK(scale["status"]["selector"] == "app=rc");
  auto scaled = http.request("PATCH", "/api/v1/namespaces/default/replicationcontrollers/rc/scale",
                             R"({"spec":{"replicas":3}})", "application/merge-patch+json");
  REQUIRE(scaled.status == 200);
  CHECK(json_of(scaled)["spec"]["replicas"] == 3);
  CHECK(json_of(http.request("GET", "/api/v1/namespaces/default/replicationcontrollers/rc"))["spec"]["replicas"] == 3);
}

TEST_CASE("http api: a PUT of a Deployment's scale checks the resourceVersion it carries "
          "(kubectl scale --current-replicas)") {
  ServedCluster c;
  auto http = client_of(c);
  REQUIRE(http.request("POST", "/apis/apps/v1/namespaces/default/deployments",
                       R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
                           "spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},
                           "template":{"metadata":{"labels":{"app":"d"}},
                           "spec":{"containers":[{"name":"c","image":"nginx"}]}}}})",
                       "application/json").status == 201);
  const std::string path = "/apis/apps/v1/namespaces/default/deployments/d/scale";
  auto scale = json_of(http.request("GET", path));
  CHECK(scale["spec"]["replicas"] == 1);
  CHECK(scale["status"]["selector"] == "app=d");
  const auto first_rv = scale["metadata"]["resourceVersion"].get<std::string>();
  auto body = [](int replicas, const std::string& version) {
    json b = {{"apiVersion", "autoscaling/v1"},
              {"kind", "Scale"},
              {"metadata", {{"name", "d"}, {"namespace", "default"}}},
              {"spec", {{"replicas", replicas}}}};
    if (!version.empty()) b["metadata"]["resourceVersion"] = version;
    return b.dump();
  };
  // As kubectl: read the Scale, write it back with its resourceVersion, and read again on a
  // Conflict (the Deployment controller writes the Deployment's status meanwhile).
  ClientResponse put;
  std::string rv = first_rv;
  for (int attempt = 0; attempt < 50; ++attempt) {
    put = http.request("PUT", path, body(4, rv), "application/json");
    if (put.status != 409) break;
    CHECK(json_of(put)["reason"] == "Conflict");
    rv = json_of(http.request("GET", path))["metadata"]["resourceVersion"].get<std::string>();
  }
  REQUIRE(put.status == 200);
  CHECK(json_of(put)["spec"]["replicas"] == 4);
  CHECK(json_of(put)["metadata"]["resourceVersion"] != rv);
  // The version read first is stale now (the PUT changed the Deployment): refused, and
  // nothing changes.
  auto stale = http.request("PUT", path, body(7, first_rv), "application/json");
  CHECK(stale.status == 409);
  CHECK(json_of(stale)["reason"] == "Conflict");
  CHECK(json_of(http.request("GET", path))["spec"]["replicas"] == 4);
  // No version: unconditional.
  REQUIRE(http.request("PUT", path, body(2, ""), "application/json").status == 200);
  auto d = json_of(http.request("GET", "/apis/apps/v1/namespaces/default/deployments/d"));
  CHECK(d["spec"]["replicas"] == 2);
  // A Scale must name the object it scales.
  auto other = http.request("PUT", path, R"({"apiVersion":"autoscaling/v1","kind":"Scale",
      "metadata":{"name":"e","namespace":"default"},"spec":{"replicas":5}})", "application/json");
  CHECK(other.status == 400);
  CHECK(json_of(http.request("GET", path))["spec"]["replicas"] == 2);
}

TEST_CASE("http api: a watch streams ADDED MODIFIED and DELETED as JSON lines one per event") {
  ServedCluster c;
  auto http = client_of(c);
  auto list = json_of(http.request("GET", "/api/v1/namespaces/default/configmaps"));
  const auto rv = list["metadata"]["resourceVersion"].get<std::string>();
  auto watcher = client_of(c);
  REQUIRE(watcher.open_stream("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + rv) == 200);
  REQUIRE(http.request("POST", "/api/v1/namespaces/default/configmaps",
                       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w"}})",
                       "application/json").status == 201);
  REQUIRE(http.request("PATCH", "/api/v1/namespaces/default/configmaps/w", R"({"data":{"k":"v"}})",
                       "application/merge-patch+json").status == 200);
  REQUIRE(http.request("DELETE", "/api/v1/namespaces/default/configmaps/w").status == 200);
  std::vector<std::string> types;
  for (int i = 0; i < 3; ++i) {
    auto line = watcher.next_line(std::chrono::seconds(10));
    REQUIRE(line.has_value());
    auto ev = json::parse(*line);
    types.push_back(ev["type"]);
    CHECK(ev["object"]["metadata"]["name"] == "w");
  }
  CHECK(types == std::vector<std::string>{"ADDED", "MODIFIED", "DELETED"});
}

TEST_CASE("http api: a watch from resourceVersion 0 begins with the objects as ADDED and ends at timeoutSeconds") {
  ServedCluster c;
  auto watcher = client_of(c);
  REQUIRE(watcher.open_stream("/api/v1/nodes?watch=1&resourceVersion=0&timeoutSeconds=1&fieldSelector=metadata.name%3Dnode-1") == 200);
  auto line = watcher.next_line(std::chrono::seconds(10));
  REQUIRE(line.has_value());
  auto ev = json::parse(*line);
  CHECK(ev["type"] == "ADDED");
  CHECK(ev["object"]["metadata"]["name"] == "node-1");
  // Then the server ends the stream after timeoutSeconds (no further lines).
  while (watcher.next_line(std::chrono::seconds(10))) {
  }
  CHECK(watcher.stream_ended());
}

TEST_CASE("http api: a watch with a compacted resourceVersion gets a 410 ERROR event in a 200 stream") {
  // A ring of two events: older revisions come from the store's log, which compaction empties.
  ServedCluster c(false, 1, std::chrono::seconds(30),
                  [](kactor::ClusterOptions& o) { o.apiserver.watch.ring_capacity = 2; });
  auto http = client_of(c);
  for (int i = 0; i < 3; ++i)
    REQUIRE(http.request("POST", "/api/v1/namespaces/default/configmaps",
                         json{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
                              {"metadata", {{"name", "c" + std::to_string(i)}}}}.dump(),
                         "application/json").status == 201);
  caf::scoped_actor self{c.cluster->system()};
  bool compacted = false;
  self->request(c.cluster->apiserver(), std::chrono::seconds(10),
                caf::atom_constant<caf::atom("compact")>::value, int64_t{1})
      .receive([&](bool ok) { compacted = ok; }, [](caf::error&) {});
  REQUIRE(compacted);
  auto watcher = client_of(c);
  REQUIRE(watcher.open_stream("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2") == 200);
  auto line = watcher.next_line(std::chrono::seconds(10));
  REQUIRE(line.has_value());
  auto ev = json::parse(*line);
  CHECK(ev["type"] == "ERROR");
  CHECK(ev["object"]["code"] == 410);
  CHECK(ev["object"]["reason"] == "Expired");
}

TEST_CASE("http api: unknown paths methods and bad parameters get Status documents") {
  ServedCluster c;
  auto http = client_of(c);
  CHECK(http.request("GET", "/api/v1/namespaces/default/widgets").status == 404);
  CHECK(http.request("GET", "/apis/apps/v2/deployments").status == 404);
  CHECK(http.request("GET", "/api/v1/pods/x").status == 404);  // a namespaced object needs its namespace
  auto limit = http.request("GET", "/api/v1/pods?limit=ten");
  CHECK(limit.status == 400);
  CHECK(json_of(limit)["message"] == "invalid value for query parameter \"limit\": \"ten\": not an integer");
  CHECK(http.request("GET", "/api/v1/pods?dryRun=Some").status == 400);
  CHECK(http.request("PUT", "/api/v1/namespaces/default/pods").status == 405);
  CHECK(http.request("GET", "/api/v1/namespaces/default/pods?unknownParameter=1").status == 200);
  auto proto = http.request("POST", "/api/v1/namespaces/default/configmaps", std::string("k8s\0\x0a", 5),
                            "application/vnd.kubernetes.protobuf");
  CHECK(proto.status == 400);  // a truncated protobuf envelope
  CHECK(http.request("POST", "/api/v1/namespaces/default/configmaps", "a=b", "text/plain").status == 415);
  auto garbage = http.request("POST", "/api/v1/namespaces/default/configmaps", "{not json", "application/json");
  CHECK(garbage.status == 400);
  auto exec = http.request("POST", "/api/v1/namespaces/default/pods/p/exec");
  CHECK(exec.status == 400);
  CHECK(json_of(exec)["message"].get<std::string>().find("not supported by the simulated runtime") != std::string::npos);
}

TEST_CASE("http api: limit and continue page through a list") {
  ServedCluster c;
  auto http = client_of(c);
  for (int i = 0; i < 5; ++i)
    REQUIRE(http.request("POST", "/api/v1/namespaces/default/configmaps",
                         json{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
                              {"metadata", {{"name", "page" + std::to_string(i)}}}}.dump(),
                         "application/json").status == 201);
  const auto all = json_of(http.request("GET", "/api/v1/namespaces/default/configmaps"))["items"].size();
  REQUIRE(all >= 5);
  std::set<std::string> seen;
  std::string cont;
  int pages = 0;
  do {
    auto page = json_of(http.request("GET", "/api/v1/namespaces/default/configmaps?limit=2" +
                                                (cont.empty() ? "" : "&continue=" + cont)));
    for (auto& item : page["items"]) seen.insert(item["metadata"]["name"].get<std::string>());
    cont = page["metadata"].value("continue", "");
    ++pages;
  } while (!cont.empty() && pages < 10);
  CHECK(pages == static_cast<int>((all + 1) / 2));
  CHECK(seen.size() == all);
}

TEST_CASE("http api: DELETE on a collection deletes what the selector matches") {
  ServedCluster c;
  auto http = client_of(c);
  for (auto [name, tier] : {std::pair{"a", "x"}, {"b", "x"}, {"c", "y"}})
    REQUIRE(http.request("POST", "/api/v1/namespaces/default/configmaps",
                         json{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
                              {"metadata", {{"name", name}, {"labels", {{"tier", tier}}}}}}.dump(),
                         "application/json").status == 201);
  auto r = http.request("DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=tier%3Dx");
  REQUIRE(r.status == 200);
  CHECK(json_of(r)["items"].size() == 2);
  auto left = json_of(http.request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=tier"));
  REQUIRE(left["items"].size() == 1);
  CHECK(left["items"][0]["metadata"]["name"] == "c");
}

TEST_CASE("http api: watch streams that share a multiplexer each keep their own selector, and one that closes leaves the others") {
  // Nine streams over four multiplexers: some share one, as the thousand watches of a busy
  // server do, and their events arrive in one message per round.
  ServedCluster c;
  auto http = client_of(c);
  auto list = json_of(http.request("GET", "/api/v1/namespaces/default/configmaps"));
  const auto rv = list["metadata"]["resourceVersion"].get<std::string>();
  const std::string base = "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + rv;
  const std::vector<std::string> selectors = {"&labelSelector=app%3Da", "&labelSelector=app%3Db", ""};
  std::vector<std::unique_ptr<HttpClient>> watchers;
  ClientOptions options;
  options.port = c.port;
  for (int i = 0; i < 9; ++i) {
    watchers.push_back(std::make_unique<HttpClient>(options));
    REQUIRE(watchers.back()->open_stream(base + selectors[i % 3]) == 200);
  }
  watchers[8].reset();  // an unselected stream goes before anything happens
  auto create = [&](const std::string& name, const std::string& app) {
    REQUIRE(http.request("POST", "/api/v1/namespaces/default/configmaps",
                         json{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
                              {"metadata", {{"name", name}, {"labels", {{"app", app}}}}}}.dump(),
                         "application/json").status == 201);
  };
  create("a1", "a");
  create("b1", "b");
  create("a2", "a");
  const std::vector<std::vector<std::string>> expected = {{"a1", "a2"}, {"b1"}, {"a1", "b1", "a2"}};
  for (int i = 0; i < 8; ++i) {
    INFO("stream " << i);
    std::vector<std::string> names;
    for (size_t n = 0; n < expected[i % 3].size(); ++n) {
      auto line = watchers[i]->next_line(std::chrono::seconds(10));
      REQUIRE(line.has_value());
      auto ev = json::parse(*line);
      CHECK(ev["type"] == "ADDED");
      names.push_back(ev["object"]["metadata"]["name"]);
    }
    CHECK(names == expected[i % 3]);
  }
}
