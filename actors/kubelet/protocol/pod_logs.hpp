// How others read a container's log from the kubelet that runs it (the HTTP API's pods/log, as
// kube-apiserver asks the kubelet's /containerLogs): the request, the chunks that answer it,
// and the checks made on the pod before asking. Plain structs, no CAF (messages.hpp has the
// atoms). Its own tiny component so that kactor_http can speak it without depending on the
// kubelet's internals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/status.hpp"
#include "api/time/clock.hpp"
#include "api/types/pod.hpp"

namespace kactor::kubelet {

/// The query of GET .../pods/<name>/log (upstream's PodLogOptions), checked.
struct PodLogOptions {
  /// Which container; empty: the pod's only one.
  std::string container;
  /// Keep sending lines as they are written, until the container stops or the reader goes.
  bool follow = false;
  /// The container's instance before the current one.
  bool previous = false;
  /// Only lines written in the last N seconds (by the kubelet's clock) or since a time; at
  /// most one of the two.
  std::optional<int64_t> since_seconds;
  std::optional<TimePoint> since_time;
  /// Each line prefixed by its time (RFC 3339, nanoseconds) and a space.
  bool timestamps = false;
  /// Only the last N lines.
  std::optional<int64_t> tail_lines;
  /// At most N bytes in all (a line may be cut).
  std::optional<int64_t> limit_bytes;
};

/// Asks a kubelet for a container's log: (kubelet_logs_atom, PodLogRequest) → PodLogChunk.
struct PodLogRequest {
  std::string pod_namespace;
  std::string pod_name;
  std::string pod_uid;
  /// `container` is always set here (pod_log_container chose it).
  PodLogOptions options;
  /// The instance whose log to read, from the pod's status (pod_log_container).
  std::string container_id;
};

/// The answer: an error, or the selected lines; when following, more chunks follow to the
/// requester with the same follow_id until one is `ended`. The requester stops a follow with
/// (kubelet_log_stop_atom, follow_id).
struct PodLogChunk {
  std::optional<api::Status> error;
  std::string text;
  /// Non-zero while following.
  uint64_t follow_id = 0;
  /// No more chunks come (the container stopped, or the byte limit was reached).
  bool ended = true;
};

/// A container instance whose log can be read.
struct LogTarget {
  std::string container;
  std::string container_id;
};

/// The container instance whose log `options` asks for, checked against the pod as
/// kube-apiserver and the kubelet check it: the container named when the pod has several; the
/// running instance, else the last one that ran; with `previous`, the one before (lastState).
/// Errors are 400s worded as upstream's.
api::Result<LogTarget> pod_log_container(const api::Pod& pod, const PodLogOptions& options);

}  // namespace kactor::kubelet
