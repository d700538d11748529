// Real TLS handshakes between two SSL objects over an in-memory BIO pair: the server side
// configured by configure_server_tls, the client side as kubectl would be.
#include "actors/http/server_tls.hpp"

#include <catch2/catch.hpp>

#include <openssl/err.h>

#include "actors/http/auth.hpp"
#include "tests/actors/http/pki_fixture.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::http::testing::TempDir;
using kactor::http::testing::test_now;

namespace {

time_t seconds(TimePoint t) {
  return static_cast<time_t>(
      std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
}

/// A server context as the HTTPS listener makes it, checking certificates at `now`.
SslCtxPtr server_context(const ClusterPki& pki, TimePoint now = test_now()) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  REQUIRE(ctx);
  auto ok = configure_server_tls(ctx.get(), pki);
  INFO((ok ? "" : ok.error().message));
  REQUIRE(ok);
  X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(ctx.get()), seconds(now));
  return ctx;
}

/// A client that trusts `ca_pem`, checks the host name kubernetes.default.svc, and presents
/// `cert_pem`/`key_pem` when given.
SslCtxPtr client_context(const std::string& ca_pem, const std::string& cert_pem = "",
                         const std::string& key_pem = "") {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  REQUIRE(ctx);
  auto ca = parse_certificate_pem(ca_pem);
  REQUIRE(ca);
  REQUIRE(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca.get()) == 1);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, seconds(test_now()));
  REQUIRE(X509_VERIFY_PARAM_set1_host(param, "kubernetes.default.svc", 0) == 1);
  if (!cert_pem.empty()) {
    auto cert = parse_certificate_pem(cert_pem);
    auto key = parse_private_key_pem(key_pem);
    REQUIRE(cert);
    REQUIRE(key);
    REQUIRE(SSL_CTX_use_certificate(ctx.get(), cert.get()) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey(ctx.get(), key.get()) == 1);
  }
  return ctx;
}

/// Both ends of one connection after the handshake was driven to its end.
struct Connection {
  SslPtr client;
  SslPtr server;
  bool established = false;
};

/// Runs the handshake step by step: each side is called in turn until both are done or one
/// fails; every step moves bytes through the BIO pair, so a bounded number of rounds suffices.
Connection handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
  Connection c{SslPtr(SSL_new(client_ctx)), SslPtr(SSL_new(server_ctx))};
  REQUIRE(c.client);
  REQUIRE(c.server);
  BIO* client_bio = nullptr;
  BIO* server_bio = nullptr;
  REQUIRE(BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) == 1);
  SSL_set_bio(c.client.get(), client_bio, client_bio);  // each SSL owns its end now
  SSL_set_bio(c.server.get(), server_bio, server_bio);
  SSL_set_connect_state(c.client.get());
  SSL_set_accept_state(c.server.get());
  SSL_set_tlsext_host_name(c.client.get(), "kubernetes.default.svc");
  bool client_done = false;
  bool server_done = false;
  for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
    for (auto [ssl, done] :
         {std::pair{c.client.get(), &client_done}, std::pair{c.server.get(), &server_done}}) {
      if (*done) continue;
      int rc = SSL_do_handshake(ssl);
      if (rc == 1) {
        *done = true;
        continue;
      }
      int error = SSL_get_error(ssl, rc);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        ERR_clear_error();
        return c;
      }
    }
  }
  // With TLS 1.3 the client finishes before the server has checked its certificate; the
  // server's verdict is the one that counts, so let the client read what the server sent.
  if (client_done && server_done) {
    char byte;
    int rc = SSL_read(c.client.get(), &byte, 1);
    int error = SSL_get_error(c.client.get(), rc);
    c.established = error == SSL_ERROR_WANT_READ;
    ERR_clear_error();
  }
  return c;
}

}  // namespace

TEST_CASE("server TLS: a client with the admin certificate is kactor-admin in system:masters") {
  TempDir dir;
  auto pki = ensure_cluster_pki(dir.path(), {}, test_now());
  REQUIRE(pki);
  auto server_ctx = server_context(*pki);
  auto client_ctx = client_context(pki->ca_cert_pem, pki->admin_cert_pem, pki->admin_key_pem);
  auto c = handshake(server_ctx.get(), client_ctx.get());
  REQUIRE(c.established);
  CHECK(SSL_version(c.server.get()) >= TLS1_2_VERSION);
  CHECK(SSL_get_verify_result(c.client.get()) == X509_V_OK);  // the client trusts the server
  Authenticator auth(*pki);
  CHECK(auth.from_peer_certificate(c.server.get()) ==
        UserInfo{"kactor-admin", {"system:masters", "system:authenticated"}});
}

TEST_CASE("server TLS: TLS 1.2 works too, with the client certificate") {
  TempDir dir;
  auto pki = ensure_cluster_pki(dir.path(), {}, test_now());
  REQUIRE(pki);
  auto server_ctx = server_context(*pki);
  auto client_ctx = client_context(pki->ca_cert_pem, pki->admin_cert_pem, pki->admin_key_pem);
  SSL_CTX_set_max_proto_version(client_ctx.get(), TLS1_2_VERSION);
  auto c = handshake(server_ctx.get(), client_ctx.get());
  REQUIRE(c.established);
  CHECK(SSL_version(c.server.get()) == TLS1_2_VERSION);
  CHECK(Authenticator(*pki).from_peer_certificate(c.server.get())->name == "kactor-admin");
}

TEST_CASE("server TLS: a client without a certificate connects, as bearer-token clients do") {
  TempDir dir;
  auto pki = ensure_cluster_pki(dir.path(), {}, test_now());
  REQUIRE(pki);
  auto server_ctx = server_context(*pki);
  auto client_ctx = client_context(pki->ca_cert_pem);
  auto c = handshake(server_ctx.get(), client_ctx.get());
  REQUIRE(c.established);
  CHECK_FALSE(Authenticator(*pki).from_peer_certificate(c.server.get()));
}

TEST_CASE("server TLS: a client certificate it cannot trust fails the handshake") {
  TempDir dir;
  TempDir other_dir;
  auto pki = ensure_cluster_pki(dir.path(), {}, test_now());
  auto other = ensure_cluster_pki(other_dir.path(), {}, test_now());
  REQUIRE(pki);
  REQUIRE(other);
  auto server_ctx = server_context(*pki);
  SslCtxPtr client_ctx;
  SECTION("signed by another cluster's CA") {
    client_ctx = client_context(pki->ca_cert_pem, other->admin_cert_pem, other->admin_key_pem);
  }
  SECTION("the serving certificate, which is not for clients") {
    client_ctx = client_context(pki->ca_cert_pem, pki->server_cert_pem, pki->server_key_pem);
  }
  SECTION("the admin certificate after it expired") {
    server_ctx = server_context(*pki, test_now() + std::chrono::days(400));
    client_ctx = client_context(pki->ca_cert_pem, pki->admin_cert_pem, pki->admin_key_pem);
  }
  auto c = handshake(server_ctx.get(), client_ctx.get());
  CHECK_FALSE(c.established);
  CHECK_FALSE(Authenticator(*pki).from_peer_certificate(c.server.get()));
}

TEST_CASE("server TLS: a client of another cluster does not trust this server") {
  TempDir dir;
  TempDir other_dir;
  auto pki = ensure_cluster_pki(dir.path(), {}, test_now());
  auto other = ensure_cluster_pki(other_dir.path(), {}, test_now());
  REQUIRE(pki);
  REQUIRE(other);
  auto server_ctx = server_context(*pki);
  auto client_ctx = client_context(other->ca_cert_pem);
  CHECK_FALSE(handshake(server_ctx.get(), client_ctx.get()).established);
}

TEST_CASE("server TLS: a serving key that does not match the certificate is refused") {
  TempDir dir;
  auto pki = ensure_cluster_pki(dir.path(), {}, test_now());
  REQUIRE(pki);
  auto broken = *pki;
  broken.server_key_pem = pki->admin_key_pem;
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  auto ok = configure_server_tls(ctx.get(), broken);
  REQUIRE_FALSE(ok);
  INFO(ok.error().message);
  CHECK(ok.error().message.starts_with("Internal error occurred: server TLS: use the serving key"));
  broken.server_cert_pem = "garbage";
  ok = configure_server_tls(ctx.get(), broken);
  REQUIRE_FALSE(ok);
  CHECK(ok.error().message.starts_with(
      "Internal error occurred: server TLS: parse the serving certificate"));
  CHECK_FALSE(configure_server_tls(nullptr, *pki));
}

TEST_CASE("server TLS: a reload sets up what changed, refuses a broken pair and keeps the "
          "one serving") {
  TempDir dir;
  auto pki = ensure_cluster_pki(dir.path(), {}, test_now());
  REQUIRE(pki);
  const PemPair ca{pki->ca_cert_pem, kactor::http::testing::read_file(dir / "ca.key")};
  auto renewed = serving_pair_signed_by(ca, "kube-apiserver", {"kubernetes.default.svc"},
                                        test_now());
  REQUIRE(renewed);
  ServingTls on_disk = api_serving_tls(*pki);
  auto reload = reload_serving_tls(api_serving_tls(*pki), [&] {
    return api::Result<ServingTls>(on_disk);
  });
  // The certificate a client is served by a context `setup` made.
  auto served = [&](const TlsSetup& setup) {
    SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    REQUIRE(ctx);
    REQUIRE(setup(ctx.get()));
    X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(ctx.get()), seconds(test_now()));
    auto client_ctx = client_context(pki->ca_cert_pem);
    auto c = handshake(ctx.get(), client_ctx.get());
    REQUIRE(c.established);
    X509Ptr peer(SSL_get1_peer_certificate(c.client.get()));
    REQUIRE(peer);
    auto expected = parse_certificate_pem(on_disk.cert_pem);
    return X509_cmp(peer.get(), expected.get()) == 0;
  };

  SECTION("nothing changed: nothing to set up") {
    auto r = reload();
    REQUIRE(r);
    CHECK_FALSE(*r);
  }
  SECTION("a renewed pair is set up once, then nothing changed") {
    on_disk.cert_pem = renewed->cert_pem;
    on_disk.key_pem = renewed->key_pem;
    auto r = reload();
    REQUIRE(r);
    REQUIRE(*r);
    CHECK(served(**r));
    auto again = reload();
    REQUIRE(again);
    CHECK_FALSE(*again);
  }
  SECTION("a certificate beside the old key is refused, and the pair serving stays") {
    on_disk.cert_pem = renewed->cert_pem;  // the key is not rewritten yet
    auto r = reload();
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("use the serving key"));
    on_disk.key_pem = renewed->key_pem;  // now it is: set up
    auto done = reload();
    REQUIRE(done);
    REQUIRE(*done);
    CHECK(served(**done));
  }
  SECTION("an unreadable file is the reader's error") {
    reload = reload_serving_tls(api_serving_tls(*pki), [] {
      return api::Result<ServingTls>(api::fail(api::bad_request("--tls-cert-file: gone")));
    });
    auto r = reload();
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "--tls-cert-file: gone");
  }
}
