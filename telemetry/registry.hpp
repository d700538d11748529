// The process-wide metrics registry: counters, gauges and histograms that components update
// on their hot paths and the HTTP API renders at /metrics in the Prometheus text format
// (version 0.0.4), with upstream's metric names where upstream has the metric.
//
// A component asks the registry for its series once (at construction: a mutex is taken) and
// keeps the reference; updating a series is then one relaxed atomic operation, no lock. A
// series lives as long as the process (as upstream's legacy registry), so references never
// dangle; two components asking for the same name and labels share the series (two clusters
// in one test process add into one work-queue depth). No CAF, no RocksDB: everything may use it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kactor::telemetry {

/// Label names and values of one series, in the order given (rendered sorted by name).
using Labels = std::vector<std::pair<std::string, std::string>>;

/// A count that only goes up.
class Counter {
 public:
  void inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

/// A level that goes up and down (a queue's depth, open watches). Owners that share a series
/// add their own changes (add), so the series is the sum over them.
class Gauge {
 public:
  void add(int64_t delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  void set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

/// Observations counted into fixed buckets (upper bounds, ascending), with their sum.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<uint64_t> cumulative;  ///< per bound: observations <= it
    uint64_t count = 0;                ///< all observations (the +Inf bucket)
    double sum = 0;
  };
  /// A consistent-enough read: each bucket is read once and count is their total, so the
  /// rendered buckets are monotone and +Inf equals _count even while others observe.
  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  /// Non-cumulative: counts_[i] for bounds_[i-1] < v <= bounds_[i]; the last is the overflow.
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

/// `count` bounds: start, start*factor, start*factor^2, ... (upstream's ExponentialBuckets).
std::vector<double> exponential_buckets(double start, double factor, int count);

class Registry {
 public:
  /// The process's registry (what /metrics renders).
  static Registry& global();

  /// The series of `name` with `labels`, created at zero on first use. A name is one kind of
  /// metric with one help text (and, for histograms, one set of buckets): asking for it as
  /// another kind, or with other buckets, throws std::logic_error (a programming error).
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help,
                       const std::vector<double>& upper_bounds, const Labels& labels = {});

  /// Every metric, in the Prometheus text exposition format: families sorted by name, each
  /// with its # HELP and # TYPE lines, series sorted by their labels.
  std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> bounds;  // histograms
    /// By rendered label text ("a=\"x\",b=\"y\"").
    std::map<std::string, std::unique_ptr<Counter>> counters;
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
  };
  Family& family(std::string_view name, std::string_view help, Type type,
                 const std::vector<double>* bounds);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

/// Label text as rendered inside braces: sorted by name, values escaped ("\\", "\"", "\n").
std::string label_text(Labels labels);

}  // namespace kactor::telemetry
