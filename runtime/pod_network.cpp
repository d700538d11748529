#include "runtime/pod_network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "api/net/ipv4.hpp"

namespace kactor::runtime {

namespace {

/// Node IPAM tracks at most 2^16 subnets of one pod network (upstream cidrset's limit on
/// node mask − cluster mask).
constexpr int kMaxSubnetBits = 16;

/// Bits of subnet index needed for `nodes` subnets: the least b with 2^b ≥ nodes.
int subnet_bits(size_t nodes) {
  int bits = 0;
  while (bits < 64 && (uint64_t{1} << bits) < nodes) ++bits;
  return bits;
}

uint32_t mask_of(int prefix) {
  return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
}

bool overlap(const api::net::Ipv4Cidr& a, const api::net::Ipv4Cidr& b) {
  return a.contains(b.base) || b.contains(a.base);
}

/// What a pod network too small for `nodes` should grow to, in words.
std::string what_fits(size_t nodes, int node_mask) {
  int bits = subnet_bits(nodes);
  if (bits > kMaxSubnetBits)
    return fmt::format("at most {} nodes fit one pod network", uint64_t{1} << kMaxSubnetBits);
  return fmt::format("a /{} or larger is needed", node_mask - bits);
}

}  // namespace

api::Status cluster_cidr_invalid(const std::string& value, const std::string& why) {
  auto cause = api::field_invalid("clusterCIDR", "\"" + value + "\"", why);
  auto status = api::bad_request(cause.field + ": " + cause.message);
  status.details.causes.push_back(std::move(cause));
  return status;
}

size_t node_subnets(const std::string& cluster_cidr, int node_mask) {
  auto net = api::net::parse_ipv4_network(cluster_cidr);
  if (!net || net->prefix > node_mask || node_mask > 32) return 0;
  return size_t{1} << (node_mask - net->prefix);
}

api::Result<std::string> default_cluster_cidr(size_t nodes, int node_mask,
                                              const std::string& service_cidr) {
  auto small = *api::net::parse_ipv4_network(kDefaultClusterCidr);
  int bits = subnet_bits(nodes);
  if (bits > kMaxSubnetBits || node_mask - bits < 0)
    return api::fail(
        cluster_cidr_invalid("", fmt::format("no pod network holds {} node subnets (/{}): {}",
                                             nodes, node_mask, what_fits(nodes, node_mask))));
  // Grow around 10.244.0.0/16 by shortening the prefix, so every size contains the small one.
  int prefix = std::min(small.prefix, node_mask - bits);
  api::net::Ipv4Cidr net{small.base & mask_of(prefix), prefix};
  if (auto services = api::net::parse_ipv4_network(service_cidr);
      services && overlap(net, *services))
    return api::fail(cluster_cidr_invalid(
        "", fmt::format("the default pod network for {} nodes, {}, would overlap the service "
                        "CIDR {}; give a cluster CIDR clear of it (a /{} or larger)",
                        nodes, net.to_string(), services->to_string(), prefix)));
  return net.to_string();
}

api::Result<void> check_cluster_cidr(const std::string& cluster_cidr, size_t nodes, int node_mask,
                                     const std::string& service_cidr) {
  auto net = api::net::parse_ipv4_network(cluster_cidr);
  if (!net)
    return api::fail(
        cluster_cidr_invalid(cluster_cidr, "must be an IPv4 CIDR such as 10.244.0.0/16"));
  if (net->prefix > node_mask)
    return api::fail(cluster_cidr_invalid(
        cluster_cidr, fmt::format("is smaller than one node subnet (/{})", node_mask)));
  if (node_mask - net->prefix > kMaxSubnetBits)
    return api::fail(cluster_cidr_invalid(
        cluster_cidr,
        fmt::format("holds more than the {} node subnets (/{}) node IPAM tracks; "
                    "use a /{} or smaller",
                    uint64_t{1} << kMaxSubnetBits, node_mask, node_mask - kMaxSubnetBits)));
  if (auto capacity = node_subnets(cluster_cidr, node_mask); capacity < nodes)
    return api::fail(cluster_cidr_invalid(
        cluster_cidr, fmt::format("holds {} node subnets (/{}), fewer than the {} nodes; {}",
                                  capacity, node_mask, nodes, what_fits(nodes, node_mask))));
  if (auto services = api::net::parse_ipv4_network(service_cidr);
      services && overlap(*net, *services))
    return api::fail(
        cluster_cidr_invalid(cluster_cidr, "overlaps the service CIDR " + services->to_string() +
                                               ": pod and service addresses would collide"));
  return {};
}

api::Result<std::string> pod_network_for(const std::string& cluster_cidr, size_t nodes,
                                         int node_mask, const std::string& service_cidr) {
  if (cluster_cidr.empty()) return default_cluster_cidr(nodes, node_mask, service_cidr);
  if (auto checked = check_cluster_cidr(cluster_cidr, nodes, node_mask, service_cidr); !checked)
    return api::fail(std::move(checked.error()));
  return cluster_cidr;
}

}  // namespace kactor::runtime
