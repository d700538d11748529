// The application-level identity proof of a role process's connection (docs/multi-host.md
// "Security"). CAF's OpenSSL module verifies each side's certificate against the cluster CA
// but tells the actors nothing about it, so the connecting process proves again, over the
// verified channel, who it is: for each identity it holds, the certificate and a signature of
// the gate's challenge (peer_challenge(): nonce and both CAF node ids) by that certificate's key.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/http/exchange.hpp"  // UserInfo
#include "actors/http/openssl_ptr.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::remote::tls {

/// A certificate and its private key, parsed, with the certificate's PEM text.
struct Identity {
  http::X509Ptr cert;
  http::EvpPkeyPtr key;
  std::string cert_pem;
};

/// The proof for `challenge` by every identity (JSON: {"identities": [{"certificate": PEM,
/// "signature": hex of an ECDSA/RSA SHA-256 signature}]}). InternalError when signing fails.
api::Result<std::string> make_proof(const std::vector<Identity>& identities,
                                    const std::string& challenge);

/// What a connecting process answers every challenge with (RemoteOptions::prove): the proof
/// by all of `identities`, which it keeps.
std::function<api::Result<std::string>(const std::string& challenge)> prover(
    std::vector<Identity> identities);

/// As prover(), but reads the identities again with `load` before each proof, so that
/// certificates renewed on disk prove the connections made after (CAF's OpenSSL module reads
/// its files for each connection too). When `load` fails (a pair caught half rewritten, an
/// expired file) the identities that proved last prove again, and `on_error` hears why.
std::function<api::Result<std::string>(const std::string& challenge)> reloading_prover(
    std::vector<Identity> identities, std::function<api::Result<std::vector<Identity>>()> load,
    std::function<void(const api::Status&)> on_error);

/// The users a proof establishes: each certificate must chain to `ca` (X509_verify_cert at
/// `now`: validity period, clientAuth usage) and its signature of `challenge` must verify with
/// its public key. The user is named by the subject (CN the name, each O a group), as the HTTP
/// API's x509 authenticator reads it. Unauthorized (401) naming the failing entry
/// ("identities[1]: ...") when anything does not hold; at least one identity is required.
api::Result<std::vector<http::UserInfo>> verify_proof(const std::string& proof,
                                                      const std::string& challenge,
                                                      const X509* ca, TimePoint now);

/// A 401 Unauthorized Status with `message`.
api::Status unauthorized(const std::string& message);

}  // namespace kactor::remote::tls
