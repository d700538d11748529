// The two allocators behind Services: ClusterIPs out of the service CIDR and NodePorts out
// of the node port range. Both are bitmaps with upstream's static/dynamic split.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "actors/apiserver/allocators/bitmap.hpp"
#include "api/net/ipv4.hpp"
#include "api/status.hpp"
#include "api/util/random.hpp"

namespace kactor::apiserver::allocators {

/// Why a specific request could not be served.
enum class AllocError : uint8_t { already_allocated, not_in_range, full };

/// ClusterIPs of one IPv4 service CIDR. The network and broadcast addresses are never
/// handed out: item i of the bitmap is address base + 1 + i.
class IpAllocator {
 public:
  /// Fails (400-style Status) on an unparsable CIDR, IPv6, or a prefix shorter than /8.
  static api::Result<IpAllocator> create(const std::string& cidr);

  const api::net::Ipv4Cidr& cidr() const { return cidr_; }
  /// Lower band size: min(max(16, size/16), 256), or 0 for CIDRs of 16 addresses or fewer.
  uint32_t offset() const { return bitmap_.offset(); }
  uint32_t used() const { return bitmap_.used(); }
  bool has(const std::string& ip) const;

  /// Takes a specific address.
  std::optional<AllocError> allocate(const std::string& ip);
  /// Takes a free address (upper band first, random start).
  std::optional<std::string> allocate_next(Random& random);
  /// Gives an address back; no effect for addresses outside the range or free ones.
  void release(const std::string& ip);

 private:
  IpAllocator(api::net::Ipv4Cidr cidr, uint32_t size, uint32_t offset)
      : cidr_(cidr), bitmap_(size, offset) {}
  /// The bitmap index of `ip`, if it is a usable address of the range.
  std::optional<uint32_t> index_of(const std::string& ip) const;

  api::net::Ipv4Cidr cidr_;
  Bitmap bitmap_;
};

/// NodePorts of [min, max]. Lower band: min(max(16, size/32), 128), 0 below 16 ports.
class PortAllocator {
 public:
  static api::Result<PortAllocator> create(int32_t min, int32_t max);

  int32_t min() const { return min_; }
  int32_t max() const { return max_; }
  uint32_t offset() const { return bitmap_.offset(); }
  uint32_t used() const { return bitmap_.used(); }
  bool has(int32_t port) const;
  /// "30000-32767", as upstream prints the range.
  std::string range_string() const;

  std::optional<AllocError> allocate(int32_t port);
  std::optional<int32_t> allocate_next(Random& random);
  void release(int32_t port);

 private:
  PortAllocator(int32_t min, int32_t max, uint32_t offset)
      : min_(min), max_(max), bitmap_(static_cast<uint32_t>(max - min + 1), offset) {}

  int32_t min_;
  int32_t max_;
  Bitmap bitmap_;
};

}  // namespace kactor::apiserver::allocators
