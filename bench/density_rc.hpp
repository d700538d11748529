// The measured part of a density run, the same for an in-process cluster and for role
// processes: create one ReplicationController of M pods and watch them until all M run,
// noting when each pod is first seen, bound and Running.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/client/blocking_client.hpp"
#include "actors/common/busy.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

namespace kactor::bench {

using Steady = std::chrono::steady_clock;

inline double ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

/// What one RC run measured (milliseconds per pod, seconds from the RC's creation).
struct RcRun {
  int32_t pods = 0;
  double seen_s = 0;     // the last pod first seen
  double bound_s = 0;    // the last pod bound
  double running_s = 0;  // the last pod Running
  std::vector<double> startup, to_bind, bind_to_run;
  double pods_per_s() const { return running_s > 0 ? pods / running_s : 0; }
  double binds_per_s() const { return bound_s > 0 ? pods / bound_s : 0; }
};

/// Creates the RC `name` of `pods` pods (10m CPU, 16Mi each) in `default` and watches its pods
/// until all run; nullopt (reason on stderr) on an error or at `timeout`.
inline std::optional<RcRun> run_rc(client::BlockingClient& client, int32_t pods,
                                   std::chrono::seconds timeout,
                                   const std::string& name = "density") {
  apiserver::WatchRequest wr;
  wr.resource = "pods";
  wr.namespace_ = "default";
  auto watch = client.watch(wr);
  if (!watch) {
    std::fprintf(stderr, "watch pods: %s\n", watch.error().message.c_str());
    return std::nullopt;
  }
  auto rc = api::testing::make_replication_controller("default", name, pods, {{"app", name}});
  auto& requests = rc.spec.template_->spec.containers.front().resources.requests;
  requests["cpu"] = api::testing::qty("10m");
  requests["memory"] = api::testing::qty("16Mi");

  auto t0 = Steady::now();
  if (auto r = client.create(rc); !r) {
    std::fprintf(stderr, "create rc: %s\n", r.error().message.c_str());
    return std::nullopt;
  }
  std::unordered_map<std::string, Steady::time_point> first_seen, bound, running;
  auto deadline = t0 + timeout;
  while (running.size() < static_cast<size_t>(pods) && Steady::now() < deadline) {
    auto ev = watch->next(std::chrono::seconds(5));
    if (!ev) continue;
    auto pod = api::as<api::Pod>((*ev)->object);
    if (!pod) continue;
    auto now = Steady::now();
    const auto& pod_name = pod->metadata.name;
    first_seen.try_emplace(pod_name, now);
    if (!pod->spec.node_name.empty()) bound.try_emplace(pod_name, now);
    if (pod->status.phase == "Running") running.try_emplace(pod_name, now);
  }
  if (running.size() < static_cast<size_t>(pods)) {
    std::fprintf(stderr, "only %zu of %d pods running before the timeout\n", running.size(), pods);
    return std::nullopt;
  }
  RcRun r;
  r.pods = pods;
  Steady::time_point last_seen{}, last_bind{}, last_run{};
  for (auto& [n, t] : first_seen) last_seen = std::max(last_seen, t);
  for (auto& [n, t] : bound) last_bind = std::max(last_bind, t);
  for (auto& [n, t] : running) {
    last_run = std::max(last_run, t);
    r.startup.push_back(ms(t - first_seen[n]));
    r.to_bind.push_back(ms(bound[n] - first_seen[n]));
    r.bind_to_run.push_back(ms(t - bound[n]));
  }
  auto secs = [&](Steady::time_point t) { return std::chrono::duration<double>(t - t0).count(); };
  r.seen_s = secs(last_seen);
  r.bound_s = secs(last_bind);
  r.running_s = secs(last_run);
  return r;
}

/// The diagnostic line that splits start-up latency (seen → bound, bound → Running).
inline void print_startup_split(const RcRun& r) {
  std::printf(
      "start-up split: seen->bound p50 %.1f p99 %.1f ms; bound->running p50 %.1f p99 %.1f ms\n",
      percentile(r.to_bind, 0.5), percentile(r.to_bind, 0.99), percentile(r.bind_to_run, 0.5),
      percentile(r.bind_to_run, 0.99));
}

/// The diagnostic line of how busy each component was over `wall_s` seconds (actors/common/
/// busy.hpp): the time its actors spent in handlers, in cores, and the messages they handled.
/// A component that is one actor near 1.00 is what the others wait on.
inline void print_busy(const std::vector<actors::BusyTotals>& before,
                       const std::vector<actors::BusyTotals>& after, double wall_s) {
  struct Row {
    double cores;
    std::string component;
    uint64_t messages;
  };
  std::vector<Row> rows;
  for (const auto& a : after) {
    uint64_t ns = a.nanoseconds, msgs = a.messages;
    for (const auto& b : before)
      if (b.component == a.component) {
        ns -= b.nanoseconds;
        msgs -= b.messages;
      }
    if (msgs > 0) rows.push_back({static_cast<double>(ns) / 1e9 / wall_s, a.component, msgs});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.cores > y.cores; });
  std::string line;
  for (const auto& r : rows) {
    char cell[160];
    std::snprintf(cell, sizeof cell, "%s%s %.2f (%llu)", line.empty() ? "" : "; ",
                  r.component.c_str(), r.cores, static_cast<unsigned long long>(r.messages));
    line += cell;
  }
  std::printf("busy over %.2f s, in cores (messages): %s\n", wall_s, line.c_str());
}

}  // namespace kactor::bench
