// The kubelet's /metrics/resource: upstream's resource metrics (what metrics-server reads
// since 0.6), the CPU and memory of the node, its pods and their containers in the Prometheus
// text format, made from the same Summary /stats/summary serves.
#pragma once

#include <string>

#include "actors/kubelet/protocol/stats_summary.hpp"
#include "api/status.hpp"

namespace kactor::http {

/// The page for `summary`, upstream's families and labels (each sample with its stats'
/// timestamp in milliseconds):
///   node_cpu_usage_seconds_total, node_memory_working_set_bytes;
///   container_cpu_usage_seconds_total, container_memory_working_set_bytes,
///   container_start_time_seconds {container, namespace, pod};
///   pod_cpu_usage_seconds_total, pod_memory_working_set_bytes {namespace, pod};
///   scrape_error and resource_scrape_error: 0, or 1 alone when there is no summary.
/// A statistic the summary lacks has no sample, as upstream's collector skips it.
std::string resource_metrics_text(const api::Result<kubelet::Summary>& summary);

}  // namespace kactor::http
