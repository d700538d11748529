// CAF glue for the pod log exchange (pod_logs.hpp): atoms, and the structs as local message
// types (they hold a Status; the exchange runs in one process, as `kactor up` does). Include
// only where CAF is used.
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/kubelet/protocol/pod_logs.hpp"
#include "actors/kubelet/protocol/stats_summary.hpp"

namespace kactor::kubelet {

/// (kubelet_logs_atom, PodLogRequest) → PodLogChunk; later chunks, when following, are sent
/// to the requester.
using kubelet_logs_atom = caf::atom_constant<caf::atom("kl_logs")>;
/// (kubelet_log_stop_atom, follow_id): the reader is gone.
using kubelet_log_stop_atom = caf::atom_constant<caf::atom("kl_logstop")>;
/// (kubelet_summary_atom) → Summary: the resource use the kubelet last sampled
/// (stats_summary.hpp).
using kubelet_summary_atom = caf::atom_constant<caf::atom("kl_summary")>;

}  // namespace kactor::kubelet

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::kubelet::PodLogRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::kubelet::PodLogChunk)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::kubelet::Summary)
