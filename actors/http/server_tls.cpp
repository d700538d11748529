#include "actors/http/server_tls.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "actors/http/openssl_ptr.hpp"

namespace kactor::http {
namespace {

/// TLS 1.2 suites: forward secrecy and AEAD only, ECDSA first (the serving key is EC P-256).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";

api::Status tls_error(std::string_view step) {
  return api::internal_error(openssl_error("server TLS: " + std::string(step)));
}

/// The parsed pairs of ServingTls::by_server_name, owned by the SSL_CTX they serve (freed
/// with it through the ex-data slot's free callback).
struct ServerNameCertificates {
  std::map<std::string, std::pair<X509Ptr, EvpPkeyPtr>, std::less<>> pairs;
};

int server_name_slot() {
  static const int slot = SSL_CTX_get_ex_new_index(
      0, nullptr, nullptr, nullptr,
      [](void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
        delete static_cast<ServerNameCertificates*>(ptr);
      });
  return slot;
}

/// OpenSSL's certificate callback, run once the ClientHello (with its SNI) has been read: puts
/// the server name's own pair on the connection. 1 also when the name has none (the context's
/// default pair serves), 0 (handshake failure) only when OpenSSL refuses the pair.
int use_server_name_certificate(SSL* ssl, void*) {
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return 1;
  const auto* table = static_cast<const ServerNameCertificates*>(
      SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), server_name_slot()));
  if (table == nullptr) return 1;
  auto it = table->pairs.find(std::string_view(name));
  if (it == table->pairs.end()) return 1;
  // Replace the default pair rather than add beside it (a pair of another key type would
  // otherwise leave OpenSSL free to pick the default).
  SSL_certs_clear(ssl);
  if (SSL_use_certificate(ssl, it->second.first.get()) != 1 ||
      SSL_use_PrivateKey(ssl, it->second.second.get()) != 1)
    return 0;
  return 1;
}

api::Result<void> use_server_name_certificates(SSL_CTX* ctx,
                                               const std::map<std::string, PemPair>& pairs) {
  auto table = std::make_unique<ServerNameCertificates>();
  for (const auto& [name, pem] : pairs) {
    auto cert = parse_certificate_pem(pem.cert_pem);
    if (!cert) return api::fail(tls_error("parse the serving certificate of \"" + name + "\""));
    auto key = parse_private_key_pem(pem.key_pem);
    if (!key) return api::fail(tls_error("parse the serving key of \"" + name + "\""));
    if (X509_check_private_key(cert.get(), key.get()) != 1)
      return api::fail(tls_error("the serving key of \"" + name + "\" is not its certificate's"));
    table->pairs.emplace(name, std::make_pair(std::move(cert), std::move(key)));
  }
  if (SSL_CTX_set_ex_data(ctx, server_name_slot(), table.get()) != 1)
    return api::fail(tls_error("certificates by server name"));
  table.release();  // the context owns it now
  SSL_CTX_set_cert_cb(ctx, use_server_name_certificate, nullptr);
  return {};
}

}  // namespace

ServingTls api_serving_tls(const ClusterPki& pki) {
  return ServingTls{pki.server_cert_pem, pki.server_key_pem, pki.ca_cert_pem, "kactor-apiserver"};
}

api::Result<void> configure_server_tls(SSL_CTX* ctx, const ClusterPki& pki) {
  return configure_serving_tls(ctx, api_serving_tls(pki));
}

api::Result<void> configure_serving_tls(SSL_CTX* ctx, const ServingTls& tls) {
  if (ctx == nullptr) return api::fail(api::internal_error("server TLS: no SSL_CTX"));
  auto cert = parse_certificate_pem(tls.cert_pem);
  if (!cert) return api::fail(tls_error("parse the serving certificate"));
  auto key = parse_private_key_pem(tls.key_pem);
  if (!key) return api::fail(tls_error("parse the serving key"));
  X509Ptr ca;
  if (!tls.client_ca_pem.empty()) {
    ca = parse_certificate_pem(tls.client_ca_pem);
    if (!ca) return api::fail(tls_error("parse the CA certificate"));
  }

  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return api::fail(tls_error("minimum version TLS 1.2"));
  }
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    return api::fail(tls_error("TLS 1.2 cipher list"));
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate(ctx, cert.get()) != 1) {
    return api::fail(tls_error("use the serving certificate"));
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return api::fail(tls_error("use the serving key"));
  }
  if (!tls.by_server_name.empty()) {
    if (auto ok = use_server_name_certificates(ctx, tls.by_server_name); !ok) return ok;
  }
  // Acknowledge the client's server name, so OpenSSL keeps it in the session: a resumed
  // TLS 1.2 session then still names the node a kubelet listener routes by.
  SSL_CTX_set_tlsext_servername_callback(ctx, +[](SSL*, int*, void*) { return SSL_TLSEXT_ERR_OK; });

  if (!ca) return {};  // no client certificates asked for
  // A store of its own holding the CA alone: a client certificate from any other authority,
  // public ones included, is refused.
  X509StorePtr store(X509_STORE_new());
  if (!store || X509_STORE_add_cert(store.get(), ca.get()) != 1) {
    return api::fail(tls_error("trust store with the cluster CA"));
  }
  SSL_CTX_set_cert_store(ctx, store.release());  // the context owns it now
  // The CA's name in the CertificateRequest: clients (Go's crypto/tls among them) pick the
  // certificate to send by it.
  if (SSL_CTX_add_client_CA(ctx, ca.get()) != 1) {
    return api::fail(tls_error("client CA list"));
  }
  // SSL_VERIFY_PEER without SSL_VERIFY_FAIL_IF_NO_PEER_CERT: asked for, optional.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_verify_depth(ctx, 1);  // leaf signed directly by the CA
  const auto* sid = reinterpret_cast<const unsigned char*>(tls.session_id_context.data());
  if (SSL_CTX_set_session_id_context(ctx, sid,
                                     static_cast<unsigned>(tls.session_id_context.size())) != 1) {
    return api::fail(tls_error("session id context"));
  }
  return {};
}

std::function<api::Result<std::optional<TlsSetup>>()> reload_serving_tls(
    ServingTls current, std::function<api::Result<ServingTls>()> read) {
  auto serving = std::make_shared<ServingTls>(std::move(current));
  // Called on the server's acceptor strand only: no lock.
  return [serving, read = std::move(read)]() -> api::Result<std::optional<TlsSetup>> {
    auto fresh = read();
    if (!fresh) return api::fail(fresh.error());
    if (*fresh == *serving) return std::optional<TlsSetup>{};
    SslCtxPtr trial(SSL_CTX_new(TLS_server_method()));
    if (!trial) return api::fail(tls_error("a context to check the new certificates in"));
    if (auto ok = configure_serving_tls(trial.get(), *fresh); !ok) return api::fail(ok.error());
    *serving = *fresh;
    return std::optional<TlsSetup>{
        [tls = std::move(*fresh)](SSL_CTX* ctx) { return configure_serving_tls(ctx, tls); }};
  };
}

}  // namespace kactor::http
