// Making keys and certificates with OpenSSL 3: the only place the PKI creates key material.
#pragma once

#include <string>
#include <vector>

#include "actors/http/openssl_ptr.hpp"
#include "actors/http/x509_inspect.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::http::detail {

/// What a certificate is for; decides basicConstraints, keyUsage and extendedKeyUsage.
enum class CertificateRole {
  authority,  ///< CA:TRUE, keyCertSign + cRLSign: signs the others.
  server,     ///< CA:FALSE, digitalSignature, serverAuth: the API server's serving certificate.
  client,     ///< CA:FALSE, digitalSignature, clientAuth: a user's (or component's) identity.
};

/// The subject and lifetime of a certificate to issue.
struct CertificateSpec {
  std::string common_name;
  std::vector<std::string> organizations;
  SubjectAltNames alt_names;  ///< Empty for an authority or a client.
  CertificateRole role = CertificateRole::client;
  Duration lifetime{};
};

/// A new EC P-256 key pair from OpenSSL's CSPRNG.
api::Result<EvpPkeyPtr> generate_key();

/// Issues a certificate for `subject_key` as `spec` says, valid from an hour before `now` (so a
/// host whose clock runs a little behind accepts it) until `now + spec.lifetime`, with a random
/// 127-bit serial number, signed with SHA-256 by `issuer_key` as `issuer`, or self-signed when
/// `issuer` is null.
api::Result<X509Ptr> issue_certificate(const CertificateSpec& spec, EVP_PKEY* subject_key,
                                       const X509* issuer, EVP_PKEY* issuer_key, TimePoint now);

/// The PEM text ("-----BEGIN CERTIFICATE-----...") of `cert`.
api::Result<std::string> certificate_pem(const X509* cert);

/// The unencrypted PKCS#8 PEM text ("-----BEGIN PRIVATE KEY-----...") of `key`.
api::Result<std::string> private_key_pem(const EVP_PKEY* key);

}  // namespace kactor::http::detail
