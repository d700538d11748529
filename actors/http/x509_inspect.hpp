// What a certificate says about its subject: the names that authentication and the PKI's
// "does this certificate still fit" checks read. Pure functions over OpenSSL's X509.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <openssl/x509.h>

#include "api/time/clock.hpp"

namespace kactor::http {

/// The subjectAltName entries of a certificate, normalized so that two sets compare equal when
/// they name the same hosts: DNS names lower-case, IP addresses in inet_ntop's canonical text
/// ("::1", not "0:0:0:0:0:0:0:1"), both sorted and without duplicates.
struct SubjectAltNames {
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  bool operator==(const SubjectAltNames&) const = default;
};

/// The subject's commonName, nullopt when there is none, more than one, or it is empty.
std::optional<std::string> subject_common_name(const X509* cert);

/// The subject's organization (O) entries in order: Kubernetes reads them as the groups.
std::vector<std::string> subject_organizations(const X509* cert);

/// The subjectAltName DNS and IP entries (other kinds ignored), normalized as described above.
SubjectAltNames subject_alt_names(const X509* cert);

/// True when the certificate's notAfter is before `instant`.
bool expires_before(const X509* cert, TimePoint instant);

/// True when `cert` names `ca`'s subject as its issuer and carries a valid signature by `ca`'s
/// key (one link of a chain; validity periods and usages are not checked here).
bool is_signed_by(const X509* cert, const X509* ca);

}  // namespace kactor::http
