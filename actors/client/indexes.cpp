#include "actors/client/indexes.hpp"

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

}  // namespace kactor::client
