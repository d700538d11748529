#include "actors/apiserver/allocators/range_allocators.hpp"

#include <algorithm>

namespace kactor::apiserver::allocators {

// -- IpAllocator ------------------------------------------------------------------------

api::Result<IpAllocator> IpAllocator::create(const std::string& cidr_text) {
  auto cidr = api::net::parse_ipv4_cidr(cidr_text);
  if (!cidr) return api::fail(api::bad_request("invalid service CIDR \"" + cidr_text + "\""));
  if (cidr->prefix < 8 || cidr->prefix > 30)
    return api::fail(api::bad_request("service CIDR \"" + cidr_text +
                                      "\" must have a prefix between /8 and /30"));
  const uint64_t full = cidr->size();
  // Upstream computes the band from the whole CIDR size, network and broadcast included.
  uint64_t offset = 0;
  if (full > 16) offset = std::clamp<uint64_t>(full / 16, 16, 256);
  return IpAllocator(*cidr, static_cast<uint32_t>(full - 2), static_cast<uint32_t>(offset));
}

std::optional<uint32_t> IpAllocator::index_of(const std::string& ip) const {
  auto parsed = api::net::parse_ipv4(ip);
  if (!parsed || !cidr_.contains(*parsed)) return std::nullopt;
  uint64_t host = *parsed - cidr_.base;
  if (host == 0 || host >= cidr_.size() - 1) return std::nullopt;  // network, broadcast
  return static_cast<uint32_t>(host - 1);
}

bool IpAllocator::has(const std::string& ip) const {
  auto i = index_of(ip);
  return i && bitmap_.has(*i);
}

std::optional<AllocError> IpAllocator::allocate(const std::string& ip) {
  auto i = index_of(ip);
  if (!i) return AllocError::not_in_range;
  if (!bitmap_.allocate(*i)) return AllocError::already_allocated;
  return std::nullopt;
}

std::optional<std::string> IpAllocator::allocate_next(Random& random) {
  auto i = bitmap_.allocate_next(random);
  if (!i) return std::nullopt;
  return api::net::format_ipv4(cidr_.base + 1 + *i);
}

void IpAllocator::release(const std::string& ip) {
  if (auto i = index_of(ip)) bitmap_.release(*i);
}

// -- PortAllocator ----------------------------------------------------------------------

api::Result<PortAllocator> PortAllocator::create(int32_t min, int32_t max) {
  if (min < 1 || max > 65535 || min > max)
    return api::fail(api::bad_request("invalid node port range " + std::to_string(min) + "-" +
                                      std::to_string(max)));
  const uint32_t size = static_cast<uint32_t>(max - min + 1);
  uint32_t offset = size < 16 ? 0 : std::clamp<uint32_t>(size / 32, 16, 128);
  return PortAllocator(min, max, offset);
}

bool PortAllocator::has(int32_t port) const {
  return port >= min_ && port <= max_ && bitmap_.has(static_cast<uint32_t>(port - min_));
}

std::string PortAllocator::range_string() const {
  return std::to_string(min_) + "-" + std::to_string(max_);
}

std::optional<AllocError> PortAllocator::allocate(int32_t port) {
  if (port < min_ || port > max_) return AllocError::not_in_range;
  if (!bitmap_.allocate(static_cast<uint32_t>(port - min_))) return AllocError::already_allocated;
  return std::nullopt;
}

std::optional<int32_t> PortAllocator::allocate_next(Random& random) {
  auto i = bitmap_.allocate_next(random);
  if (!i) return std::nullopt;
  return min_ + static_cast<int32_t>(*i);
}

void PortAllocator::release(int32_t port) {
  if (port >= min_ && port <= max_) bitmap_.release(static_cast<uint32_t>(port - min_));
}

}  // namespace kactor::apiserver::allocators
