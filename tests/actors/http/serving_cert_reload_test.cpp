// The API server's HTTPS listener while it runs: its PKI is ensured again every
// tls_reload_interval, so a serving certificate renewed (or replaced) in pki/ serves the
// connections that come after, and a renewed admin certificate reaches the kubeconfig,
// without a restart.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <openssl/ssl.h>
#include <catch2/catch.hpp>

#include "actors/http/openssl_ptr.hpp"
#include "actors/http/pki.hpp"
#include "api/util/base64.hpp"
#include "tests/actors/http/pki_fixture.hpp"
#include "tests/support/served_cluster.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::testing::ServedCluster;
namespace pki_files = kactor::http::testing;

namespace {

/// A blocking TLS connection to 127.0.0.1:`port` (nothing verified: the test compares what
/// it is served with the files).
struct Connection {
  int fd = -1;
  SslCtxPtr ctx{SSL_CTX_new(TLS_client_method())};
  SslPtr ssl;

  explicit Connection(uint16_t port) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    REQUIRE(::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr) == 1);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    ssl.reset(SSL_new(ctx.get()));
    REQUIRE(ssl);
    SSL_set_fd(ssl.get(), fd);
    REQUIRE(SSL_connect(ssl.get()) == 1);
  }
  ~Connection() {
    SSL_shutdown(ssl.get());
    ::close(fd);
  }
  X509Ptr certificate() const {
    X509Ptr peer(SSL_get1_peer_certificate(ssl.get()));
    REQUIRE(peer);
    return peer;
  }
  /// The status line of the answer to GET /healthz on this connection.
  std::string healthz() {
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
    REQUIRE(SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) ==
            static_cast<int>(request.size()));
    std::string answer;
    char buffer[4096];
    while (answer.find("\r\n") == std::string::npos) {
      const int n = SSL_read(ssl.get(), buffer, sizeof buffer);
      REQUIRE(n > 0);
      answer.append(buffer, static_cast<size_t>(n));
    }
    return answer.substr(0, answer.find("\r\n"));
  }
};

X509Ptr served_certificate(uint16_t port) {
  return Connection(port).certificate();
}

X509Ptr certificate_file(const std::filesystem::path& path) {
  auto cert = parse_certificate_pem(pki_files::read_file(path));
  REQUIRE(cert);
  return cert;
}

}  // namespace

TEST_CASE("HTTPS: a serving certificate renewed in pki/ serves the next connections") {
  ServedCluster s(true, 1, std::chrono::seconds(30), {},
                  [](ServeOptions& o) { o.tls_reload_interval = std::chrono::milliseconds(20); });
  const auto pki = s.dir / "pki";
  const auto cert_path = pki / std::string(kServerCertFile);
  Connection open(s.port);  // stays open across the reload
  auto first = open.certificate();
  CHECK(X509_cmp(first.get(), certificate_file(cert_path).get()) == 0);

  // Gone from pki/: the next check issues a new one, as a start would, and serves it. The key
  // first: a check between the two sees a certificate without its key and waits for the rest.
  std::filesystem::remove(pki / std::string(kServerKeyFile));
  std::filesystem::remove(cert_path);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto now_served = served_certificate(s.port);
  while (X509_cmp(now_served.get(), first.get()) == 0 &&
         std::chrono::steady_clock::now() < deadline)
    now_served = served_certificate(s.port);
  REQUIRE(X509_cmp(now_served.get(), first.get()) != 0);
  REQUIRE(std::filesystem::exists(cert_path));
  CHECK(X509_cmp(now_served.get(), certificate_file(cert_path).get()) == 0);
  const auto ca = pki_files::read_file(pki / std::string(kCaCertFile));
  CHECK(pki_files::verify_chain(pki_files::read_file(cert_path), ca,
                                std::chrono::system_clock::now(),
                                X509_PURPOSE_SSL_SERVER) == X509_V_OK);
  // The connection opened before keeps its certificate and is still served.
  CHECK(X509_cmp(open.certificate().get(), first.get()) == 0);
  CHECK(open.healthz() == "HTTP/1.1 200 OK");

  // The admin certificate re-issued as well: the kubeconfig is rewritten with the new one.
  const auto admin_path = pki / std::string(kAdminCertFile);
  const auto old_admin = api::base64_encode(pki_files::read_file(admin_path));
  const auto kubeconfig = s.dir / "kubeconfig";
  REQUIRE(pki_files::read_file(kubeconfig).find(old_admin) != std::string::npos);
  std::filesystem::remove(pki / std::string(kAdminKeyFile));
  std::filesystem::remove(admin_path);
  const auto admin_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto has_new_admin = [&] {
    if (!std::filesystem::exists(admin_path)) return false;
    const auto renewed = api::base64_encode(pki_files::read_file(admin_path));
    return renewed != old_admin &&
           pki_files::read_file(kubeconfig).find(renewed) != std::string::npos;
  };
  while (!has_new_admin() && std::chrono::steady_clock::now() < admin_deadline)
    std::this_thread::yield();
  CHECK(has_new_admin());
  CHECK(pki_files::read_file(kubeconfig).find(old_admin) == std::string::npos);
}
