// A bitmap of equal-sized IPv4 subnets cut from one cluster CIDR (upstream nodeipam
// cidrset): allocation scans cyclically from the next candidate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/status.hpp"

namespace kactor::actors::controllers {

class CidrSet {
 public:
  /// `cluster_cidr` like "10.244.0.0/16", `node_mask` like 24 (cluster mask ≤ node mask ≤ 32,
  /// at most 2^16 subnets). BadRequest otherwise (IPv6 is not supported).
  static api::Result<CidrSet> create(const std::string& cluster_cidr, int node_mask);

  /// The next free subnet ("10.244.3.0/24"); BadRequest when none is left.
  api::Result<std::string> allocate();
  /// Marks `cidr` used (a node that already has it). BadRequest if outside the range.
  api::Result<void> occupy(const std::string& cidr);
  /// Frees `cidr` (no-op if it was free).
  api::Result<void> release(const std::string& cidr);

  size_t capacity() const { return used_.size(); }
  size_t allocated() const { return count_; }

 private:
  CidrSet(uint32_t base, int cluster_mask, int node_mask);
  /// Range of subnet indexes `cidr` covers.
  api::Result<std::pair<size_t, size_t>> indexes(const std::string& cidr) const;

  uint32_t base_;
  int cluster_mask_;
  int node_mask_;
  std::vector<bool> used_;
  size_t count_ = 0;
  size_t next_candidate_ = 0;
};

}  // namespace kactor::actors::controllers
