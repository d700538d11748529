// The REST client's pieces that need no server: kubeconfigs, paths, Statuses from answers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "actors/http/client/cluster_access.hpp"
#include "actors/http/client/rest_client.hpp"
#include "api/types/all.hpp"
#include "api/util/base64.hpp"
#include "tests/support/temp_dir.hpp"

using namespace kactor;
using namespace kactor::http::client;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  // Under the system's temporary directory, removed when the test program ends (not in the
  // directory the tests run from, where it used to stay behind).
  static const kactor::testing::TempDir dir("rest-client-test");
  auto path = std::filesystem::path(dir.path()) / name;
  std::ofstream(path) << text;
  return path;
}

std::string kubeconfig(const std::string& server) {
  return "apiVersion: v1\nkind: Config\ncurrent-context: kactor\n"
         "clusters:\n- name: kactor\n  cluster:\n    server: " + server +
         "\n    certificate-authority-data: " + api::base64_encode("CA PEM") +
         "\ncontexts:\n- name: kactor\n  context: {cluster: kactor, user: kactor-admin}\n"
         "- name: kactor-token\n  context: {cluster: kactor, user: kactor-admin-token, namespace: team}\n"
         "users:\n- name: kactor-admin\n  user:\n    client-certificate-data: " +
         api::base64_encode("CERT") + "\n    client-key-data: " + api::base64_encode("KEY") +
         "\n- name: kactor-admin-token\n  user: {token: secret-token}\n";
}

}  // namespace

TEST_CASE("a kubeconfig's current context gives the server, the CA and the certificate", "[restclient]") {
  auto access = load_kubeconfig(write_temp("config", kubeconfig("https://127.0.0.1:6443")));
  REQUIRE(access.has_value());
  CHECK(access->host == "127.0.0.1");
  CHECK(access->port == 6443);
  CHECK(access->tls);
  CHECK(access->ca_pem == "CA PEM");
  CHECK(access->client_cert_pem == "CERT");
  CHECK(access->client_key_pem == "KEY");
  CHECK(access->token.empty());
  CHECK(access->namespace_ == "default");
}

TEST_CASE("a named context picks its user's token and namespace", "[restclient]") {
  auto access = load_kubeconfig(write_temp("config", kubeconfig("https://localhost")),
                                "kactor-token");
  REQUIRE(access.has_value());
  CHECK(access->host == "localhost");
  CHECK(access->port == 443);
  CHECK(access->token == "secret-token");
  CHECK(access->client_cert_pem.empty());
  CHECK(access->namespace_ == "team");
}

TEST_CASE("a kubeconfig that cannot be used is refused naming what is wrong", "[restclient]") {
  auto missing = load_kubeconfig(write_temp("config", kubeconfig("https://127.0.0.1:1")), "other");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("context \"other\" not found") != std::string::npos);
  auto bad_server = load_kubeconfig(write_temp("config", kubeconfig("ftp://x")));
  REQUIRE_FALSE(bad_server.has_value());
  CHECK(bad_server.error().message.find("server \"ftp://x\" is not an http(s)://host[:port] URL") !=
        std::string::npos);
  auto nothing = load_kubeconfig(write_temp("empty", ""));
  REQUIRE_FALSE(nothing.has_value());
  auto unreadable = load_kubeconfig("/nonexistent/kubeconfig");
  REQUIRE_FALSE(unreadable.has_value());
  CHECK(unreadable.error().message == "kubeconfig /nonexistent/kubeconfig: cannot be read");
}

TEST_CASE("server URLs: ports, IPv6 and nonsense", "[restclient]") {
  ClusterAccess a;
  REQUIRE(parse_server("http://[::1]:8080/", a).has_value());
  CHECK(a.host == "::1");
  CHECK(a.port == 8080);
  CHECK_FALSE(a.tls);
  for (const char* bad : {"https://", "https://h:0", "https://h:70000", "https://h:x",
                          "https://h/path", "h:1"}) {
    INFO(bad);
    CHECK_FALSE(parse_server(bad, a).has_value());
  }
}

TEST_CASE("REST paths of core and grouped kinds", "[restclient]") {
  CHECK(resource_path(api::ReplicationController::static_type(), "default", "web") ==
        "/api/v1/namespaces/default/replicationcontrollers/web");
  CHECK(resource_path(api::Pod::static_type(), "x") == "/api/v1/namespaces/x/pods");
  CHECK(resource_path(api::Node::static_type(), "ignored", "n1") == "/api/v1/nodes/n1");
  CHECK(url_escape("app=web,deployment=ab~c") == "app%3Dweb%2Cdeployment%3Dab~c");
}

TEST_CASE("a failed answer's Status is read back as the server wrote it", "[restclient]") {
  auto s = status_from_response(
      422, R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid",)"
           R"("message":"ReplicationController \"web\" is invalid","code":422,)"
           R"("details":{"name":"web","kind":"ReplicationController","causes":[)"
           R"({"reason":"FieldValueInvalid","message":"bad","field":"spec.replicas"}]}})");
  CHECK(s.code == 422);
  CHECK(api::is_invalid(s));
  CHECK(s.message == "ReplicationController \"web\" is invalid");
  REQUIRE(s.details.causes.size() == 1);
  CHECK(s.details.causes[0].field == "spec.replicas");
  auto plain = status_from_response(404, "page not found");
  CHECK(api::is_not_found(plain));
  CHECK(plain.message == "page not found");
  auto conflict = status_from_response(409, "{}");
  CHECK(api::is_conflict(conflict));
}
