#include "actors/cloud/ip_pool.hpp"

namespace kactor::cloud {

std::expected<IpPool, std::string> IpPool::create(const std::string& cidr) {
  auto parsed = api::net::parse_ipv4_cidr(cidr);
  if (!parsed) return std::unexpected("must be an IPv4 network in CIDR notation, as 172.18.255.0/24");
  if (parsed->prefix > 30)
    return std::unexpected("must hold at least one address besides network and broadcast (/30 or larger)");
  return IpPool(*parsed);
}

IpPool::IpPool(api::net::Ipv4Cidr cidr)
    : cidr_(cidr),
      first_(cidr.base + 1),
      last_(static_cast<uint32_t>(cidr.base + cidr.size() - 2)) {}

std::expected<std::string, std::string> IpPool::allocate(const std::string& wanted) {
  if (auto ip = api::net::parse_ipv4(wanted); ip && in_range(*ip) && !taken_.contains(*ip)) {
    taken_.insert(*ip);
    return api::net::format_ipv4(*ip);
  }
  // The lowest free address: walk the taken set's gaps (it is ordered).
  uint32_t candidate = first_;
  for (uint32_t t : taken_) {
    if (t != candidate) break;
    ++candidate;
  }
  if (candidate > last_ || taken_.size() >= capacity())
    return std::unexpected("no free address left in the pool " + cidr_.to_string());
  taken_.insert(candidate);
  return api::net::format_ipv4(candidate);
}

bool IpPool::is_free(const std::string& ip) const {
  auto parsed = api::net::parse_ipv4(ip);
  return parsed && in_range(*parsed) && !taken_.contains(*parsed);
}

void IpPool::release(const std::string& ip) {
  if (auto parsed = api::net::parse_ipv4(ip)) taken_.erase(*parsed);
}

}  // namespace kactor::cloud
