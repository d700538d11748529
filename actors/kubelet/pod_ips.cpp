#include "actors/kubelet/pod_ips.hpp"

#include <charconv>

namespace kactor::kubelet {

std::optional<uint32_t> parse_ipv4(const std::string& text) {
  uint32_t ip = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
    unsigned v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next == p || v > 255) return std::nullopt;
    p = next;
    ip = (ip << 8) | v;
  }
  if (p != end) return std::nullopt;
  return ip;
}

std::string format_ipv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
         std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

api::Result<void> PodIpAllocator::set_cidr(const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos)
    return api::fail(api::bad_request("invalid pod CIDR \"" + cidr + "\": no prefix length"));
  auto base = parse_ipv4(cidr.substr(0, slash));
  unsigned prefix = 0;
  auto tail = std::string_view(cidr).substr(slash + 1);
  auto [next, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), prefix);
  if (!base || ec != std::errc() || next != tail.data() + tail.size() || prefix < 8 || prefix > 30)
    return api::fail(api::bad_request("invalid pod CIDR \"" + cidr + "\""));
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  uint32_t network = *base & mask;
  uint32_t total = uint32_t{1} << (32 - prefix);
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
  auto text = format_ipv4(candidate);
  by_owner_[owner] = text;
  return text;
}

bool PodIpAllocator::claim(const std::string& owner, const std::string& ip) {
  if (auto it = by_owner_.find(owner); it != by_owner_.end()) return it->second == ip;
  auto addr = parse_ipv4(ip);
  if (!addr || *addr < first_ || *addr >= first_ + size_ || used_.count(*addr)) return false;
  used_.insert(*addr);
  by_owner_[owner] = format_ipv4(*addr);
  return true;
}

void PodIpAllocator::release(const std::string& owner) {
  auto it = by_owner_.find(owner);
  if (it == by_owner_.end()) return;
  if (auto ip = parse_ipv4(it->second)) used_.erase(*ip);
  by_owner_.erase(it);
}

}  // namespace kactor::kubelet
