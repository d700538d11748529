// Service-account tokens over HTTPS: serviceaccounts/<name>/token issues them, and a bearer
// token the cluster signed authenticates as its account until the account goes.
#include <fstream>

#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using namespace kactor::http::testing;
using nlohmann::json;

namespace {

ClientOptions tls_options(const ServedCluster& c) {
  std::ifstream in(c.dir / "pki" / "ca.crt");
  ClientOptions o;
  o.port = c.port;
  o.tls = true;
  o.ca_pem = std::string(std::istreambuf_iterator<char>(in), {});
  return o;
}

std::map<std::string, std::string> bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

}  // namespace

TEST_CASE("http service accounts: a requested token authenticates as its account until the "
          "account is deleted") {
  // No cache: the deletion must show at the next request.
  ServedCluster c(true, 1, std::chrono::seconds(30), {}, [](kactor::http::ServeOptions& s) {
    s.service_account_auth.cache_ttl = std::chrono::seconds(0);
  });
  HttpClient client(tls_options(c));
  const auto admin = bearer(c.api->admin_token());
  const char* kJson = "application/json";
  REQUIRE(client.request("POST", "/api/v1/namespaces/default/serviceaccounts",
                         R"({"metadata":{"name":"robot"}})", kJson, admin)
              .status == 201);

  auto issued = client.request("POST", "/api/v1/namespaces/default/serviceaccounts/robot/token",
                               R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",
                                   "spec":{"expirationSeconds":1200}})",
                               kJson, admin);
  REQUIRE(issued.status == 201);
  auto tr = json_of(issued);
  CHECK(tr["kind"] == "TokenRequest");
  CHECK(tr["apiVersion"] == "authentication.k8s.io/v1");
  CHECK(tr["spec"]["expirationSeconds"] == 1200);
  const std::string token = tr["status"]["token"];
  REQUIRE(std::count(token.begin(), token.end(), '.') == 2);

  auto pods = client.request("GET", "/api/v1/namespaces/default/pods", "", "", bearer(token));
  CHECK(pods.status == 200);
  CHECK(json_of(pods)["kind"] == "PodList");
  // A changed token is nobody.
  auto tampered = token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  CHECK(client.request("GET", "/api/v1/namespaces/default/pods", "", "", bearer(tampered))
            .status == 401);

  auto too_short = client.request("POST", "/api/v1/namespaces/default/serviceaccounts/robot/token",
                                  R"({"spec":{"expirationSeconds":60}})", kJson, admin);
  CHECK(too_short.status == 422);
  CHECK(json_of(too_short)["message"] ==
        "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid "
        "value: 60: may not specify a duration less than 10 minutes");
  CHECK(client.request("POST", "/api/v1/namespaces/default/serviceaccounts/ghost/token", "{}",
                       kJson, admin)
            .status == 404);
  CHECK(client.request("GET", "/api/v1/namespaces/default/serviceaccounts/robot/token", "", "",
                       admin)
            .status == 405);

  REQUIRE(client.request("DELETE", "/api/v1/namespaces/default/serviceaccounts/robot", "", "",
                         admin)
              .status == 200);
  CHECK(client.request("GET", "/api/v1/namespaces/default/pods", "", "", bearer(token)).status ==
        401);
}
