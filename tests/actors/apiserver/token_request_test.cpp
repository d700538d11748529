// serviceaccounts/<name>/token through the API server (core_token.cpp): defaults, limits,
// bound objects and the claims of the token it signs.
#include "actors/apiserver/protocol/token_request.hpp"
#include "actors/tokens/jwt.hpp"
#include "api/types/authentication.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

std::shared_ptr<const tokens::TokenIssuer> test_issuer() {
  static auto issuer = std::make_shared<const tokens::TokenIssuer>(*tokens::SigningKey::generate());
  return issuer;
}

apiserver::ApiServerOptions with_issuer(int64_t max_expiration = 0) {
  apiserver::ApiServerOptions o;
  o.tokens.issuer = test_issuer();
  o.tokens.max_expiration_seconds = max_expiration;
  return o;
}

apiserver::Response request_token(ApiFixture& f, const std::string& sa, api::TokenRequest tr,
                                  const std::string& ns = "default") {
  return f.client->call(
      apiserver::token_request(ns, sa, std::make_shared<api::TokenRequest>(std::move(tr))));
}

const api::TokenRequest& answer(const apiserver::Response& r) {
  REQUIRE_FALSE(r.error);
  REQUIRE(r.object);
  return static_cast<const api::TokenRequest&>(*r.object);
}

int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

TEST_CASE("a TokenRequest gets a one-hour token for the API server's audience",
          "[apiserver][tokens]") {
  ApiFixture f(with_issuer());
  auto sa = f.client->get<api::ServiceAccount>("default", "default");
  REQUIRE(sa.has_value());
  auto response = request_token(f, "default", {});
  const auto& tr = answer(response);
  CHECK(tr.metadata.name == "default");
  CHECK(tr.metadata.namespace_ == "default");
  CHECK(tr.spec.expiration_seconds == 3600);
  CHECK(tr.spec.audiences == std::vector<std::string>{"https://kubernetes.default.svc.cluster.local"});
  CHECK(tr.status.expiration_timestamp.value == test_epoch() + std::chrono::hours(1));

  auto claims = test_issuer()->verify(tr.status.token, unix_seconds(test_epoch()));
  REQUIRE(claims.has_value());
  CHECK(claims->subject == "system:serviceaccount:default:default");
  CHECK(claims->service_account.uid == (*sa)->metadata.uid);
  CHECK(claims->expires == unix_seconds(test_epoch()) + 3600);
  CHECK_FALSE(claims->pod);
  CHECK_FALSE(claims->warn_after);
}

TEST_CASE("TokenRequest refuses what upstream refuses", "[apiserver][tokens]") {
  ApiFixture f(with_issuer());
  api::TokenRequest tr;
  SECTION("less than ten minutes") {
    tr.spec.expiration_seconds = 599;
    auto r = request_token(f, "default", tr);
    REQUIRE(r.error);
    CHECK(r.error->code == 422);
    CHECK(r.error->message ==
          "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid "
          "value: 599: may not specify a duration less than 10 minutes");
  }
  SECTION("a missing service account") {
    auto r = request_token(f, "ghost", tr);
    REQUIRE(r.error);
    CHECK(r.error->code == 404);
    CHECK(r.error->message == "serviceaccounts \"ghost\" not found");
  }
  SECTION("a bound pod that does not exist, or has another uid, or another account") {
    tr.spec.bound_object_ref = api::BoundObjectReference{"Pod", "v1", "web", ""};
    auto missing = request_token(f, "default", tr);
    REQUIRE(missing.error);
    CHECK(missing.error->message == "pods \"web\" not found");

    REQUIRE(f.client->create(make_pod("default", "web")).has_value());
    tr.spec.bound_object_ref->uid = "not-the-uid";
    auto other = request_token(f, "default", tr);
    REQUIRE(other.error);
    CHECK(other.error->code == 409);
    CHECK(other.error->message ==
          "Operation cannot be fulfilled on Pod \"web\": the UID in the bound object reference "
          "(not-the-uid) does not match the UID in record. The object might have been deleted "
          "and then recreated");

    api::ServiceAccount robot;
    robot.metadata.namespace_ = "default";
    robot.metadata.name = "robot";
    REQUIRE(f.client->create(robot).has_value());
    tr.spec.bound_object_ref->uid.clear();
    auto wrong_account = request_token(f, "robot", tr);
    REQUIRE(wrong_account.error);
    CHECK(wrong_account.error->code == 400);
    CHECK(wrong_account.error->message ==
          "cannot bind token for serviceaccount \"robot\" to pod running with different "
          "serviceaccount name.");
  }
  SECTION("a bound object of another kind") {
    tr.spec.bound_object_ref = api::BoundObjectReference{"ConfigMap", "v1", "x", ""};
    auto r = request_token(f, "default", tr);
    REQUIRE(r.error);
    CHECK(r.error->code == 400);
  }
}

TEST_CASE("a pod-bound 3607 s token lasts a year with warnafter, and the maximum shortens requests",
          "[apiserver][tokens]") {
  ApiFixture f(with_issuer(/*max_expiration=*/7200));
  auto pod = f.client->create(make_pod("default", "web"));
  REQUIRE(pod.has_value());
  api::TokenRequest tr;
  tr.spec.expiration_seconds = 3607;
  tr.spec.bound_object_ref = api::BoundObjectReference{"Pod", "v1", "web", (*pod)->metadata.uid};
  auto bound_response = request_token(f, "default", tr);
  const auto& bound = answer(bound_response);
  const auto now = unix_seconds(test_epoch());
  CHECK(bound.status.expiration_timestamp.value == test_epoch() + std::chrono::seconds(3607));
  auto claims = test_issuer()->verify(bound.status.token, now);
  REQUIRE(claims.has_value());
  REQUIRE(claims->pod);
  CHECK(claims->pod->uid == (*pod)->metadata.uid);
  CHECK(claims->warn_after == now + 3607);
  CHECK(claims->expires == now + 365 * 24 * 3600);

  api::TokenRequest day;
  day.spec.expiration_seconds = 86400;
  day.spec.audiences = {"vault"};
  auto shortened_response = request_token(f, "default", day);
  const auto& shortened = answer(shortened_response);
  CHECK(shortened.spec.expiration_seconds == 7200);
  auto c = test_issuer()->verify(shortened.status.token, now);
  REQUIRE(c.has_value());
  CHECK(c->audiences == std::vector<std::string>{"vault"});
  CHECK(c->expires == now + 7200);
}
