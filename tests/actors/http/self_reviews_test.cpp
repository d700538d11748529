// The reviews a user makes about itself (actors/http/self_reviews.hpp): what kubectl auth can-i,
// can-i --list and whoami send, in JSON and in protobuf, and what the server answers; the
// refusals worded as upstream's.
#include "actors/http/self_reviews.hpp"

#include <catch2/catch.hpp>

#include <optional>

#include <nlohmann/json.hpp>

#include "actors/http/discovery.hpp"
#include "tests/actors/http/protobuf/wire_builder.hpp"

using namespace kactor;
using namespace kactor::http;
using nlohmann::json;

namespace {

/// Keeps the one answer a request gets.
class Captured final : public Exchange {
 public:
  std::optional<HttpResponse> response;
  void respond(HttpResponse r) override { response = std::move(r); }
  std::shared_ptr<Stream> open_stream(std::string,
                                      std::vector<std::pair<std::string, std::string>>) override {
    FAIL("a review never streams");
    return nullptr;
  }
};

const UserInfo kAdmin{"kactor-admin", {"system:masters", "system:authenticated"}};

HttpResponse post(const std::string& target, const std::string& body,
                  std::optional<UserInfo> user = kAdmin, const std::string& method = "POST",
                  const std::string& content_type = "application/json") {
  auto route = parse_route(target);
  REQUIRE(route);
  REQUIRE(is_review_route(*route));
  HttpRequest request{.method = method, .target = target, .content_type = content_type,
                      .body = body, .user = std::move(user)};
  auto exchange = std::make_shared<Captured>();
  serve_review(*route, request, exchange, TimePoint{});
  REQUIRE(exchange->response);
  return *exchange->response;
}

json body_of(const HttpResponse& r) {
  INFO(r.body);
  auto j = json::parse(r.body, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

const std::string kAccess = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
const std::string kRules = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
const std::string kWhoAmI = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

}  // namespace

TEST_CASE("reviews: a SelfSubjectAccessReview is allowed and comes back with the question") {
  // kubectl auth can-i create pods -n team, as kubectl 1.20 sends it (JSON).
  const auto r = post(kAccess, R"({"kind":"SelfSubjectAccessReview",
    "apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},
    "spec":{"resourceAttributes":{"namespace":"team","verb":"create","resource":"pods"}},
    "status":{"allowed":false}})");
  CHECK(r.status == 201);
  CHECK(body_of(r) == json::parse(R"({"kind":"SelfSubjectAccessReview",
    "apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},
    "spec":{"resourceAttributes":{"namespace":"team","verb":"create","resource":"pods"}},
    "status":{"allowed":true,
              "reason":"kactor has no authorization: every authenticated user may do everything"}})"));
}

TEST_CASE("reviews: a non-resource question is answered too") {
  const auto r = post(kAccess, R"({"spec":{"nonResourceAttributes":{"path":"/metrics","verb":"get"}}})");
  CHECK(r.status == 201);
  const auto doc = body_of(r);
  CHECK(doc["spec"] == json::parse(R"({"nonResourceAttributes":{"path":"/metrics","verb":"get"}})"));
  CHECK(doc["status"]["allowed"] == true);
}

TEST_CASE("reviews: a SelfSubjectAccessReview asks exactly one question and names no object") {
  auto cause_of = [](const HttpResponse& r) {
    CHECK(r.status == 422);
    const auto doc = body_of(r);
    CHECK(doc["reason"] == "Invalid");
    REQUIRE(doc["details"]["causes"].size() == 1);
    return doc["details"]["causes"][0];
  };
  auto neither = post(kAccess, R"({"spec":{}})");
  CHECK(body_of(neither)["message"] ==
        "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: "
        "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes "
        "must be specified");
  CHECK(cause_of(neither)["field"] == "spec.resourceAttributes");
  auto both = post(kAccess, R"({"spec":{"resourceAttributes":{"verb":"get"},
                                        "nonResourceAttributes":{"path":"/x"}}})");
  CHECK(cause_of(both)["field"] == "spec.nonResourceAttributes");
  auto named = post(kAccess, R"({"metadata":{"name":"mine"},
                                 "spec":{"resourceAttributes":{"verb":"get"}}})");
  CHECK(cause_of(named)["field"] == "metadata");
}

TEST_CASE("reviews: a SelfSubjectRulesReview lists every rule, and needs a namespace") {
  const auto r = post(kRules, R"({"apiVersion":"authorization.k8s.io/v1",
    "kind":"SelfSubjectRulesReview","spec":{"namespace":"default"}})");
  CHECK(r.status == 201);
  CHECK(body_of(r)["status"] == json::parse(R"({
    "resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],
    "nonResourceRules":[{"verbs":["*"],"nonResourceURLs":["*"]}],
    "incomplete":false})"));
  const auto none = post(kRules, R"({"spec":{}})");
  CHECK(none.status == 400);
  CHECK(body_of(none)["message"] == "no namespace on request");
}

TEST_CASE("reviews: a SelfSubjectReview names the user the request was authenticated as") {
  const auto admin = post(kWhoAmI, R"({"kind":"SelfSubjectReview",
    "apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"status":{"userInfo":{}}})");
  CHECK(admin.status == 201);
  CHECK(body_of(admin)["status"] == json::parse(R"({"userInfo":{"username":"kactor-admin",
    "groups":["system:masters","system:authenticated"]}})"));
  // What a client says about itself is not taken.
  const auto claimed = post(kWhoAmI, R"({"status":{"userInfo":{"username":"root"}}})",
                            UserInfo{"system:serviceaccount:team:robot",
                                     {"system:serviceaccounts", "system:authenticated"}});
  CHECK(body_of(claimed)["status"]["userInfo"]["username"] == "system:serviceaccount:team:robot");
  const auto anonymous = post(kWhoAmI, "{}", std::nullopt);
  CHECK(body_of(anonymous)["status"] == json::parse(R"({"userInfo":{"username":"system:anonymous",
    "groups":["system:unauthenticated"]}})"));
}

TEST_CASE("reviews: only POST, only at the cluster scope, and unknown fields as fieldValidation says") {
  CHECK(post(kAccess, "", kAdmin, "GET").status == 405);
  CHECK(post("/apis/authorization.k8s.io/v1/namespaces/default/selfsubjectaccessreviews",
             R"({"spec":{"resourceAttributes":{"verb":"get"}}})")
            .status == 404);
  CHECK(post(kAccess + "/x", "{}").status == 404);
  const std::string typo = R"({"spec":{"resourceAttribute":{"verb":"get"}}})";
  const auto strict = post(kAccess + "?fieldValidation=Strict", typo);
  CHECK(strict.status == 400);
  CHECK(body_of(strict)["message"].get<std::string>().find("unknown field") != std::string::npos);
  // Warn (the default): the unknown field is dropped with a warning, so the review is invalid.
  const auto warned = post(kAccess, typo);
  CHECK(warned.status == 422);
  const auto bad = post(kAccess, "{", kAdmin);
  CHECK(bad.status == 400);
  CHECK(post(kAccess, R"({"kind":"Pod","apiVersion":"v1"})").status == 400);
}

TEST_CASE("reviews: protobuf bodies as kubectl 1.32 sends them are read like JSON") {
  using namespace kactor::http::protobuf::testing;
  // SelfSubjectAccessReview{metadata{}, spec{resourceAttributes{namespace, verb, resource}},
  // status{allowed=false, reason="", evaluationError="", denied=false}}: gogo-protobuf writes
  // every value field, zero or not.
  const std::string attributes =
      bytes_field(1, "team") + bytes_field(2, "list") + bytes_field(3, "apps") +
      bytes_field(4, "") + bytes_field(5, "deployments") + bytes_field(6, "") + bytes_field(7, "");
  const std::string status =
      number_field(1, 0) + bytes_field(2, "") + bytes_field(3, "") + number_field(4, 0);
  const std::string access = bytes_field(1, "") + bytes_field(2, bytes_field(1, attributes)) +
                             bytes_field(3, status);
  const auto r = post(kAccess + "?fieldValidation=Strict",
                      envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", access),
                      kAdmin, "POST", "application/vnd.kubernetes.protobuf");
  CHECK(r.status == 201);
  const auto doc = body_of(r);
  CHECK(doc["spec"] == json::parse(R"({"resourceAttributes":{"namespace":"team","verb":"list",
    "group":"apps","resource":"deployments"}})"));
  CHECK(doc["status"]["allowed"] == true);

  const std::string whoami = bytes_field(1, "") + bytes_field(2, bytes_field(1, bytes_field(1, "") +
                                                                                 bytes_field(2, "")));
  const auto w = post(kWhoAmI + "?fieldValidation=Strict",
                      envelope("authentication.k8s.io/v1", "SelfSubjectReview", whoami), kAdmin,
                      "POST", "application/vnd.kubernetes.protobuf");
  CHECK(w.status == 201);
  CHECK(body_of(w)["status"]["userInfo"]["username"] == "kactor-admin");

  const std::string rules = bytes_field(1, "") + bytes_field(2, bytes_field(1, "default")) +
                            bytes_field(3, number_field(3, 0) + bytes_field(4, ""));
  const auto l = post(kRules + "?fieldValidation=Strict",
                      envelope("authorization.k8s.io/v1", "SelfSubjectRulesReview", rules), kAdmin,
                      "POST", "application/vnd.kubernetes.protobuf");
  CHECK(l.status == 201);
  CHECK(body_of(l)["spec"]["namespace"] == "default");
}

TEST_CASE("reviews: discovery lists them in their groups, create only, cluster-scoped") {
  for (const auto& [group, name, kind] :
       {std::tuple{"authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview"},
        std::tuple{"authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview"},
        std::tuple{"authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"}}) {
    INFO(name);
    const auto list = api_resource_list(group, "v1");
    REQUIRE(list);
    bool found = false;
    for (const auto& r : (*list)["resources"])
      if (r["name"] == name) {
        found = true;
        CHECK(r["kind"] == kind);
        CHECK(r["namespaced"] == false);
        CHECK(r["verbs"] == json::array({"create"}));
      }
    CHECK(found);
    bool grouped = false;
    const auto groups = api_group_list();
    for (const auto& g : groups["groups"])
      if (g["name"] == group) grouped = g["preferredVersion"]["groupVersion"] == std::string(group) + "/v1";
    CHECK(grouped);
  }
}
