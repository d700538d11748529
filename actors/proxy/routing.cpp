#include "actors/proxy/routing.hpp"

#include <algorithm>

#include "actors/client/indexes.hpp"
#include "api/net/ipv4.hpp"

namespace kactor::proxy {

std::optional<std::string> node_for_pod_ip(const client::Cache& nodes, const std::string& pod_ip) {
  auto ip = api::net::parse_ipv4(pod_ip);
  if (!ip) return std::nullopt;
  // The index files each node under its canonical CIDR text, so each candidate prefix is
  // one lookup: 33 at most, longest first.
  for (int prefix = 32; prefix >= 0; --prefix) {
    const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
    api::net::Ipv4Cidr cidr{*ip & mask, prefix};
    auto holders = nodes.by_index(client::kNodePodCidrIndex, cidr.to_string());
    if (holders.empty()) continue;
    auto first = std::min_element(holders.begin(), holders.end(), [](const auto& a, const auto& b) {
      return a->metadata.name < b->metadata.name;
    });
    return (*first)->metadata.name;
  }
  return std::nullopt;
}

}  // namespace kactor::proxy
