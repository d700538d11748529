#include "actors/http/pki.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cerrno>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>

#include "actors/http/pki_lock.hpp"
#include "actors/http/x509_inspect.hpp"
#include "tests/actors/http/pki_fixture.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::http::testing::mode_of;
using kactor::http::testing::read_file;
using kactor::http::testing::TempDir;
using kactor::http::testing::test_now;
using kactor::http::testing::verify_chain;
using kactor::http::testing::write_file;

namespace {

constexpr std::string_view kAllFiles[] = {
    kCaCertFile,    kCaKeyFile,    kServerCertFile,        kServerKeyFile,       kAdminCertFile,
    kAdminKeyFile,  kAdminTokenFile, kKubeletClientCertFile, kKubeletClientKeyFile};

ClusterPki ensure(const TempDir& dir, const std::vector<std::string>& hosts = {},
                  TimePoint now = test_now()) {
  auto pki = ensure_cluster_pki(dir.path(), hosts, now);
  INFO((pki ? "" : pki.error().message));
  REQUIRE(pki);
  return *pki;
}

/// Every file of the PKI directory by name, to compare two states byte for byte.
std::map<std::string, std::string> snapshot(const TempDir& dir) {
  std::map<std::string, std::string> files;
  for (auto name : kAllFiles) files[std::string(name)] = read_file(dir / name);
  return files;
}

SubjectAltNames alt_names_of(const std::string& cert_pem) {
  auto cert = parse_certificate_pem(cert_pem);
  REQUIRE(cert);
  return subject_alt_names(cert.get());
}

}  // namespace

TEST_CASE("pki: a fresh directory gets a CA, serving and admin certificates and a token") {
  TempDir dir;
  auto pki = ensure(dir);
  CHECK(mode_of(dir.path()) == 0700);
  for (auto name : {kCaKeyFile, kServerKeyFile, kAdminKeyFile, kAdminTokenFile}) {
    INFO(name);
    CHECK(mode_of(dir / name) == 0600);
  }
  for (auto name : {kCaCertFile, kServerCertFile, kAdminCertFile}) {
    INFO(name);
    CHECK(mode_of(dir / name) == 0644);
  }
  CHECK(read_file(dir / kCaCertFile) == pki.ca_cert_pem);
  CHECK(read_file(dir / kServerCertFile) == pki.server_cert_pem);
  CHECK(read_file(dir / kServerKeyFile) == pki.server_key_pem);
  CHECK(read_file(dir / kAdminCertFile) == pki.admin_cert_pem);
  CHECK(read_file(dir / kAdminKeyFile) == pki.admin_key_pem);
  CHECK(read_file(dir / kAdminTokenFile) == pki.admin_token + "\n");
  CHECK(pki.admin_token.size() == 64);
  CHECK(pki.admin_token.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(pki.server_key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
  CHECK(pki.dir == dir.path());
  CHECK(pki.changes == std::vector<std::string>{"ca.crt: created", "apiserver.crt: created",
                                                "admin.crt: created",
                                                "apiserver-kubelet-client.crt: created",
                                                "admin.token: created"});
  // No temporary file is left behind (the 9 files and the writers' lock).
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 10);
  CHECK(mode_of(dir / ".lock") == 0600);
  // The API server's identity towards kubelets, as kubeadm's apiserver-kubelet-client.
  CHECK(mode_of(dir / kKubeletClientKeyFile) == 0600);
  CHECK(read_file(dir / kKubeletClientCertFile) == pki.kubelet_client_cert_pem);
  auto kubelet_client = parse_certificate_pem(pki.kubelet_client_cert_pem);
  REQUIRE(kubelet_client);
  CHECK(subject_common_name(kubelet_client.get()) == "kube-apiserver-kubelet-client");
  CHECK(subject_organizations(kubelet_client.get()) == std::vector<std::string>{"system:masters"});
  CHECK(verify_chain(pki.kubelet_client_cert_pem, pki.ca_cert_pem, test_now(),
                     X509_PURPOSE_SSL_CLIENT) == X509_V_OK);
}

TEST_CASE("pki: a second start reuses every file byte for byte") {
  TempDir dir;
  auto first = ensure(dir, {"10.0.0.5"});
  auto files = snapshot(dir);
  // The same hosts written differently name the same certificate.
  auto second = ensure(dir, {"10.0.0.5", "LOCALHOST", "::0:1"}, test_now() + std::chrono::days(1));
  CHECK(second.changes.empty());
  CHECK(snapshot(dir) == files);
  CHECK(second.ca_cert_pem == first.ca_cert_pem);
  CHECK(second.server_cert_pem == first.server_cert_pem);
  CHECK(second.server_key_pem == first.server_key_pem);
  CHECK(second.admin_cert_pem == first.admin_cert_pem);
  CHECK(second.admin_key_pem == first.admin_key_pem);
  CHECK(second.admin_token == first.admin_token);
}

TEST_CASE("pki: changed hosts re-issue only the serving certificate") {
  TempDir dir;
  auto first = ensure(dir, {"10.0.0.5"});
  auto before = snapshot(dir);
  auto second = ensure(dir, {"10.0.0.5", "node-1.example.com"});
  auto after = snapshot(dir);
  CHECK(second.changes ==
        std::vector<std::string>{"apiserver.crt: issued again: the requested hosts changed"});
  for (auto name : kAllFiles) {
    INFO(name);
    bool serving = name == kServerCertFile || name == kServerKeyFile;
    CHECK((after[std::string(name)] != before[std::string(name)]) == serving);
  }
  CHECK(second.server_key_pem != first.server_key_pem);  // a new key, not only a new certificate
  auto names = alt_names_of(second.server_cert_pem);
  CHECK(std::ranges::count(names.dns_names, "node-1.example.com") == 1);
  CHECK(std::ranges::count(alt_names_of(first.server_cert_pem).dns_names, "node-1.example.com") ==
        0);
  CHECK(verify_chain(second.server_cert_pem, first.ca_cert_pem, test_now(),
                     X509_PURPOSE_SSL_SERVER) == X509_V_OK);
}

TEST_CASE("pki: certificates that expire within 30 days are re-issued, the CA is kept") {
  TempDir dir;
  auto first = ensure(dir);
  // 334 days on, the certificates (1 year) have 31 days left: kept.
  auto kept = ensure(dir, {}, test_now() + std::chrono::days(334));
  CHECK(kept.changes.empty());
  CHECK(kept.server_cert_pem == first.server_cert_pem);
  // 336 days on, 29 days left: both re-issued, valid from then; CA and token unchanged.
  auto later = test_now() + std::chrono::days(336);
  auto renewed = ensure(dir, {}, later);
  CHECK(renewed.changes ==
        std::vector<std::string>{"apiserver.crt: issued again: it expires within 30 days",
                                 "admin.crt: issued again: it expires within 30 days",
                                 "apiserver-kubelet-client.crt: issued again: it expires within 30 days"});
  CHECK(renewed.ca_cert_pem == first.ca_cert_pem);
  CHECK(renewed.admin_token == first.admin_token);
  CHECK(verify_chain(renewed.server_cert_pem, renewed.ca_cert_pem, later + std::chrono::days(300),
                     X509_PURPOSE_SSL_SERVER) == X509_V_OK);
  CHECK(verify_chain(first.server_cert_pem, first.ca_cert_pem, later + std::chrono::days(300),
                     X509_PURPOSE_SSL_SERVER) == X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST_CASE("pki: the serving certificate verifies against the CA and names the API server") {
  TempDir dir;
  auto pki = ensure(dir, {"192.168.1.20", "kactor.example.com", "fd00::20"});
  CHECK(verify_chain(pki.server_cert_pem, pki.ca_cert_pem, test_now(), X509_PURPOSE_SSL_SERVER) ==
        X509_V_OK);
  // serverAuth only: it is no client certificate.
  CHECK(verify_chain(pki.server_cert_pem, pki.ca_cert_pem, test_now(), X509_PURPOSE_SSL_CLIENT) ==
        X509_V_ERR_INVALID_PURPOSE);
  // Another PKI's CA does not vouch for it.
  TempDir other_dir;
  auto other = ensure(other_dir);
  CHECK(verify_chain(pki.server_cert_pem, other.ca_cert_pem, test_now(), X509_PURPOSE_SSL_SERVER) !=
        X509_V_OK);

  auto cert = parse_certificate_pem(pki.server_cert_pem);
  REQUIRE(cert);
  CHECK(subject_common_name(cert.get()) == "kube-apiserver");
  auto names = subject_alt_names(cert.get());
  CHECK(names.dns_names == std::vector<std::string>{"kactor.example.com", "kubernetes",
                                                    "kubernetes.default", "kubernetes.default.svc",
                                                    "kubernetes.default.svc.cluster.local",
                                                    "localhost"});
  CHECK(names.ip_addresses ==
        std::vector<std::string>{"10.96.0.1", "127.0.0.1", "192.168.1.20", "::1", "fd00::20"});
  // As a TLS client checks a host name against it.
  CHECK(X509_check_host(cert.get(), "kubernetes.default.svc", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(cert.get(), "10.96.0.1", 0) == 1);
  CHECK(X509_check_host(cert.get(), "elsewhere.example.com", 0, 0, nullptr) == 0);
  // Valid for a year from (an hour before) now.
  CHECK_FALSE(expires_before(cert.get(), test_now() + std::chrono::days(364)));
  CHECK(expires_before(cert.get(), test_now() + std::chrono::days(366)));
}

TEST_CASE("pki: the admin certificate verifies as a client and names kactor-admin") {
  TempDir dir;
  auto pki = ensure(dir);
  CHECK(verify_chain(pki.admin_cert_pem, pki.ca_cert_pem, test_now(), X509_PURPOSE_SSL_CLIENT) ==
        X509_V_OK);
  CHECK(verify_chain(pki.admin_cert_pem, pki.ca_cert_pem, test_now(), X509_PURPOSE_SSL_SERVER) ==
        X509_V_ERR_INVALID_PURPOSE);
  auto cert = parse_certificate_pem(pki.admin_cert_pem);
  REQUIRE(cert);
  CHECK(subject_common_name(cert.get()) == "kactor-admin");
  CHECK(subject_organizations(cert.get()) == std::vector<std::string>{"system:masters"});
}

TEST_CASE("pki: the CA is self-signed, named kactor-ca, a CA for 10 years") {
  TempDir dir;
  auto pki = ensure(dir);
  auto ca = parse_certificate_pem(pki.ca_cert_pem);
  REQUIRE(ca);
  CHECK(subject_common_name(ca.get()) == "kactor-ca");
  CHECK(is_signed_by(ca.get(), ca.get()));
  CHECK(X509_check_ca(ca.get()) == 1);
  CHECK_FALSE(expires_before(ca.get(), test_now() + std::chrono::days(3649)));
  CHECK(expires_before(ca.get(), test_now() + std::chrono::days(3651)));
  auto server = parse_certificate_pem(pki.server_cert_pem);
  REQUIRE(server);
  CHECK(X509_check_ca(server.get()) == 0);
}

TEST_CASE("pki: a corrupt or missing file is an error naming it, and nothing is overwritten") {
  TempDir dir;
  ensure(dir);
  std::string_view file;
  std::string expected;
  SECTION("a CA certificate that is no PEM") {
    file = kCaCertFile;
    write_file(dir / file, "not a certificate\n");
    expected = "holds no PEM certificate";
  }
  SECTION("a truncated serving key") {
    file = kServerKeyFile;
    write_file(dir / file, read_file(dir / file).substr(0, 60));
    expected = "holds no PEM private key";
  }
  SECTION("an admin certificate that is a key") {
    file = kAdminCertFile;
    write_file(dir / file, read_file(dir / kAdminKeyFile));
    expected = "holds no PEM certificate";
  }
  SECTION("a token that is not one") {
    file = kAdminTokenFile;
    write_file(dir / file, "secret\n");
    expected = "not a token";
  }
  SECTION("the CA's key gone") {
    file = kCaKeyFile;
    std::filesystem::remove(dir / file);
    expected = "missing, while";
  }
  SECTION("the CA's key replaced by another key") {
    file = kCaKeyFile;
    write_file(dir / file, read_file(dir / kAdminKeyFile));
    expected = "not the key of";
  }
  auto files = snapshot(dir);
  auto result = ensure_cluster_pki(dir.path(), {}, test_now());
  REQUIRE_FALSE(result);
  INFO(result.error().message);
  CHECK(result.error().code == 500);
  CHECK(result.error().message.starts_with("Internal error occurred: cluster PKI: "));
  CHECK(result.error().message.find((dir / file).string()) != std::string::npos);
  CHECK(result.error().message.find(expected) != std::string::npos);
  CHECK(snapshot(dir) == files);
}

TEST_CASE("pki: a bad host is refused naming its entry, before anything is written") {
  TempDir dir;
  for (const std::string& bad : std::vector<std::string>{
           "bad host", "", "-leading.example", "[::1]", "*.example.com", "a..b",
           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example"}) {
    INFO(bad);
    auto result = ensure_cluster_pki(dir.path(), {"ok.example", bad}, test_now());
    REQUIRE_FALSE(result);
    CHECK(result.error().code == 400);
    CHECK(result.error().message.starts_with("cluster PKI: extra_hosts[1]: Invalid value"));
    CHECK_FALSE(std::filesystem::exists(dir.path()));
  }
}

TEST_CASE("pki: serving_alt_names adds the defaults and normalizes the hosts") {
  auto names = serving_alt_names({"Node-1.Example.COM", "::0:1", "10.0.0.7", "10.0.0.7"});
  REQUIRE(names);
  CHECK(names->dns_names == std::vector<std::string>{"kubernetes", "kubernetes.default",
                                                     "kubernetes.default.svc",
                                                     "kubernetes.default.svc.cluster.local",
                                                     "localhost", "node-1.example.com"});
  CHECK(names->ip_addresses ==
        std::vector<std::string>{"10.0.0.7", "10.96.0.1", "127.0.0.1", "::1"});
}

TEST_CASE("pki: an interrupted first start, a key without its certificate, is completed") {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  write_file(dir / kCaKeyFile, "half written");
  auto pki = ensure(dir);
  CHECK(pki.changes.front() == "ca.crt: created");
  CHECK(verify_chain(pki.server_cert_pem, pki.ca_cert_pem, test_now(), X509_PURPOSE_SSL_SERVER) ==
        X509_V_OK);
}

TEST_CASE("pki: a certificate not signed by the CA, or with another key, is re-issued") {
  TempDir dir;
  TempDir other_dir;
  auto pki = ensure(dir);
  auto other = ensure(other_dir);
  std::string expected;
  SECTION("the serving certificate of another cluster") {
    write_file(dir / kServerCertFile, other.server_cert_pem);
    write_file(dir / kServerKeyFile, other.server_key_pem);
    expected = "apiserver.crt: issued again: it is not signed by the cluster CA";
  }
  SECTION("a serving key that is not the certificate's") {
    write_file(dir / kServerKeyFile, pki.admin_key_pem);
    expected = "apiserver.crt: issued again: its key file holds another key";
  }
  auto again = ensure(dir);
  CHECK(again.changes == std::vector<std::string>{expected});
  CHECK(verify_chain(again.server_cert_pem, pki.ca_cert_pem, test_now(), X509_PURPOSE_SSL_SERVER) ==
        X509_V_OK);
  CHECK(again.ca_cert_pem == pki.ca_cert_pem);
}

TEST_CASE("pki: writers of one directory take turns, and a thread's nested ensures do not wait "
          "for themselves") {
  TempDir dir;
  // Another process's view of the lock: a descriptor of its own on the same file.
  auto locked_elsewhere = [&] {
    const int fd = ::open((dir / ".lock").c_str(), O_RDWR | O_CLOEXEC);
    REQUIRE(fd >= 0);
    const bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return busy;
  };
  std::future<bool> other_writer;
  {
    auto lock = PkiDirLock::acquire(dir.path());
    REQUIRE(lock);
    CHECK(mode_of(dir / ".lock") == 0600);
    CHECK(locked_elsewhere());
    // The same thread ensures within it (as ensure_role_pki does): no wait, and still held.
    REQUIRE(ensure_cluster_pki(dir.path(), {}, test_now()));
    CHECK(locked_elsewhere());
    // Another thread's ensure waits for it (bounded: it must still wait after a while).
    other_writer = std::async(std::launch::async, [&] {
      return ensure_cluster_pki(dir.path(), {}, test_now()).has_value();
    });
    CHECK(other_writer.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);
  }
  REQUIRE(other_writer.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  CHECK(other_writer.get());
  CHECK_FALSE(locked_elsewhere());
  // Each ensure takes it and lets it go.
  REQUIRE(ensure_cluster_pki(dir.path(), {}, test_now()));
  CHECK_FALSE(locked_elsewhere());
}
