// The edges of the resource endpoints over real HTTP against a whole in-process cluster:
// watch bookmarks, resourceVersionMatch, delete preconditions, bodies that are not UTF-8,
// and request heads past the limit.
#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using namespace kactor::http::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string kConfigMaps = "/api/v1/namespaces/default/configmaps";

std::string config_map(const std::string& name) {
  return json{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}}.dump();
}

/// Creates a ConfigMap and returns it as the server answered.
json create(HttpClient& http, const std::string& name) {
  auto r = http.request("POST", kConfigMaps, config_map(name), "application/json");
  REQUIRE(r.status == 201);
  return json_of(r);
}

}  // namespace

TEST_CASE("http api: a watch that allows bookmarks gets BOOKMARK events carrying only a resourceVersion") {
  ServedCluster c(false, 1, 30s, [](kactor::ClusterOptions& o) {
    o.apiserver.bookmark_interval = std::chrono::milliseconds(100);
  });
  auto http = client_of(c);
  const auto rv = json_of(http.request("GET", kConfigMaps))["metadata"]["resourceVersion"].get<std::string>();
  // Opened first, so it is registered before any bookmark tick the other one sees.
  auto plain = client_of(c);
  REQUIRE(plain.open_stream(kConfigMaps + "?watch=true&resourceVersion=" + rv) == 200);
  auto marked = client_of(c);
  REQUIRE(marked.open_stream(kConfigMaps + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + rv) == 200);
  auto line = marked.next_line(10s);
  REQUIRE(line.has_value());
  const auto bookmark = json::parse(*line);
  CHECK(bookmark["type"] == "BOOKMARK");
  CHECK(bookmark["object"]["kind"] == "ConfigMap");
  CHECK(bookmark["object"]["apiVersion"] == "v1");
  const auto at = bookmark["object"]["metadata"]["resourceVersion"].get<std::string>();
  CHECK(std::stoll(at) >= std::stoll(rv));
  // As upstream's: an empty object of the kind (Go writes the unset creationTimestamp as null).
  CHECK(bookmark["object"]["metadata"] == json({{"resourceVersion", at}, {"creationTimestamp", nullptr}}));
  CHECK(bookmark["object"].size() == 3);
  // The watch that did not ask has had its chance at that tick and got nothing: its first line
  // is the next change.
  create(http, "after-bookmark");
  auto first = plain.next_line(10s);
  REQUIRE(first.has_value());
  CHECK(json::parse(*first)["type"] == "ADDED");
}

TEST_CASE("http api: resourceVersionMatch as upstream: NotOlderThan, Exact of a past revision, misuse") {
  ServedCluster c;
  auto http = client_of(c);
  const auto first = create(http, "one")["metadata"]["resourceVersion"].get<std::string>();
  create(http, "two");
  auto newer = http.request("GET", kConfigMaps + "?resourceVersion=" + first +
                                       "&resourceVersionMatch=NotOlderThan");
  CHECK(newer.status == 200);
  CHECK(json_of(newer)["items"].size() == 2);
  // Lists come from the latest state; an exact past revision is gone, as from a compacted etcd.
  auto exact = http.request("GET", kConfigMaps + "?resourceVersion=" + first + "&resourceVersionMatch=Exact");
  CHECK(exact.status == 410);
  CHECK(json_of(exact)["reason"] == "Expired");
  auto bare = http.request("GET", kConfigMaps + "?resourceVersionMatch=NotOlderThan");
  CHECK(bare.status == 422);
  CHECK(json_of(bare)["message"] ==
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
        "resourceVersionMatch is forbidden unless resourceVersion is provided");
  auto bogus = http.request("GET", kConfigMaps + "?resourceVersion=1&resourceVersionMatch=Newest");
  CHECK(bogus.status == 422);
  CHECK(json_of(bogus)["details"]["causes"][0]["reason"] == "FieldValueNotSupported");
  auto future = http.request("GET", kConfigMaps + "?resourceVersion=999999999&resourceVersionMatch=NotOlderThan");
  CHECK(future.status == 504);
  CHECK(json_of(future)["message"].get<std::string>().find("Too large resource version") != std::string::npos);
}

TEST_CASE("http api: a delete whose precondition does not hold is a 409 and deletes nothing") {
  ServedCluster c;
  auto http = client_of(c);
  const auto cm = create(http, "guarded");
  const auto rv = cm["metadata"]["resourceVersion"].get<std::string>();
  const auto uid = cm["metadata"]["uid"].get<std::string>();
  auto stale = http.request("DELETE", kConfigMaps + "/guarded",
                            R"({"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"resourceVersion":"1"}})",
                            "application/json");
  CHECK(stale.status == 409);
  CHECK(json_of(stale)["reason"] == "Conflict");
  CHECK(json_of(stale)["message"] ==
        "Operation cannot be fulfilled on configmaps \"guarded\": Precondition failed: "
        "ResourceVersion in precondition: 1, ResourceVersion in object meta: " + rv);
  auto replaced = http.request("DELETE", kConfigMaps + "/guarded",
                               R"({"preconditions":{"uid":"not-this-one"}})", "application/json");
  CHECK(replaced.status == 409);
  CHECK(json_of(replaced)["message"] ==
        "Operation cannot be fulfilled on configmaps \"guarded\": Precondition failed: "
        "UID in precondition: not-this-one, UID in object meta: " + uid);
  CHECK(http.request("GET", kConfigMaps + "/guarded").status == 200);
  auto matching = http.request("DELETE", kConfigMaps + "/guarded",
                               json{{"preconditions", {{"uid", uid}, {"resourceVersion", rv}}}}.dump(),
                               "application/json");
  CHECK(matching.status == 200);
  CHECK(http.request("GET", kConfigMaps + "/guarded").status == 404);
}

TEST_CASE("http api: a body or URL that is not UTF-8 gets a Status and writes nothing") {
  ServedCluster c;
  auto http = client_of(c);
  const std::string latin1 = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"l1\"},"
                             "\"data\":{\"k\":\"caf\xe9\"}}";
  auto json_body = http.request("POST", kConfigMaps, latin1, "application/json");
  CHECK(json_body.status == 400);
  CHECK(json_of(json_body)["kind"] == "Status");
  const std::string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: l1\ndata:\n  k: caf\xe9\n";
  auto yaml_body = http.request("POST", kConfigMaps, yaml, "application/yaml");
  CHECK(yaml_body.status == 400);
  CHECK(json_of(yaml_body)["kind"] == "Status");
  auto patch = http.request("PATCH", kConfigMaps + "/l1", "{\"data\":{\"k\":\"\xff\"}}",
                            "application/merge-patch+json");
  CHECK((patch.status == 400 || patch.status == 404));
  CHECK(http.request("GET", kConfigMaps + "/l1").status == 404);
  // Percent-encoded bytes that are not UTF-8, in a name and in a selector.
  CHECK(json_of(http.request("GET", kConfigMaps + "/caf%E9"))["kind"] == "Status");
  CHECK(json_of(http.request("GET", kConfigMaps + "?labelSelector=a%3D%FF"))["kind"] == "Status");
  CHECK(http.request("GET", "/healthz").status == 200);
}

TEST_CASE("http server: a request head over the limit is a 431 and the connection closes") {
  ServedCluster c;
  auto http = client_of(c);
  const std::string big(70 * 1024, 'a');
  auto answer = http.raw_exchange("GET /api/v1/nodes HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n", 10s);
  CHECK(answer.rfind("HTTP/1.1 431 ", 0) == 0);
  CHECK(answer.find("\"reason\":\"RequestHeaderFieldsTooLarge\"") != std::string::npos);
  CHECK(client_of(c).request("GET", "/healthz").status == 200);
}
