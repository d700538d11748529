// Who a proven connection speaks for, as the API server's gate (gate.hpp) records it.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "actors/http/exchange.hpp"  // UserInfo
#include "api/status.hpp"

namespace kactor::remote::tls {

struct PeerIdentity {
  /// The users of the certificates the connection proved (verify_proof()).
  std::vector<http::UserInfo> users;
  /// The node names when every user is a node: NodeRestriction applies to the connection, and
  /// a request may touch what belongs to any of them (one node process holds `--count` nodes
  /// and one connection). Empty for a component, whose requests pass as in process.
  std::set<std::string> nodes;

  bool is_node() const { return !nodes.empty(); }
  /// "system:kube-scheduler", or "system:node:a" / "system:node:{a, b}" /
  /// "system:node:{a, b, c, ... (500 nodes)}".
  std::string describe() const;
};

/// The identity of a connection that proved `users`: either all nodes (system:node:<name> in
/// system:nodes), or exactly one of the components kactor knows (system:kube-controller-manager,
/// system:kube-scheduler) or a member of system:masters. Forbidden (403) otherwise, naming the
/// user: a connection is one role, never a mix.
api::Result<PeerIdentity> classify_peer(std::vector<http::UserInfo> users);

}  // namespace kactor::remote::tls
