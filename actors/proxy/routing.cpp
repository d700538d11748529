#include "actors/proxy/routing.hpp"

#include "api/types/node.hpp"

namespace kactor::proxy {

bool PodRouting::set_node(const std::string& node, const std::string& pod_cidr) {
  auto cidr = api::net::parse_ipv4_cidr(pod_cidr);
  if (!cidr) return false;
  cidrs_[node] = *cidr;
  return true;
}

void PodRouting::remove_node(const std::string& node) {
  cidrs_.erase(node);
}

namespace {

std::string route_of(const api::Node& node) {
  if (node.spec.pod_cidr.empty() && !node.spec.pod_cidrs.empty()) return node.spec.pod_cidrs[0];
  return node.spec.pod_cidr;
}

}  // namespace

void PodRouting::apply(const api::Object& obj, const api::Object* old) {
  const auto* node = api::as<api::Node>(obj);
  if (!node) return;
  std::string cidr = route_of(*node);
  // Most Node updates are status heartbeats: nothing to do when the route stayed.
  if (const auto* before = old ? api::as<api::Node>(*old) : nullptr;
      before && route_of(*before) == cidr)
    return;
  if (cidr.empty() || !set_node(node->metadata.name, cidr)) remove_node(node->metadata.name);
}

std::optional<std::string> PodRouting::node_for(const std::string& pod_ip) const {
  auto ip = api::net::parse_ipv4(pod_ip);
  if (!ip) return std::nullopt;
  const std::string* best = nullptr;
  int best_prefix = -1;
  for (const auto& [name, cidr] : cidrs_)
    if (cidr.contains(*ip) && cidr.prefix > best_prefix) {
      best = &name;
      best_prefix = cidr.prefix;
    }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace kactor::proxy
