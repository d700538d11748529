// What the scheduler knows about one node: the Node object plus the resources and
// host ports that the pods assigned (or assumed) to it take.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler {

/// Amounts of resources: cpu in millicores, memory in bytes, others in whole units.
struct Resources {
  int64_t milli_cpu = 0;
  int64_t memory = 0;
  std::map<std::string, int64_t> scalar;  // ephemeral-storage, extended resources

  void add(const Resources& o);
  void subtract(const Resources& o);
  /// Reads a ResourceList ("pods" is left out: it is a count, not a request).
  static Resources from_list(const api::ResourceList& list);
};

/// A host port a pod asks for (ip "" means every address).
struct HostPort {
  std::string ip;
  std::string protocol;
  int32_t port = 0;
  bool operator==(const HostPort&) const = default;
};

/// What one pod takes on a node, computed once per pod.
struct PodResources {
  Resources request;   // as upstream's PodRequests: containers summed, init max, overhead
  Resources non_zero;  // cpu/memory with 100m / 200Mi for containers that ask for none
  std::vector<HostPort> ports;
};

/// Computes a pod's request, its non-zero request (for scoring) and its host ports.
PodResources compute_pod_resources(const api::Pod& pod);

/// Default cpu (millicores) and memory (bytes) counted for scoring when a container asks for none.
inline constexpr int64_t kDefaultMilliCpuRequest = 100;
inline constexpr int64_t kDefaultMemoryRequest = 200LL * 1024 * 1024;

/// The state of one node as the scheduling algorithm sees it.
struct NodeInfo {
  std::shared_ptr<const api::Node> node;  // null while only pods name it
  Resources allocatable;
  int64_t allowed_pods = 0;
  Resources requested;
  Resources non_zero_requested;
  int64_t pod_count = 0;
  std::vector<HostPort> used_ports;

  const std::string& name() const;
  void set_node(std::shared_ptr<const api::Node> n);
  void add_pod(const PodResources& p);
  void remove_pod(const PodResources& p);
};

/// Nodes in a stable order (by name) for one scheduling cycle; never modified afterwards.
using Snapshot = std::vector<std::shared_ptr<const NodeInfo>>;

}  // namespace kactor::scheduler
