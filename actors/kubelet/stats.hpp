// The kubelet's resource statistics (cAdvisor's role): every housekeeping interval it samples
// what each running container uses (the usage model: usage_model.hpp) and keeps the sample,
// which answers the Summary API (protocol/stats_summary.hpp) and feeds node-pressure
// eviction. A sample is O(containers on the node) and reuses its storage: no allocation in
// the steady state (the density benchmark runs 30,000 pods). No CAF.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/kubelet/pod_worker.hpp"
#include "actors/kubelet/protocol/stats_summary.hpp"
#include "actors/kubelet/request_load.hpp"
#include "actors/kubelet/usage_model.hpp"

namespace kactor::kubelet {

/// Ephemeral storage a simulated node has when its capacity names none, and the bytes one
/// inode stands for (ext4's default bytes-per-inode), from which inode counts are derived.
inline constexpr int64_t kDefaultEphemeralStorageBytes = 100LL << 30;  // 100Gi
inline constexpr uint64_t kBytesPerInode = 16 << 10;                   // 16Ki

/// One container at the last sample.
struct ContainerSample {
  bool running = false;
  TimePoint started_at{};
  uint64_t cpu_nano_cores = 0;         // averaged over the window
  uint64_t cpu_core_nano_seconds = 0;  // since it started
  uint64_t memory_bytes = 0;           // working set
  uint64_t disk_bytes = 0;             // writable layer (ephemeral storage)
  uint64_t served_core_nano_seconds = 0;  // of cpu_core_nano_seconds, serving requests
};

/// One pod: its containers' models (built from the pod's annotations, again when they
/// change) and their last sample, by index in PodWorker::containers.
struct PodUsage {
  // What the models were built from: not the pod itself, which would keep a second decoded
  // copy of every pod alive between samples once its status changes.
  bool modelled = false;
  std::string modelled_version;  // its resourceVersion
  std::map<std::string, std::string> modelled_annotations;
  std::vector<ContainerUsageModel> models;
  std::vector<ContainerSample> containers;
  /// Problems with its usage annotations already reported (each once).
  std::vector<std::string> reported;
  // Totals over its running containers at the last sample.
  uint64_t cpu_nano_cores = 0;
  uint64_t cpu_core_nano_seconds = 0;
  uint64_t memory_bytes = 0;
  uint64_t disk_bytes = 0;
};

/// The node at the last sample.
struct NodeSample {
  TimePoint time{};
  Duration window{};  // since the sample before (or the kubelet's start)
  uint64_t cpu_nano_cores = 0;
  uint64_t cpu_core_nano_seconds = 0;  // since the kubelet started
  uint64_t memory_bytes = 0;           // working set
  uint64_t memory_capacity_bytes = 0;
  uint64_t disk_bytes = 0;
  uint64_t disk_capacity_bytes = 0;

  uint64_t memory_available_bytes() const {
    return memory_capacity_bytes > memory_bytes ? memory_capacity_bytes - memory_bytes : 0;
  }
  uint64_t disk_available_bytes() const {
    return disk_capacity_bytes > disk_bytes ? disk_capacity_bytes - disk_bytes : 0;
  }
  uint64_t inodes() const { return disk_capacity_bytes / kBytesPerInode; }
  uint64_t inodes_used() const { return (disk_bytes + kBytesPerInode - 1) / kBytesPerInode; }
  uint64_t inodes_free() const { return inodes() > inodes_used() ? inodes() - inodes_used() : 0; }
};

/// A usage annotation of a pod that does not parse (reported once as a Warning Event).
struct UsageProblem {
  std::string pod_uid;
  std::string message;
};

class StatsCollector {
 public:
  /// `capacity`: the node's (memory and ephemeral-storage are read); `started`: when the
  /// kubelet started (the node's startTime, and the first window's beginning).
  StatsCollector(UsageModelOptions options, const api::ResourceList& capacity, TimePoint started);

  /// Samples every running container of `workers` at `now`; forgets the pods no longer
  /// there. `served`: the cpu the node's pods spend serving requests (request_load.hpp),
  /// taken as constant over the window since the previous sample and capped at the serving
  /// container's cpu limit. Returns the usage annotation problems not reported before.
  std::vector<UsageProblem> sample(const std::map<std::string, PodWorker>& workers,
                                   TimePoint now, const ServedDemand* served = nullptr);

  const NodeSample& node() const { return node_; }
  /// The pod's last sample; nullptr if it was not sampled.
  const PodUsage* pod(const std::string& uid) const;

  /// The last sample as the Summary API shows it (pods with a running container only).
  Summary summary(const std::string& node_name,
                  const std::map<std::string, PodWorker>& workers) const;

 private:
  /// Builds the models of `w`'s containers when its annotations changed; problems not
  /// reported before are appended to `problems`.
  void model(PodUsage& usage, const PodWorker& w, std::vector<UsageProblem>& problems);

  UsageModelOptions options_;
  TimePoint started_;
  NodeSample node_;
  std::map<std::string, PodUsage> pods_;  // by uid
};

}  // namespace kactor::kubelet
