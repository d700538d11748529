// Pod IP addresses from the node's pod CIDR: each pod gets a unique address, freed when
// the pod goes. Plain data, no CAF: the kubelet actor owns one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "api/status.hpp"

namespace kactor::kubelet {

class PodIpAllocator {
 public:
  /// Sets the range ("10.244.1.0/24", prefix 8..30). The network address and the gateway
  /// (.1, the first host) are never handed out, nor the broadcast address.
  api::Result<void> set_cidr(const std::string& cidr);
  bool has_cidr() const { return size_ > 0; }
  const std::string& cidr() const { return cidr_; }

  /// The address of `owner` (a pod uid): its existing one, else the lowest free one;
  /// nullopt when the range is exhausted or unset. Lowest-free makes reuse deterministic.
  std::optional<std::string> allocate(const std::string& owner);
  /// Gives `owner` the address `ip` it held before (a restarted kubelet keeps its pods'
  /// addresses); false if `ip` is outside the range or another owner has it.
  bool claim(const std::string& owner, const std::string& ip);
  /// Frees `owner`'s address (no-op if it has none).
  void release(const std::string& owner);
  /// owner -> address, for the kubelet's state report.
  const std::map<std::string, std::string>& in_use() const { return by_owner_; }

 private:
  std::string cidr_;
  uint32_t first_ = 0;  // first assignable address
  uint32_t size_ = 0;   // number of assignable addresses
  std::set<uint32_t> used_;
  std::map<std::string, std::string> by_owner_;
};

}  // namespace kactor::kubelet
