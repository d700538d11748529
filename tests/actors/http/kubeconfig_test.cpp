#include "actors/http/kubeconfig.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "api/util/base64.hpp"
#include "api/yaml/yaml.hpp"
#include "tests/actors/http/pki_fixture.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::http::testing::mode_of;
using kactor::http::testing::read_file;
using kactor::http::testing::TempDir;
using kactor::http::testing::test_now;

namespace {

ClusterPki make_pki(const TempDir& dir) {
  auto pki = ensure_cluster_pki(dir / "pki", {}, test_now());
  REQUIRE(pki);
  return *pki;
}

std::string kubeconfig(const ClusterPki& pki, const std::string& server = "https://127.0.0.1:6443",
                       const std::string& cluster = "kactor") {
  auto text = kubeconfig_yaml(pki, server, cluster);
  INFO((text ? "" : text.error().message));
  REQUIRE(text);
  return *text;
}

const nlohmann::json& named(const nlohmann::json& list, const std::string& name) {
  for (const auto& entry : list) {
    if (entry.at("name") == name) return entry;
  }
  FAIL("no entry named " << name << " in " << list.dump());
  throw std::logic_error("unreachable");
}

std::string decoded(const nlohmann::json& value) {
  auto bytes = api::base64_decode(value.get<std::string>());
  REQUIRE(bytes);
  return *bytes;
}

/// Checks that `config` (the kubeconfig as JSON, from our YAML or from kubectl) holds `pki`.
void check_config(const nlohmann::json& config, const ClusterPki& pki, const std::string& server) {
  CHECK(config.at("apiVersion") == "v1");
  CHECK(config.at("kind") == "Config");
  CHECK(config.at("current-context") == "kactor");
  const auto& cluster = named(config.at("clusters"), "kactor").at("cluster");
  CHECK(cluster.at("server") == server);
  CHECK(decoded(cluster.at("certificate-authority-data")) == pki.ca_cert_pem);
  const auto& admin = named(config.at("users"), "kactor-admin").at("user");
  CHECK(decoded(admin.at("client-certificate-data")) == pki.admin_cert_pem);
  CHECK(decoded(admin.at("client-key-data")) == pki.admin_key_pem);
  CHECK(named(config.at("users"), "kactor-admin-token").at("user").at("token") == pki.admin_token);
  CHECK(named(config.at("contexts"), "kactor").at("context") ==
        nlohmann::json{{"cluster", "kactor"}, {"user", "kactor-admin"}});
  CHECK(named(config.at("contexts"), "kactor-token").at("context") ==
        nlohmann::json{{"cluster", "kactor"}, {"user", "kactor-admin-token"}});
}

/// The standard output of `command`, and whether it exited 0.
std::pair<std::string, bool> run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {out, false};
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  return {out, ::pclose(pipe) == 0};
}

}  // namespace

TEST_CASE("kubeconfig: it parses as YAML with the cluster, both users and both contexts") {
  TempDir dir;
  auto pki = make_pki(dir);
  auto text = kubeconfig(pki, "https://10.0.0.5:6443");
  auto documents = api::yaml_to_json(text);
  REQUIRE(documents);
  REQUIRE(documents->size() == 1);
  check_config(documents->front(), pki, "https://10.0.0.5:6443");
  CHECK(text.starts_with("apiVersion: v1\n"));
}

TEST_CASE("kubeconfig: a server that is no https URL or an empty cluster name is refused") {
  TempDir dir;
  auto pki = make_pki(dir);
  for (std::string server : {"http://127.0.0.1:6443", "127.0.0.1:6443", "https://", "https://:6443",
                             "https://a b", ""}) {
    INFO(server);
    auto text = kubeconfig_yaml(pki, server);
    REQUIRE_FALSE(text);
    CHECK(text.error().code == 400);
    CHECK(text.error().message.starts_with("server_url: Invalid value"));
  }
  for (std::string cluster : {"", "two\nlines"}) {
    auto text = kubeconfig_yaml(pki, "https://127.0.0.1:6443", cluster);
    REQUIRE_FALSE(text);
    CHECK(text.error().message.starts_with("cluster_name: Invalid value"));
  }
}

TEST_CASE("kubeconfig: write_kubeconfig writes mode 0600 and replaces the file whole") {
  TempDir dir;
  auto path = dir / "home" / ".kube" / "config";
  REQUIRE(write_kubeconfig(path, "first\n"));
  CHECK(read_file(path) == "first\n");
  CHECK(mode_of(path) == 0600);
  // A file someone made readable to all is replaced by a private one.
  std::filesystem::permissions(path, std::filesystem::perms::all);
  REQUIRE(write_kubeconfig(path, "second\n"));
  CHECK(read_file(path) == "second\n");
  CHECK(mode_of(path) == 0600);
  CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  // A directory in the way is an error naming the file, not a crash.
  std::filesystem::create_directories(dir / "taken");
  auto failed = write_kubeconfig(dir / "taken", "x");
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message.find((dir / "taken").string()) != std::string::npos);
}

TEST_CASE("kubeconfig: kubectl config view --raw accepts it and reads the same data") {
  // kubectl 1.32 is on PATH on the team's machines; Debian's kubectl 1.20, if installed, is
  // /usr/bin/kubectl. Each one present must read the file; none present skips the test.
  std::vector<std::string> kubectls;
  auto [on_path, found] = run("command -v kubectl");
  while (!on_path.empty() && on_path.back() == '\n') on_path.pop_back();
  if (found) kubectls.push_back(on_path);
  std::error_code ec;
  if (std::filesystem::exists("/usr/bin/kubectl") &&
      (!found || !std::filesystem::equivalent(on_path, "/usr/bin/kubectl", ec))) {
    kubectls.push_back("/usr/bin/kubectl");
  }
  if (kubectls.empty()) {
    WARN("no kubectl on PATH: skipped");
    return;
  }
  TempDir dir;
  auto pki = make_pki(dir);
  auto path = dir / "kubeconfig";
  REQUIRE(write_kubeconfig(path, kubeconfig(pki)));
  for (const auto& kubectl : kubectls) {
    INFO(kubectl);
    auto [version, version_ok] = run(kubectl + " version --client 2>&1");
    INFO(version);
    auto [out, ok] =
        run(kubectl + " --kubeconfig '" + path.string() + "' config view --raw -o json 2>&1");
    INFO(out);
    REQUIRE(ok);
    check_config(nlohmann::json::parse(out), pki, "https://127.0.0.1:6443");
  }
}
