// The metrics server (metrics-server's role in a cluster): every `resolution` it asks every
// node's kubelet for its Summary (kubelet/protocol/stats_summary.hpp), all nodes at once, each
// within `scrape_timeout`, and keeps the use of every node and pod in memory to answer
// (metrics_query_atom, MetricsQuery) → MetricsAnswer (metrics/protocol/messages.hpp).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "api/time/clock.hpp"

namespace kactor::actors {
struct Context;
}

namespace kactor::metrics {

/// The kubelet of a node, or nullopt when none runs (a stopped node): that node is skipped.
using KubeletLookup = std::function<std::optional<caf::actor>(const std::string& node)>;

struct MetricsServerOptions {
  /// How often every kubelet is scraped (metrics-server's --metric-resolution, 15 s).
  Duration resolution = std::chrono::seconds(15);
  /// How long a kubelet has to answer (metrics-server's --kubelet-request-timeout, 10 s); a
  /// kubelet that does not answer in time is left out of that round, so its node and pods have
  /// no metrics until it answers again. Capped at `resolution`.
  Duration scrape_timeout = std::chrono::seconds(10);
  /// Finds each node's kubelet (the nodes themselves come from the Node informer).
  KubeletLookup kubelet_for;
};

/// Spawns the metrics server. It reads the process's shared Node and Pod informers, scrapes
/// once at start and then every `resolution` on the context's clock.
caf::actor spawn_metrics_server(const actors::Context& ctx, MetricsServerOptions options);

}  // namespace kactor::metrics
