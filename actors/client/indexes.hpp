// Cache indexes several components share (Cache::add_index keeps the first of a name, so
// each component asks for the one it needs and they cost one index per informer).
#pragma once

#include <string>

#include "actors/client/cache.hpp"

namespace kactor::client {

/// Pods by spec.nodeName (unbound pods are not filed).
inline constexpr const char* kPodNodeIndex = "spec.nodeName";
void add_pod_node_index(Cache& pods);

}  // namespace kactor::client
