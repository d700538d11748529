// `kactor certs`: the CA, the API server's certificate and one client certificate per
// component and node (docs/multi-host.md "Security").
#include "actors/http/role_pki.hpp"

#include <catch2/catch.hpp>

#include <chrono>

#include "actors/http/x509_inspect.hpp"
#include "tests/actors/http/pki_fixture.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::http::testing::mode_of;
using kactor::http::testing::read_file;
using kactor::http::testing::TempDir;
using kactor::http::testing::test_now;
using kactor::http::testing::verify_chain;

namespace {

std::vector<std::string> ensure(const TempDir& dir, const RolePkiRequest& request,
                                TimePoint now = test_now()) {
  auto changes = ensure_role_pki(dir.path(), request, now);
  INFO((changes ? "" : changes.error().message));
  REQUIRE(changes);
  return *changes;
}

X509Ptr certificate(const TempDir& dir, std::string_view stem) {
  auto cert = parse_certificate_pem(read_file(certificate_path(dir.path(), stem)));
  REQUIRE(cert);
  return cert;
}

}  // namespace

TEST_CASE("certs: every role gets a client certificate of the cluster CA with upstream's subject") {
  TempDir dir;
  auto changes = ensure(dir, {{"10.1.2.3", "cp.example"}, {"rack1-0", "rack1-1"}});
  CHECK(changes == std::vector<std::string>{
                       "ca.crt: created", "apiserver.crt: created", "admin.crt: created",
                       "apiserver-kubelet-client.crt: created", "admin.token: created",
                       "controller-manager.crt: created",
                       "scheduler.crt: created", "nodes/rack1-0.crt: created",
                       "kubelet-serving/rack1-0.crt: created", "nodes/rack1-1.crt: created",
                       "kubelet-serving/rack1-1.crt: created"});
  const auto ca_pem = read_file(dir / kCaCertFile);
  auto ca = parse_certificate_pem(ca_pem);
  REQUIRE(ca);

  struct Expected {
    std::string stem, common_name;
    std::vector<std::string> groups;
  };
  for (const auto& e : std::vector<Expected>{
           {"controller-manager", "system:kube-controller-manager", {}},
           {"scheduler", "system:kube-scheduler", {}},
           {"nodes/rack1-0", "system:node:rack1-0", {"system:nodes"}},
           {"nodes/rack1-1", "system:node:rack1-1", {"system:nodes"}}}) {
    INFO(e.stem);
    auto cert = certificate(dir, e.stem);
    CHECK(subject_common_name(cert.get()) == e.common_name);
    CHECK(subject_organizations(cert.get()) == e.groups);
    CHECK(is_signed_by(cert.get(), ca.get()));
    const auto pem = read_file(certificate_path(dir.path(), e.stem));
    // A client certificate, valid for a year, and not a serving one.
    CHECK(verify_chain(pem, ca_pem, test_now(), X509_PURPOSE_SSL_CLIENT) == X509_V_OK);
    CHECK(verify_chain(pem, ca_pem, test_now(), X509_PURPOSE_SSL_SERVER) != X509_V_OK);
    CHECK(!expires_before(cert.get(), test_now() + std::chrono::days(364)));
    CHECK(expires_before(cert.get(), test_now() + std::chrono::days(366)));
    CHECK(verify_chain(pem, ca_pem, test_now() + std::chrono::days(366),
                       X509_PURPOSE_SSL_CLIENT) == X509_V_ERR_CERT_HAS_EXPIRED);
    CHECK(mode_of(key_path(dir.path(), e.stem)) == 0600);
  }
  // The API server's certificate serves (the CAF link's server side) for the hosts given.
  auto server_pem = read_file(dir / kServerCertFile);
  CHECK(verify_chain(server_pem, ca_pem, test_now(), X509_PURPOSE_SSL_SERVER) == X509_V_OK);
  auto server = parse_certificate_pem(server_pem);
  auto sans = subject_alt_names(server.get());
  CHECK(std::count(sans.ip_addresses.begin(), sans.ip_addresses.end(), "10.1.2.3") == 1);
  CHECK(std::count(sans.dns_names.begin(), sans.dns_names.end(), "cp.example") == 1);

  // Each node's kubelet serves with a certificate naming the node (what
  // --kubelet-certificate-authority checks), with the subject upstream's kubelet-serving
  // signer gives; it is no client certificate.
  for (const std::string node : {"rack1-0", "rack1-1"}) {
    INFO(node);
    const auto stem = kubelet_serving_stem(node);
    const auto pem = read_file(certificate_path(dir.path(), stem));
    CHECK(verify_chain(pem, ca_pem, test_now(), X509_PURPOSE_SSL_SERVER) == X509_V_OK);
    CHECK(verify_chain(pem, ca_pem, test_now(), X509_PURPOSE_SSL_CLIENT) != X509_V_OK);
    auto cert = certificate(dir, stem);
    CHECK(subject_common_name(cert.get()) == "system:node:" + node);
    CHECK(subject_organizations(cert.get()) == std::vector<std::string>{"system:nodes"});
    CHECK(subject_alt_names(cert.get()).dns_names == std::vector<std::string>{node});
    CHECK(subject_alt_names(cert.get()).ip_addresses.empty());
    CHECK(mode_of(key_path(dir.path(), stem)) == 0600);
  }
}

TEST_CASE("certs: a second run reuses what fits and adds only new nodes") {
  TempDir dir;
  ensure(dir, {{}, {"a"}});
  const auto node_a = read_file(certificate_path(dir.path(), node_stem("a")));
  const auto scheduler = read_file(certificate_path(dir.path(), kSchedulerStem));
  auto changes = ensure(dir, {{}, {"a", "b"}}, test_now() + std::chrono::days(10));
  CHECK(changes ==
        std::vector<std::string>{"nodes/b.crt: created", "kubelet-serving/b.crt: created"});
  CHECK(read_file(certificate_path(dir.path(), node_stem("a"))) == node_a);
  CHECK(read_file(certificate_path(dir.path(), kSchedulerStem)) == scheduler);
  // Within 30 days of expiry, a certificate is issued again (the CA is kept).
  const auto ca = read_file(dir / kCaCertFile);
  changes = ensure(dir, {{}, {"a"}}, test_now() + std::chrono::days(340));
  CHECK(std::count(changes.begin(), changes.end(),
                   "nodes/a.crt: issued again: it expires within 30 days") == 1);
  CHECK(read_file(dir / kCaCertFile) == ca);
}

TEST_CASE("certs: a node name that is not a DNS subdomain is refused, naming it, before any write") {
  TempDir dir;
  auto changes = ensure_role_pki(dir.path(), {{}, {"ok", "Bad_Name"}}, test_now());
  REQUIRE(!changes);
  CHECK(changes.error().code == 400);
  CHECK(changes.error().message.starts_with("nodes[1]: Invalid value: \"Bad_Name\": "));
  CHECK(!std::filesystem::exists(dir.path()));
}

TEST_CASE("certs: node_name_of reads a node user as upstream's node identifier does") {
  CHECK(node_name_of({"system:node:a", {"system:nodes"}}) == "a");
  CHECK(node_name_of({"system:node:a", {}}) == std::nullopt);
  CHECK(node_name_of({"system:node:", {"system:nodes"}}) == std::nullopt);
  CHECK(node_name_of({"system:kube-scheduler", {"system:nodes"}}) == std::nullopt);
}
