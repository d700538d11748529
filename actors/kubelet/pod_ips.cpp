#include "actors/kubelet/pod_ips.hpp"

#include "api/net/ipv4.hpp"

namespace kactor::kubelet {

api::Result<void> PodIpAllocator::set_cidr(const std::string& cidr) {
  auto parsed = api::net::parse_ipv4_network(cidr);  // host bits dropped, as before
  if (!parsed || parsed->prefix < 8 || parsed->prefix > 30)
    return api::fail(api::bad_request("invalid pod CIDR \"" + cidr + "\""));
  uint32_t network = parsed->base;
  auto total = static_cast<uint32_t>(parsed->size());
  cidr_ = cidr;
  first_ = network + 2;  // skip the network address and the gateway
  size_ = total - 3;     // and the broadcast address
  used_.clear();
  by_owner_.clear();
  return {};
}

std::optional<std::string> PodIpAllocator::allocate(const std::string& owner) {
  if (auto it = by_owner_.find(owner); it != by_owner_.end()) return it->second;
  if (size_ == 0) return std::nullopt;
  // used_ is ordered: the first gap is the lowest free address.
  uint32_t candidate = first_;
  for (uint32_t ip : used_) {
    if (ip != candidate) break;
    ++candidate;
  }
  if (candidate >= first_ + size_) return std::nullopt;
  used_.insert(candidate);
  auto text = api::net::format_ipv4(candidate);
  by_owner_[owner] = text;
  return text;
}

bool PodIpAllocator::claim(const std::string& owner, const std::string& ip) {
  if (auto it = by_owner_.find(owner); it != by_owner_.end()) return it->second == ip;
  auto addr = api::net::parse_ipv4(ip);
  if (!addr || *addr < first_ || *addr >= first_ + size_ || used_.count(*addr)) return false;
  used_.insert(*addr);
  by_owner_[owner] = api::net::format_ipv4(*addr);
  return true;
}

void PodIpAllocator::release(const std::string& owner) {
  auto it = by_owner_.find(owner);
  if (it == by_owner_.end()) return;
  if (auto ip = api::net::parse_ipv4(it->second)) used_.erase(*ip);
  by_owner_.erase(it);
}

}  // namespace kactor::kubelet
