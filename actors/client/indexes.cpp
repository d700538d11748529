#include "actors/client/indexes.hpp"

#include "api/net/ipv4.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::client {

void add_pod_node_index(Cache& pods) {
  pods.add_index(kPodNodeIndex, [](const api::Object& o) {
    const auto* pod = api::as<api::Pod>(o);
    if (!pod || pod->spec.node_name.empty()) return std::vector<std::string>{};
    return std::vector<std::string>{pod->spec.node_name};
  });
}

void add_owner_uid_index(Cache& cache) {
  cache.add_index(kOwnerUidIndex, [](const api::Object& o) {
    std::vector<std::string> uids;
    uids.reserve(o.metadata.owner_references.size());
    for (const auto& ref : o.metadata.owner_references) uids.push_back(ref.uid);
    return uids;
  });
}

void add_uncontrolled_index(Cache& cache) {
  cache.add_index(kUncontrolledIndex, [](const api::Object& o) {
    if (o.metadata.controller_ref()) return std::vector<std::string>{};
    return std::vector<std::string>{o.metadata.namespace_};
  });
}

void add_node_pod_cidr_index(Cache& nodes) {
  nodes.add_index(kNodePodCidrIndex, [](const api::Object& o) {
    const auto* node = api::as<api::Node>(o);
    if (!node) return std::vector<std::string>{};
    const std::string& text = !node->spec.pod_cidr.empty() || node->spec.pod_cidrs.empty()
                                  ? node->spec.pod_cidr
                                  : node->spec.pod_cidrs[0];
    auto cidr = api::net::parse_ipv4_cidr(text);
    if (!cidr) return std::vector<std::string>{};
    return std::vector<std::string>{cidr->to_string()};
  });
}

}  // namespace kactor::client
