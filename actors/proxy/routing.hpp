// Which node holds a pod IP, flannel-style: every Node owns spec.podCIDR and pods on it
// get addresses out of that range. The proxy uses it to say which node a chosen backend
// lives on (ConnectReply::node) and to answer proxy_route_atom; nothing carries traffic
// yet. Free of CAF.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "api/net/ipv4.hpp"
#include "api/object.hpp"

namespace kactor::proxy {

class PodRouting {
 public:
  /// Records (or replaces) `node`'s pod CIDR; false if the CIDR is not IPv4 "a.b.c.d/n".
  bool set_node(const std::string& node, const std::string& pod_cidr);
  void remove_node(const std::string& node);
  /// Applies a Node object (its spec.podCIDR, or spec.podCIDRs[0]); a Node without one is
  /// removed from the view. Non-Node objects are ignored. With `old`, the state this view
  /// applied before, an unchanged route costs nothing.
  void apply(const api::Object& node, const api::Object* old = nullptr);

  /// The node whose pod CIDR holds `pod_ip` (longest prefix wins if ranges overlap).
  std::optional<std::string> node_for(const std::string& pod_ip) const;
  size_t size() const { return cidrs_.size(); }

 private:
  std::map<std::string, api::net::Ipv4Cidr> cidrs_;  // by node name
};

}  // namespace kactor::proxy
