// The API server's request metrics, served at /metrics in the Prometheus text format with
// upstream's names: apiserver_request_total{verb,group,version,resource,subresource,scope,
// component,code}, apiserver_request_duration_seconds (histogram, without WATCH as upstream),
// apiserver_longrunning_requests (open watches).
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "api/time/clock.hpp"

namespace kactor::http {

/// What one request was, for its metric labels.
struct RequestLabels {
  std::string verb;  // GET LIST WATCH POST PUT PATCH DELETE DELETECOLLECTION, or the method
  std::string group, version, resource, subresource;
  std::string scope;  // resource, namespace, cluster; "" for non-resource paths
  auto tie() const { return std::tie(verb, group, version, resource, subresource, scope); }
  bool operator<(const RequestLabels& o) const { return tie() < o.tie(); }
};

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4,
                                                      0.6,   0.8,   1.0,  2.0, 5.0, 10.0};
  /// A request answered with `code` after `seconds`.
  void observe(const RequestLabels& labels, int code, double seconds);
  /// A watch opened (+1) or ended (-1).
  void watch_open(const RequestLabels& labels, int delta);
  /// Everything, in the Prometheus text exposition format (version 0.0.4).
  std::string render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<RequestLabels, int>, uint64_t> totals_;
  std::map<RequestLabels, Histogram> durations_;
  std::map<RequestLabels, int64_t> watches_;
};

}  // namespace kactor::http
