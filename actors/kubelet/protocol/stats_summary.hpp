// The kubelet's Summary API (upstream's stats/v1alpha1 Summary, what cAdvisor's numbers become
// at GET /stats/summary): resource use of the node and of every pod and container, as the
// kubelet last sampled it. The metrics server scrapes it; the HTTP API serves it at
// /api/v1/nodes/<n>/proxy/stats/summary. Plain structs, no CAF (messages.hpp has the atom).
// Field names follow upstream's JSON names (usageNanoCores, workingSetBytes, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/time/clock.hpp"

namespace kactor::kubelet {

/// CPU use at `time`: the rate (nanocores, averaged over the last sampling window) and the
/// cumulative time used since the container (or node) started.
struct CpuStats {
  TimePoint time{};
  std::optional<uint64_t> usage_nano_cores;
  std::optional<uint64_t> usage_core_nano_seconds;
  bool operator==(const CpuStats&) const = default;
};

/// Memory use at `time`. workingSetBytes is what eviction and `kubectl top` read;
/// availableBytes is set for the node (capacity − working set), and for containers with a
/// memory limit (limit − working set).
struct MemoryStats {
  TimePoint time{};
  std::optional<uint64_t> available_bytes;
  std::optional<uint64_t> usage_bytes;
  std::optional<uint64_t> working_set_bytes;
  std::optional<uint64_t> rss_bytes;
  std::optional<uint64_t> page_faults;
  std::optional<uint64_t> major_page_faults;
  bool operator==(const MemoryStats&) const = default;
};

/// Filesystem use (nodefs / imagefs, and a container's rootfs and logs).
struct FsStats {
  TimePoint time{};
  std::optional<uint64_t> available_bytes;
  std::optional<uint64_t> capacity_bytes;
  std::optional<uint64_t> used_bytes;
  std::optional<uint64_t> inodes_free;
  std::optional<uint64_t> inodes;
  std::optional<uint64_t> inodes_used;
  bool operator==(const FsStats&) const = default;
};

struct ContainerStats {
  std::string name;
  TimePoint start_time{};
  CpuStats cpu;
  MemoryStats memory;
  std::optional<FsStats> rootfs;
  std::optional<FsStats> logs;
  bool operator==(const ContainerStats&) const = default;
};

struct PodReference {
  std::string name;
  std::string namespace_;
  std::string uid;
  bool operator==(const PodReference&) const = default;
};

struct PodStats {
  PodReference pod_ref;
  TimePoint start_time{};
  std::vector<ContainerStats> containers;
  /// The pod's totals (sums over its containers).
  CpuStats cpu;
  MemoryStats memory;
  bool operator==(const PodStats&) const = default;
};

struct NodeStats {
  std::string node_name;
  TimePoint start_time{};
  CpuStats cpu;
  MemoryStats memory;
  std::optional<FsStats> fs;
  /// The image filesystem (upstream's runtime.imageFs).
  std::optional<FsStats> image_fs;
  bool operator==(const NodeStats&) const = default;
};

/// GET /stats/summary: the node and its pods, as last sampled.
struct Summary {
  NodeStats node;
  std::vector<PodStats> pods;
  bool operator==(const Summary&) const = default;
};

}  // namespace kactor::kubelet
