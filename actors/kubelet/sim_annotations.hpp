// The pod annotations that steer the simulated runtime and prober (docs/kubelet.md lists
// them with examples). Per-container values use one grammar: "5" applies to every container,
// "fetch=2,app=5" names containers, "5,fetch=2" gives fetch 2 and every other container 5.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::kubelet {

using Annotations = std::map<std::string, std::string>;

/// Seconds a container runs before it exits by itself (per container; absent: until
/// stopped, except a regular init container, which completes as soon as it started).
inline constexpr const char* kRunSecondsAnnotation = "kactor.io/run-seconds";
/// The code it then exits with (per container; default 0).
inline constexpr const char* kExitCodeAnnotation = "kactor.io/exit-code";
/// "false": every container of the pod is reported not ready, whatever its probes say.
inline constexpr const char* kReadyAnnotation = "kactor.io/ready";
/// Containers whose readiness / liveness / startup probes fail: "app,proxy", or "*" for all.
inline constexpr const char* kFailReadinessAnnotation = "kactor.io/fail-readiness";
inline constexpr const char* kFailLivenessAnnotation = "kactor.io/fail-liveness";
inline constexpr const char* kFailStartupAnnotation = "kactor.io/fail-startup";

/// Lines a container writes to its log at intervals: "every 5s: GET /healthz 200" (durations
/// in ms, s or m, at least 100ms; "{n}" in the text is replaced by the line's number, from 1).
/// kactor.io/log applies to every container; kactor.io/log.<container> to that one, in its place.
inline constexpr const char* kLogAnnotation = "kactor.io/log";

/// How much CPU / memory / ephemeral storage each container of the pod uses over time, from
/// its start (usage_model.hpp): a quantity ("250m", "300Mi") or a schedule ("100m for 60s,
/// then 900m"). kactor.io/cpu-usage.<container> (and so on) applies to that one, in its place.
/// Absent: a fraction of the container's request (KubeletOptions::usage).
inline constexpr const char* kCpuUsageAnnotation = "kactor.io/cpu-usage";
inline constexpr const char* kMemoryUsageAnnotation = "kactor.io/memory-usage";
inline constexpr const char* kDiskUsageAnnotation = "kactor.io/disk-usage";

/// What a log annotation says.
struct PeriodicLog {
  Duration every{};
  std::string text;
};

/// The periodic log lines `container` writes (nullopt: none). A value that does not parse is a
/// BadRequest naming the annotation.
api::Result<std::optional<PeriodicLog>> periodic_log(const Annotations& annotations,
                                                     const std::string& container);

/// `text` with each "{n}" replaced by `n`.
std::string periodic_log_line(const std::string& text, uint64_t n);

/// The value annotation `key` gives `container`: nullopt when absent or when it names other
/// containers only. A value that does not parse is a BadRequest naming the annotation.
api::Result<std::optional<int64_t>> container_value(const Annotations& annotations, const char* key,
                                                    const std::string& container);

/// Whether the list annotation `key` names `container` ("*" names every container).
bool names_container(const Annotations& annotations, const char* key, const std::string& container);

}  // namespace kactor::kubelet
