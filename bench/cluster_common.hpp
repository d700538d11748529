// Helpers the whole-cluster benchmarks (density, failover, rollout) share: start an
// in-process cluster and wait for its nodes, and read the store's revision to count writes.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "actors/client/blocking_client.hpp"
#include "api/resource_version.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"

namespace kactor::bench {

/// Starts the cluster and waits until all its nodes are Ready; nullptr (reason on stderr)
/// when either fails.
inline std::unique_ptr<Cluster> start_ready_cluster(const ClusterOptions& opts,
                                                    std::chrono::seconds timeout) {
  auto cluster = Cluster::start(opts);
  if (!cluster) {
    std::fprintf(stderr, "start: %s\n", cluster.error().message.c_str());
    return nullptr;
  }
  if (!(*cluster)->wait_nodes_ready(opts.nodes, timeout)) {
    std::fprintf(stderr, "nodes did not become ready\n");
    return nullptr;
  }
  return std::move(*cluster);
}

/// The store's current revision (every write the cluster made moves it); -1 if unreadable.
inline int64_t store_revision(Cluster& c) {
  client::ListOptions one;
  one.limit = 1;
  auto listed = c.client().list(api::Pod::static_type(), "default", one);
  if (!listed) return -1;
  auto rv = api::parse_resource_version(listed->resource_version);
  return rv ? static_cast<int64_t>(*rv) : -1;
}

}  // namespace kactor::bench
