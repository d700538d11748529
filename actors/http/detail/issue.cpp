#include "actors/http/detail/issue.hpp"

#include <array>
#include <chrono>
#include <utility>
#include <vector>

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

namespace kactor::http::detail {
namespace {

using namespace std::chrono_literals;

/// Issued certificates start this long before `now`, for hosts whose clocks lag a little.
constexpr Duration kBackdate = 1h;

api::Status crypto_error(std::string_view step) {
  return api::internal_error(openssl_error(step));
}

/// A random positive serial number of 127 bits (RFC 5280 allows up to 20 octets; random
/// serials keep two issuances from ever sharing one, even across re-created PKIs).
api::Result<Asn1IntegerPtr> random_serial() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return api::fail(crypto_error("serial number: RAND_bytes"));
  }
  bytes[0] &= 0x7f;  // positive
  bytes[0] |= 0x40;  // and never zero or short
  BignumPtr number(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  if (!number) return api::fail(crypto_error("serial number: BN_bin2bn"));
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(number.get(), nullptr));
  if (!serial) return api::fail(crypto_error("serial number: BN_to_ASN1_INTEGER"));
  return serial;
}

bool set_time(ASN1_TIME* field, TimePoint when) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(when).time_since_epoch().count();
  return ASN1_TIME_set(field, static_cast<time_t>(seconds)) != nullptr;
}

api::Result<void> add_name_entry(X509_NAME* name, const char* field, const std::string& value) {
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                 0) != 1) {
    return api::fail(crypto_error(std::string("subject ") + field + "=" + value));
  }
  return {};
}

/// Adds the extension `nid` = `value` (OpenSSL's config syntax, "critical,CA:TRUE").
api::Result<void> add_extension(X509* cert, X509V3_CTX* context, int nid,
                                const std::string& value) {
  X509ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, context, nid, value.c_str()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return api::fail(crypto_error(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value));
  }
  return {};
}

std::string alt_names_text(const SubjectAltNames& names) {
  std::string text;
  for (const auto& dns : names.dns_names) text += (text.empty() ? "DNS:" : ",DNS:") + dns;
  for (const auto& ip : names.ip_addresses) text += (text.empty() ? "IP:" : ",IP:") + ip;
  return text;
}

api::Result<void> add_extensions(X509* cert, const X509* issuer, const CertificateSpec& spec) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, const_cast<X509*>(issuer != nullptr ? issuer : cert), cert, nullptr,
                 nullptr, 0);
  // (extension, value in OpenSSL's config syntax), in the order they are added.
  std::vector<std::pair<int, std::string>> extensions;
  if (spec.role == CertificateRole::authority) {
    extensions = {{NID_basic_constraints, "critical,CA:TRUE"},
                  {NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"},
                  {NID_subject_key_identifier, "hash"}};
  } else {
    extensions = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_ext_key_usage, spec.role == CertificateRole::server ? "serverAuth" : "clientAuth"},
        {NID_authority_key_identifier, "keyid"}};
  }
  if (!(spec.alt_names == SubjectAltNames{})) {
    extensions.emplace_back(NID_subject_alt_name, alt_names_text(spec.alt_names));
  }
  for (const auto& [nid, value] : extensions) {
    if (auto ok = add_extension(cert, &context, nid, value); !ok) return ok;
  }
  return {};
}

}  // namespace

api::Result<EvpPkeyPtr> generate_key() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return api::fail(crypto_error("generate EC P-256 key"));
  return key;
}

api::Result<X509Ptr> issue_certificate(const CertificateSpec& spec, EVP_PKEY* subject_key,
                                       const X509* issuer, EVP_PKEY* issuer_key, TimePoint now) {
  X509Ptr cert(X509_new());
  if (!cert) return api::fail(crypto_error("X509_new"));
  auto serial = random_serial();
  if (!serial) return api::fail(serial.error());
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(cert.get(), serial->get()) != 1 ||
      !set_time(X509_getm_notBefore(cert.get()), now - kBackdate) ||
      !set_time(X509_getm_notAfter(cert.get()), now + spec.lifetime) ||
      X509_set_pubkey(cert.get(), subject_key) != 1) {
    return api::fail(crypto_error("certificate " + spec.common_name + ": fields"));
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  for (const auto& organization : spec.organizations) {
    if (auto ok = add_name_entry(subject, "O", organization); !ok) return api::fail(ok.error());
  }
  if (auto ok = add_name_entry(subject, "CN", spec.common_name); !ok) {
    return api::fail(ok.error());
  }
  const X509_NAME* issuer_name = issuer != nullptr ? X509_get_subject_name(issuer) : subject;
  if (X509_set_issuer_name(cert.get(), issuer_name) != 1) {
    return api::fail(crypto_error("certificate " + spec.common_name + ": issuer"));
  }
  if (auto ok = add_extensions(cert.get(), issuer, spec); !ok) return api::fail(ok.error());
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) {
    return api::fail(crypto_error("certificate " + spec.common_name + ": sign"));
  }
  return cert;
}

api::Result<std::string> certificate_pem(const X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return api::fail(crypto_error("encode certificate as PEM"));
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

api::Result<std::string> private_key_pem(const EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return api::fail(crypto_error("encode private key as PEM"));
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace kactor::http::detail
