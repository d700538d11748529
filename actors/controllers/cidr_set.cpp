#include "actors/controllers/cidr_set.hpp"

#include "api/net/ipv4.hpp"

namespace kactor::actors::controllers {

namespace {

/// "a.b.c.d/n", host bits dropped as upstream's --cluster-cidr parsing does.
api::Result<api::net::Ipv4Cidr> parse_network(const std::string& cidr) {
  auto parsed = api::net::parse_ipv4_network(cidr);
  if (!parsed) return api::fail(api::bad_request("invalid IPv4 CIDR \"" + cidr + "\""));
  return *parsed;
}

uint32_t mask_bits(int len) {
  return len == 0 ? 0 : ~uint32_t{0} << (32 - len);
}

}  // namespace

api::Result<CidrSet> CidrSet::create(const std::string& cluster_cidr, int node_mask) {
  auto parsed = parse_network(cluster_cidr);
  if (!parsed) return api::fail(std::move(parsed.error()));
  auto [ip, mask] = *parsed;
  if (node_mask < mask || node_mask > 32 || node_mask - mask > 16)
    return api::fail(api::bad_request("node CIDR mask size " + std::to_string(node_mask) +
                                      " does not fit cluster CIDR " + cluster_cidr));
  return CidrSet(ip, mask, node_mask);
}

CidrSet::CidrSet(uint32_t base, int cluster_mask, int node_mask)
    : base_(base),
      cluster_mask_(cluster_mask),
      node_mask_(node_mask),
      used_(size_t{1} << (node_mask - cluster_mask), false) {}

api::Result<std::string> CidrSet::allocate() {
  size_t n = used_.size();
  for (size_t i = 0; i < n; ++i) {
    size_t candidate = (next_candidate_ + i) % n;
    if (used_[candidate]) continue;
    used_[candidate] = true;
    ++count_;
    next_candidate_ = (candidate + 1) % n;
    uint32_t ip = base_ + (static_cast<uint32_t>(candidate) << (32 - node_mask_));
    return api::net::format_ipv4(ip) + "/" + std::to_string(node_mask_);
  }
  return api::fail(
      api::bad_request("CIDR allocation failed; there are no remaining CIDRs left to allocate in "
                       "the accepted range"));
}

api::Result<std::pair<size_t, size_t>> CidrSet::indexes(const std::string& cidr) const {
  auto parsed = parse_network(cidr);
  if (!parsed) return api::fail(std::move(parsed.error()));
  auto [ip, mask] = *parsed;
  if (mask < cluster_mask_ || (ip & mask_bits(cluster_mask_)) != base_)
    return api::fail(api::bad_request("CIDR " + cidr + " is outside the cluster CIDR"));
  // A CIDR larger than one subnet covers several; a smaller one lies inside one.
  size_t first = (ip - base_) >> (32 - node_mask_);
  size_t count = mask < node_mask_ ? size_t{1} << (node_mask_ - mask) : 1;
  return std::pair{first, first + count};
}

api::Result<void> CidrSet::occupy(const std::string& cidr) {
  auto r = indexes(cidr);
  if (!r) return api::fail(std::move(r.error()));
  for (size_t i = r->first; i < r->second; ++i)
    if (!used_[i]) {
      used_[i] = true;
      ++count_;
    }
  return {};
}

api::Result<void> CidrSet::release(const std::string& cidr) {
  auto r = indexes(cidr);
  if (!r) return api::fail(std::move(r.error()));
  for (size_t i = r->first; i < r->second; ++i)
    if (used_[i]) {
      used_[i] = false;
      --count_;
    }
  return {};
}

}  // namespace kactor::actors::controllers
