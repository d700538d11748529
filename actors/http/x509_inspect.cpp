#include "actors/http/x509_inspect.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "actors/http/openssl_ptr.hpp"

namespace kactor::http {
namespace {

/// The UTF-8 text of every entry of `nid` in the subject name, in order.
std::vector<std::string> subject_entries(const X509* cert, int nid) {
  std::vector<std::string> out;
  const X509_NAME* name = X509_get_subject_name(cert);
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) {
      ERR_clear_error();
      continue;
    }
    out.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
    OPENSSL_free(utf8);
  }
  return out;
}

void sort_unique(std::vector<std::string>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

}  // namespace

std::optional<std::string> subject_common_name(const X509* cert) {
  auto names = subject_entries(cert, NID_commonName);
  if (names.size() != 1 || names.front().empty()) return std::nullopt;
  return names.front();
}

std::vector<std::string> subject_organizations(const X509* cert) {
  return subject_entries(cert, NID_organizationName);
}

SubjectAltNames subject_alt_names(const X509* cert) {
  SubjectAltNames out;
  GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* dns = name->d.dNSName;
      std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                       static_cast<size_t>(ASN1_STRING_length(dns)));
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      out.dns_names.push_back(std::move(text));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      int length = ASN1_STRING_length(ip);
      int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : -1;
      char text[INET6_ADDRSTRLEN];
      if (family < 0 ||
          inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof text) == nullptr) {
        continue;
      }
      out.ip_addresses.emplace_back(text);
    }
  }
  sort_unique(out.dns_names);
  sort_unique(out.ip_addresses);
  return out;
}

bool expires_before(const X509* cert, TimePoint instant) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(instant).time_since_epoch().count();
  Asn1TimePtr when(ASN1_TIME_set(nullptr, static_cast<time_t>(seconds)));
  // Fail safe: a time that cannot be compared counts as expired, which re-issues the certificate.
  if (!when) return true;
  return ASN1_TIME_compare(X509_get0_notAfter(cert), when.get()) < 0;
}

bool is_signed_by(const X509* cert, const X509* ca) {
  if (X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(ca)) != 0) return false;
  EVP_PKEY* ca_key = X509_get0_pubkey(ca);
  // X509_verify takes a non-const X509 in OpenSSL 3.0 though it does not modify it.
  bool ok = ca_key != nullptr && X509_verify(const_cast<X509*>(cert), ca_key) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace kactor::http
