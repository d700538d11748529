// serving_alt_names (declared in pki.hpp): which hosts the API server's certificate names.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "actors/http/pki.hpp"

namespace kactor::http {
namespace {

/// The names every serving certificate carries: loopback, the in-cluster names of the
/// `kubernetes` Service and its ClusterIP (the first address of the default 10.96.0.0/12).
constexpr std::array kDefaultDnsNames = {"localhost", "kubernetes", "kubernetes.default",
                                         "kubernetes.default.svc",
                                         "kubernetes.default.svc.cluster.local"};
constexpr std::array kDefaultIpAddresses = {"127.0.0.1", "::1", "10.96.0.1"};

/// The canonical text of `host` when it is an IPv4 or IPv6 address.
std::optional<std::string> canonical_ip(const std::string& host) {
  unsigned char bytes[16];
  char text[INET6_ADDRSTRLEN];
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, host.c_str(), bytes) == 1 &&
        inet_ntop(family, bytes, text, sizeof text) != nullptr) {
      return std::string(text);
    }
  }
  return std::nullopt;
}

/// RFC 1123 host names (lower-cased): labels of 1 to 63 letters, digits and inner '-', 253
/// characters at most. No wildcards: the API server has no use for one.
std::optional<std::string> canonical_dns_name(const std::string& host) {
  if (host.empty() || host.size() > 253) return std::nullopt;
  std::string out;
  size_t label_length = 0;
  for (size_t i = 0; i <= host.size(); ++i) {
    char c = i < host.size() ? host[i] : '.';
    if (c == '.') {
      if (label_length == 0 || label_length > 63 || out.back() == '-') return std::nullopt;
      label_length = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || (c == '-' && label_length > 0)) {
      ++label_length;
    } else {
      return std::nullopt;
    }
    if (i < host.size()) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

void sort_unique(std::vector<std::string>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

}  // namespace

api::Result<SubjectAltNames> serving_alt_names(const std::vector<std::string>& extra_hosts) {
  SubjectAltNames names;
  names.dns_names.assign(kDefaultDnsNames.begin(), kDefaultDnsNames.end());
  names.ip_addresses.assign(kDefaultIpAddresses.begin(), kDefaultIpAddresses.end());
  for (size_t i = 0; i < extra_hosts.size(); ++i) {
    const auto& host = extra_hosts[i];
    if (auto ip = canonical_ip(host)) {
      names.ip_addresses.push_back(*ip);
    } else if (auto dns = canonical_dns_name(host)) {
      names.dns_names.push_back(*dns);
    } else {
      return api::fail(api::bad_request("extra_hosts[" + std::to_string(i) +
                                        "]: Invalid value: \"" + host +
                                        "\": must be an IP address or a DNS name (RFC 1123)"));
    }
  }
  sort_unique(names.dns_names);
  sort_unique(names.ip_addresses);
  return names;
}

}  // namespace kactor::http
