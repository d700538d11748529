// Shared pieces of bench_store: options, latency summaries, value payloads,
// temporary directories and base64 (for etcd's JSON gateway).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <expected>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace kactor::bench {

using BenchClock = std::chrono::steady_clock;

/// What bench_store runs (the CLI flags).
struct StoreOptions {
  size_t writes = 50000;
  size_t writers = 128;
  size_t value_bytes = 1024;
  std::string etcd_bin = "etcd";
  bool skip_etcd = false;
  /// Upper bound on each system's run; a run that takes longer fails.
  int timeout_s = 600;
};

/// p50/p99 of a set of latencies, in milliseconds.
struct Latency {
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

/// What one system measured.
struct RunResult {
  size_t writes = 0;
  double seconds = 0;
  double writes_per_s = 0;
  Latency write;
  Latency watch;  // kactor only: send -> ADDED event at a watcher
};

/// Nearest-rank percentiles of `ns` (nanoseconds); sorts its argument.
inline Latency summarize(std::vector<int64_t> ns) {
  Latency l;
  if (ns.empty()) return l;
  std::sort(ns.begin(), ns.end());
  auto at = [&](double p) {
    auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(ns.size())));
    return static_cast<double>(ns[std::clamp<size_t>(rank, 1, ns.size()) - 1]) / 1e6;
  };
  l.p50_ms = at(0.50);
  l.p99_ms = at(0.99);
  l.max_ms = static_cast<double>(ns.back()) / 1e6;
  return l;
}

inline int64_t nanos_between(BenchClock::time_point a, BenchClock::time_point b) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
}

/// A pool of distinct printable random values of `bytes` bytes each. Random, so that
/// neither store gains from compressing them; several, so that neighbouring records
/// differ. Seeded: every run writes the same data.
inline std::vector<std::string> make_values(size_t bytes, size_t count = 64, uint64_t seed = 1) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::mt19937_64 rng(seed);
  std::vector<std::string> out(count);
  for (auto& v : out) {
    v.resize(bytes);
    for (auto& c : v) c = kAlphabet[rng() % kAlphabet.size()];
  }
  return out;
}

/// A fresh directory under /tmp (mkdtemp), removed with everything in it on destruction.
class TempDir {
 public:
  static std::expected<TempDir, std::string> make(const std::string& prefix) {
    std::string templ = "/tmp/" + prefix + "-XXXXXX";
    if (!::mkdtemp(templ.data())) return std::unexpected("mkdtemp " + templ + " failed");
    return TempDir(templ);
  }
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;  // best effort: a leftover directory is not worth failing over
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

inline std::string base64(std::string_view in) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kTable[(n >> 18) & 63];
    out += kTable[(n >> 12) & 63];
    out += kTable[(n >> 6) & 63];
    out += kTable[n & 63];
  }
  if (size_t rest = in.size() - i; rest > 0) {
    uint32_t n = uint8_t(in[i]) << 16;
    if (rest == 2) n |= uint8_t(in[i + 1]) << 8;
    out += kTable[(n >> 18) & 63];
    out += kTable[(n >> 12) & 63];
    out += rest == 2 ? kTable[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace kactor::bench
