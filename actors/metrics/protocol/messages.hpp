// CAF glue for the metrics query (resource_metrics.hpp): the atom, and the structs as local
// message types (they hold a Status; the exchange runs in one process). Include only where CAF
// is used.
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/metrics/protocol/resource_metrics.hpp"

namespace kactor::metrics {

/// (metrics_query_atom, MetricsQuery) → MetricsAnswer.
using metrics_query_atom = caf::atom_constant<caf::atom("mx_query")>;

}  // namespace kactor::metrics

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::metrics::MetricsQuery)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::metrics::MetricsAnswer)
