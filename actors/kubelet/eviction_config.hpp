// The kubelet's node-pressure eviction settings (KubeletConfiguration's evictionHard,
// evictionSoft, evictionSoftGracePeriod, evictionMinimumReclaim,
// evictionPressureTransitionPeriod), with upstream's defaults, and the thresholds they parse
// into. Node allocatable subtracts the hard memory and nodefs thresholds (node_status.cpp);
// eviction.hpp acts on them. No CAF.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/quantity/quantity.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::kubelet {

struct EvictionOptions {
  /// Signal → "100Mi" or "10%": evict at once when what is available falls below it.
  std::map<std::string, std::string> hard = {{"memory.available", "100Mi"},
                                             {"nodefs.available", "10%"},
                                             {"imagefs.available", "15%"},
                                             {"nodefs.inodesFree", "5%"}};
  /// The same, acted on once it held for its grace period (each needs one).
  std::map<std::string, std::string> soft;
  /// Signal → Go duration ("1m30s").
  std::map<std::string, std::string> soft_grace_period;
  /// Signal → "500Mi" or "5%": once a threshold is met, it stays met until this much more
  /// than its value is available again.
  std::map<std::string, std::string> minimum_reclaim;
  /// A pressure condition stays True this long after its threshold was last met.
  Duration pressure_transition_period = std::chrono::minutes(5);
  /// The grace period of a pod evicted for a soft threshold (a hard one kills at once).
  int64_t max_pod_grace_period_seconds = 0;
};

/// What an eviction threshold observes (upstream's eviction signals).
enum class Signal : uint8_t {
  memory_available,
  nodefs_available,
  nodefs_inodes_free,
  imagefs_available,
  imagefs_inodes_free,
  pid_available,
};
/// "memory.available", "nodefs.available", ...
std::string_view signal_name(Signal signal);
/// The node condition a signal's threshold sets: MemoryPressure, DiskPressure, PIDPressure.
std::string_view condition_of(Signal signal);
/// The resource reclaimed by evicting for it: memory, ephemeral-storage, inodes or pids.
std::string_view resource_of(Signal signal);

/// A quantity or a fraction of the capacity.
struct ThresholdValue {
  std::optional<api::Quantity> quantity;
  double percentage = 0;  // 0.1 for "10%"
  /// The amount it stands for on a resource of `capacity`.
  int64_t amount(int64_t capacity) const;
  bool operator==(const ThresholdValue&) const = default;
};

struct Threshold {
  Signal signal = Signal::memory_available;
  ThresholdValue value;
  /// Zero for a hard threshold.
  Duration grace_period{};
  std::optional<ThresholdValue> min_reclaim;
  bool hard() const { return grace_period == Duration::zero(); }
  bool operator==(const Threshold&) const = default;
};

/// The thresholds the options set (hard ones first). A bad entry is a BadRequest naming the
/// field and key ("evictionHard[memory.available]") and what is wrong; "0%" and "100%" turn a
/// threshold off, as upstream.
api::Result<std::vector<Threshold>> parse_thresholds(const EvictionOptions& options);

}  // namespace kactor::kubelet
