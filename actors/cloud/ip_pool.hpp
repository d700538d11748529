// The simulated cloud's pool of ingress addresses (no CAF): every usable address of a CIDR
// (not its network and broadcast addresses), handed out lowest first, or a wanted one.
#pragma once

#include <cstdint>
#include <expected>
#include <set>
#include <string>

#include "api/net/ipv4.hpp"

namespace kactor::cloud {

class IpPool {
 public:
  /// Refuses a CIDR that is not an IPv4 network or has no usable address (/31, /32).
  static std::expected<IpPool, std::string> create(const std::string& cidr);

  /// `wanted` if it is in the pool and free, else the lowest free address (a wanted address
  /// outside the pool or taken is ignored); an error when none is free.
  std::expected<std::string, std::string> allocate(const std::string& wanted = "");
  /// Whether `ip` could be allocated now.
  bool is_free(const std::string& ip) const;
  /// Gives `ip` back (no-op for one not taken).
  void release(const std::string& ip);

  size_t free_count() const { return capacity() - taken_.size(); }
  size_t capacity() const { return last_ - first_ + 1; }
  std::string cidr() const { return cidr_.to_string(); }

 private:
  explicit IpPool(api::net::Ipv4Cidr cidr);
  bool in_range(uint32_t ip) const { return ip >= first_ && ip <= last_; }

  api::net::Ipv4Cidr cidr_;
  uint32_t first_ = 0, last_ = 0;
  std::set<uint32_t> taken_;
};

}  // namespace kactor::cloud
