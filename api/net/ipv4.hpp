// IPv4 addresses and CIDRs as plain integers: parsing and printing, shared by the
// ClusterIP allocator, node IPAM, the kubelet's pod addresses and the proxy's routing view.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kactor::api::net {

/// Parses dotted-quad IPv4 ("10.96.0.1"); nullopt for anything else (IPv6 included).
std::optional<uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(uint32_t ip);

/// An IPv4 network: `base` has no host bits set.
struct Ipv4Cidr {
  uint32_t base = 0;
  int prefix = 32;

  /// Number of addresses, network and broadcast included (2^(32-prefix)).
  uint64_t size() const { return uint64_t{1} << (32 - prefix); }
  bool contains(uint32_t ip) const;
  std::string to_string() const;
};

/// Parses "10.96.0.0/12". Host bits must be zero, as upstream's net.ParseCIDR keeps the
/// network only; we refuse rather than silently masking.
std::optional<Ipv4Cidr> parse_ipv4_cidr(std::string_view text);
/// The same, dropping host bits as Go's net.ParseCIDR does ("10.244.1.0/16" is 10.244.0.0/16),
/// for flags like --cluster-cidr that upstream accepts so.
std::optional<Ipv4Cidr> parse_ipv4_network(std::string_view text);

}  // namespace kactor::api::net
