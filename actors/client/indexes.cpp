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

}  // namespace kactor::client
