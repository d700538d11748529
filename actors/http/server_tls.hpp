// The TLS settings of the API server's HTTPS listener, applied to an OpenSSL SSL_CTX.
#pragma once

#include <openssl/ssl.h>

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "actors/http/pki.hpp"
#include "actors/http/server.hpp"
#include "api/status.hpp"

namespace kactor::http {

/// Configures `ctx` (e.g. boost::asio::ssl::context::native_handle()) to serve the API:
///  - the serving certificate and key of `pki` (checked to match);
///  - TLS 1.2 and 1.3 only; for 1.2 only ECDHE key exchange with AEAD ciphers;
///  - client certificates requested and, when sent, verified against the cluster CA alone (not
///    the system's trust store), but optional, so bearer-token clients connect too: a
///    certificate that does not verify fails the handshake, none at all does not;
///  - no renegotiation; a session id context, which OpenSSL requires to resume sessions of
///    connections that present a client certificate.
/// Its own file rather than auth.hpp: it is about the transport, authentication only reads
/// its result (Authenticator::from_peer_certificate). InternalError naming the step on failure.
api::Result<void> configure_server_tls(SSL_CTX* ctx, const ClusterPki& pki);

/// What any HTTPS listener of kactor serves with (the API server's, the kubelet's), as PEM.
struct ServingTls {
  std::string cert_pem;
  std::string key_pem;
  /// Client certificates are requested and verified against this CA alone; empty: none asked
  /// for (every client is anonymous).
  std::string client_ca_pem;
  /// OpenSSL's session id context (one per kind of listener).
  std::string session_id_context = "kactor-apiserver";
  /// Certificates by server name: a client whose SNI names one of these gets that pair, any
  /// other (or none) the one above. A `kactor node` listener serves each of its nodes with
  /// the node's own serving certificate this way.
  std::map<std::string, PemPair> by_server_name;
  bool operator==(const ServingTls&) const = default;
};

/// What the API server's listener serves with from its PKI (configure_server_tls's parts).
ServingTls api_serving_tls(const ClusterPki& pki);

/// The one TLS setup behind configure_server_tls: the same rules, from parts.
api::Result<void> configure_serving_tls(SSL_CTX* ctx, const ServingTls& tls);

/// A ServerOptions::reload_tls for a listener whose material `read` gets afresh (from its
/// files): the setup of what it read whenever that differs from what serves now (`current` at
/// first). What does not set up (a key that is not its certificate's: a pair caught half
/// rewritten) is an error and leaves `current` serving, so the next call tries again.
std::function<api::Result<std::optional<TlsSetup>>()> reload_serving_tls(
    ServingTls current, std::function<api::Result<ServingTls>()> read);

}  // namespace kactor::http
