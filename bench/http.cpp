// bench_http: the HTTPS API's throughput and watch fan-out, against the in-process path, on the
// same cluster in the same run. An in-process Cluster (RocksDB, async durability, no nodes, no
// scheduler: nothing touches the benchmark's pods) served by serve_api over TLS on loopback.
//   1. GET of one pod, LIST of 500 pods, CREATE of ConfigMaps: closed-loop keep-alive HTTPS
//      connections (http_load.hpp), requests/s and p99 per verb;
//   2. the same GET through client::BlockingClient from as many threads: the in-process rate;
//   3. N watch streams of pods (http_watch.hpp): VmRSS before/after opening them (per idle
//      watch, client side included), then M pod creates through the in-process client; the
//      delay from each create's send to its ADDED event on every stream, p99 over all.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "actors/client/blocking_client.hpp"
#include "actors/http/serve.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "http_watch.hpp"
#include "runtime/cluster.hpp"

namespace {

using namespace kactor;
using namespace kactor::bench::http_load;

template <class T>
double percentile(std::vector<T> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return static_cast<double>(v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))]);
}

/// Resident memory of this process, from /proc/self/status.
double rss_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr);
  return 0;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string index_name(const char* prefix, size_t i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%06zu", prefix, i);
  return buf;
}

bhttp::request<bhttp::string_body> api_request(const Target& t, bhttp::verb verb,
                                               const std::string& path) {
  bhttp::request<bhttp::string_body> req{verb, path, 11};
  req.set(bhttp::field::host, t.host);
  req.set(bhttp::field::authorization, "Bearer " + t.token);
  req.set(bhttp::field::accept, "application/json");
  req.keep_alive(true);
  return req;
}

void report(const char* verb, const LoadResult& r) {
  std::printf("%-7s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%llu ok in %.2f s, %llu failed)\n",
              verb, r.per_s(), percentile(r.latency_ms, 0.5), percentile(r.latency_ms, 0.99),
              static_cast<unsigned long long>(r.ok), r.seconds,
              static_cast<unsigned long long>(r.failed));
}

/// The in-process baseline: `threads` BlockingClients, each GETting the pod back to back.
LoadResult inproc_get(Cluster& cluster, size_t threads, std::chrono::milliseconds duration,
                      const std::string& ns, const std::string& name) {
  std::vector<std::vector<double>> lat(threads);
  std::vector<uint64_t> failed(threads, 0);
  const auto start = Steady::now();
  const auto end = start + duration;
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      client::BlockingClient c(cluster.system(), cluster.apiserver(), std::chrono::seconds(10));
      while (Steady::now() < end) {
        const auto sent = Steady::now();
        if (c.get(api::Pod::static_type(), ns, name))
          lat[t].push_back(ms(Steady::now() - sent));
        else
          ++failed[t];
      }
    });
  for (auto& w : workers) w.join();
  LoadResult out;
  out.seconds = std::chrono::duration<double>(Steady::now() - start).count();
  for (size_t t = 0; t < threads; ++t) {
    out.ok += lat[t].size();
    out.failed += failed[t];
    out.latency_ms.insert(out.latency_ms.end(), lat[t].begin(), lat[t].end());
  }
  return out;
}

bool fail_on(const char* verb, const LoadResult& r) {
  if (r.failed == 0 && r.ok > 0) return false;
  std::fprintf(stderr, "%s: %llu failed, %llu ok; first failure: %s\n", verb,
               static_cast<unsigned long long>(r.failed), static_cast<unsigned long long>(r.ok),
               r.first_failure.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_http: the HTTPS API's throughput and watch fan-out vs the in-process path"};
  double duration_s = 3;
  size_t connections = 32;
  size_t client_threads = 2;
  size_t server_threads = 2;
  size_t list_pods = 500;
  size_t watchers = 1000;
  size_t churn = 10000;
  // Paced: created back to back, the churn's rate is whatever the creates reach while the
  // fan-out shares the cores (84-150/s between runs of one binary), and p99 measured that
  // rate more than the delivery. 100/s asks 100,000 deliveries/s of 1,000 watchers.
  double churn_per_s = 100;
  int timeout_s = 300;
  app.add_option("--duration-s", duration_s, "seconds of load per verb");
  app.add_option("--connections", connections,
                 "keep-alive HTTPS connections (one request in flight each); also the in-process "
                 "baseline's threads");
  app.add_option("--client-threads", client_threads, "client I/O threads (one io_context each)");
  app.add_option("--server-threads", server_threads, "the HTTP server's I/O threads");
  size_t caf_threads = 0;
  app.add_option("--caf-threads", caf_threads,
                 "the cluster's CAF worker threads (0: one per core, at least two)");
  app.add_option("--list-pods", list_pods, "pods in the listed namespace");
  app.add_option("--watchers", watchers, "concurrent watch streams");
  app.add_option("--churn", churn, "pods created while the watches are open");
  app.add_option("--churn-per-s", churn_per_s, "pace of the churn's creates; 0: back to back");
  app.add_option("--timeout-s", timeout_s, "give up on the watch deliveries after this long");
  CLI11_PARSE(app, argc, argv);
  const auto duration = std::chrono::milliseconds(static_cast<int64_t>(duration_s * 1000.0));

  // The cluster: its store and PKI in a fresh temporary directory, removed at the end.
  char dir_template[] = "/tmp/kactor-bench-http-XXXXXX";
  if (!mkdtemp(dir_template)) return std::perror("mkdtemp"), 1;
  const std::filesystem::path dir = dir_template;
  struct RemoveDir {
    std::filesystem::path p;
    ~RemoveDir() { std::filesystem::remove_all(p); }
  } remove_dir{dir};

  ClusterOptions copts;
  copts.nodes = 0;
  copts.scheduler = false;
  copts.threads = caf_threads;
  copts.data_dir = (dir / "store").string();
  copts.durability = store::Durability::async;
  auto started = Cluster::start(copts);
  if (!started) return std::fprintf(stderr, "cluster: %s\n", started.error().message.c_str()), 1;
  auto& cluster = **started;
  http::ServeOptions sopts;
  sopts.listen = "127.0.0.1:0";
  sopts.data_dir = dir;
  sopts.threads = server_threads;
  sopts.read_timeout = std::chrono::seconds(600);  // idle watchers and connections stay
  auto serving = http::serve_api(cluster.system(), cluster.apiserver(), cluster.clock(), sopts);
  if (!serving) return std::fprintf(stderr, "serve: %s\n", serving.error().message.c_str()), 1;
  Target target;
  target.port =
      static_cast<uint16_t>(std::stoi((*serving)->url().substr((*serving)->url().rfind(':') + 1)));
  target.ca_pem = read_file(dir / "pki" / "ca.crt");
  target.token = (*serving)->admin_token();
  std::printf(
      "serving %s; %zu connections on %zu client threads, %zu server threads, %.1f s per verb\n",
      (*serving)->url().c_str(), connections, client_threads, server_threads, duration_s);

  // Fixtures: namespaces, and the pods to GET and LIST.
  auto& c = cluster.client();
  for (const char* ns : {"bench-list", "bench-create", "bench-watch"})
    if (auto r = c.create(api::testing::make_namespace(ns)); !r)
      return std::fprintf(stderr, "namespace %s: %s\n", ns, r.error().message.c_str()), 1;
  for (size_t i = 0; i < list_pods; ++i)
    if (auto r = c.create(api::testing::make_pod("bench-list", index_name("pod-", i))); !r)
      return std::fprintf(stderr, "pod: %s\n", r.error().message.c_str()), 1;
  const std::string get_name = index_name("pod-", 0);

  // 1. HTTPS load per verb.
  const auto get_path = "/api/v1/namespaces/bench-list/pods/" + get_name;
  auto get = run_load(
      target, client_threads, connections, duration,
      [&](size_t, uint64_t) { return api_request(target, bhttp::verb::get, get_path); }, 200);
  report("GET", get);
  auto list = run_load(
      target, client_threads, connections, duration,
      [&](size_t, uint64_t) {
        return api_request(target, bhttp::verb::get, "/api/v1/namespaces/bench-list/pods");
      },
      200);
  report("LIST", list);
  auto create = run_load(
      target, client_threads, connections, duration,
      [&](size_t conn, uint64_t seq) {
        auto req =
            api_request(target, bhttp::verb::post, "/api/v1/namespaces/bench-create/configmaps");
        req.set(bhttp::field::content_type, "application/json");
        req.body() = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" +
                     std::to_string(conn) + "-" + std::to_string(seq) +
                     "\"},\"data\":{\"key\":\"value\"}}";
        req.prepare_payload();
        return req;
      },
      201);
  report("CREATE", create);
  // 2. The in-process baseline.
  auto inproc = inproc_get(cluster, connections, duration, "bench-list", get_name);
  report("GET(in-process)", inproc);
  if (fail_on("GET", get) || fail_on("LIST", list) || fail_on("CREATE", create) ||
      fail_on("GET(in-process)", inproc))
    return 1;
  const double ratio = inproc.per_s() > 0 ? get.per_s() / inproc.per_s() : 0;
  std::printf("HTTPS GET / in-process GET = %.3f\n", ratio);

  // 3. Watch fan-out. Opened from the current revision, so only the churn arrives.
  auto listed = c.list(api::Pod::static_type(), "bench-watch");
  if (!listed) return std::fprintf(stderr, "list: %s\n", listed.error().message.c_str()), 1;
  const auto watch_path =
      "/api/v1/namespaces/bench-watch/pods?watch=true&resourceVersion=" + listed->resource_version;
  ChurnClock churn_clock(churn);
  WatchProgress progress;
  std::vector<WatchTally> tallies(client_threads);
  std::vector<std::unique_ptr<net::io_context>> iocs;
  for (size_t t = 0; t < client_threads; ++t) iocs.push_back(std::make_unique<net::io_context>(1));
  auto ctx = client_context(target);
  // The streams take all that has arrived in one receive (OpenSSL otherwise asks the socket
  // for each record's header and body apart): the client shares the cores with the server
  // it measures, and its receives were five for every write of the server's.
  SSL_CTX_set_read_ahead(ctx.native_handle(), 1);
  std::vector<std::shared_ptr<WatchStream>> streams;
  const double rss_before = rss_kib();
  const auto open_start = Steady::now();
  try {
    for (size_t i = 0; i < watchers; ++i) {
      auto s = connect_watch(*iocs[i % client_threads], ctx, target);
      auto leftover = open_watch(*s, target, watch_path);
      streams.push_back(std::make_shared<WatchStream>(std::move(s), std::move(leftover), "churn-",
                                                      churn_clock, tallies[i % client_threads],
                                                      progress));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "opening watch %zu: %s\n", streams.size(), e.what());
    return 1;
  }
  const double open_s = std::chrono::duration<double>(Steady::now() - open_start).count();
  const double rss_after = rss_kib();
  const double watch_kib = watchers ? (rss_after - rss_before) / static_cast<double>(watchers) : 0;
  std::printf(
      "opened %zu watches in %.2f s; RSS %.0f -> %.0f MiB: %.1f KiB per idle watch "
      "(server and client side together)\n",
      watchers, open_s, rss_before / 1024, rss_after / 1024, watch_kib);

  for (size_t i = 0; i < streams.size(); ++i) {
    streams[i]->expect(churn);
    net::post(*iocs[i % client_threads], [s = streams[i]] { s->start(); });
  }
  std::vector<std::thread> readers;
  for (size_t t = 0; t < client_threads; ++t)
    readers.emplace_back([&, t] {
      auto guard = net::make_work_guard(*iocs[t]);
      iocs[t]->run();
    });

  const auto churn_start = Steady::now();
  for (size_t i = 0; i < churn; ++i) {
    if (churn_per_s > 0)
      std::this_thread::sleep_until(churn_start +
                                    std::chrono::duration_cast<Steady::duration>(
                                        std::chrono::duration<double>(i / churn_per_s)));
    churn_clock.mark_sent(i);
    if (auto r = c.create(api::testing::make_pod("bench-watch", index_name("churn-", i))); !r) {
      std::fprintf(stderr, "churn create %zu: %s\n", i, r.error().message.c_str());
      return 1;
    }
  }
  const double churn_s = std::chrono::duration<double>(Steady::now() - churn_start).count();
  bool complete = false;
  {
    std::unique_lock lock(progress.mutex);
    complete = progress.all_done.wait_for(lock, std::chrono::seconds(timeout_s), [&] {
      return progress.complete + progress.ended_early == streams.size();
    }) && progress.ended_early == 0;
  }
  const double deliver_s = std::chrono::duration<double>(Steady::now() - churn_start).count();
  for (size_t t = 0; t < client_threads; ++t)
    net::post(*iocs[t], [&, t] {
      for (size_t i = t; i < streams.size(); i += client_threads) streams[i]->close();
      iocs[t]->stop();
    });
  for (auto& r : readers) r.join();

  std::vector<float> delivery;
  uint64_t duplicates = 0, other = 0;
  for (auto& t : tallies) {
    delivery.insert(delivery.end(), t.delivery_ms.begin(), t.delivery_ms.end());
    duplicates += t.duplicates;
    other += t.other;
  }
  const size_t expected = watchers * churn;
  std::printf(
      "churn: %zu pod creates in %.2f s (%.0f/s); %zu of %zu deliveries in %.2f s "
      "(%.0f/s); delivery p50 %.1f ms p99 %.1f ms max %.1f ms; %llu duplicates, %llu "
      "other lines\n",
      churn, churn_s, churn / churn_s, delivery.size(), expected, deliver_s,
      delivery.size() / deliver_s, percentile(delivery, 0.5), percentile(delivery, 0.99),
      percentile(delivery, 1.0), static_cast<unsigned long long>(duplicates),
      static_cast<unsigned long long>(other));
  if (!complete || delivery.size() != expected || duplicates != 0) {
    std::fprintf(stderr,
                 "watch: not every watcher got every event exactly once (%zu streams "
                 "complete, %zu ended early)\n",
                 progress.complete, progress.ended_early);
    return 1;
  }
  streams.clear();
  (*serving)->stop();
  cluster.shutdown();
  std::printf(
      "http: get_per_s=%.0f list_per_s=%.0f create_per_s=%.0f watch_p99_ms=%.1f "
      "watch_kib=%.1f inproc_get_ratio=%.3f\n",
      get.per_s(), list.per_s(), create.per_s(), percentile(delivery, 0.99), watch_kib, ratio);
  return 0;
}
