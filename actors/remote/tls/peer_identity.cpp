#include "actors/remote/tls/peer_identity.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "actors/http/pki.hpp"
#include "actors/http/role_pki.hpp"
#include "actors/remote/tls/proof.hpp"

namespace kactor::remote::tls {

std::string PeerIdentity::describe() const {
  if (!is_node()) return users.empty() ? std::string("nobody") : users.front().name;
  if (nodes.size() == 1) return std::string(http::kNodeUserPrefix) + *nodes.begin();
  if (nodes.size() <= 3)
    return fmt::format("{}{{{}}}", http::kNodeUserPrefix, fmt::join(nodes, ", "));
  std::vector<std::string> first(nodes.begin(), std::next(nodes.begin(), 3));
  return fmt::format("{}{{{}, ... ({} nodes)}}", http::kNodeUserPrefix, fmt::join(first, ", "),
                     nodes.size());
}

api::Result<PeerIdentity> classify_peer(std::vector<http::UserInfo> users) {
  PeerIdentity peer;
  if (users.empty()) return api::fail(unauthorized("no identity proven"));
  size_t node_users = 0;
  for (const auto& user : users) {
    if (auto node = http::node_name_of(user)) {
      peer.nodes.insert(*node);
      ++node_users;
    }
  }
  auto forbidden = [](const std::string& why) {
    api::Status s;
    s.code = 403;
    s.reason = "Forbidden";
    s.message = why;
    return api::fail(std::move(s));
  };
  if (node_users == users.size()) {
    peer.users = std::move(users);
    return peer;
  }
  if (users.size() > 1)
    return forbidden("a connection proves one component's identity, or only nodes' identities");
  peer.nodes.clear();
  const auto& user = users.front();
  const bool master = std::find(user.groups.begin(), user.groups.end(), http::kAdminGroup) !=
                      user.groups.end();
  if (user.name != http::kControllerManagerUser && user.name != http::kSchedulerUser && !master)
    return forbidden(fmt::format(
        "User \"{}\" is not a role of the cluster (system:kube-controller-manager, "
        "system:kube-scheduler, system:node:<name> in system:nodes, or system:masters)",
        user.name));
  peer.users = std::move(users);
  return peer;
}

}  // namespace kactor::remote::tls
