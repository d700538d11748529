// bench_store: durable write throughput of kactor's API server (RocksDB, fsync per
// group commit) against etcd 3.4 on the same machine, with the same number of
// concurrent writers and the same value sizes. Prints a table and, last, one line
// `store: kactor_writes_per_s=N etcd_writes_per_s=M ratio=R p99_write_ms=L`.
#include <cstdio>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "bench/store_common.hpp"
#include "bench/store_etcd.hpp"
#include "bench/store_kactor.hpp"

using namespace kactor::bench;

namespace {

void print_row(const char* system, const StoreOptions& o, const RunResult& r) {
  std::printf("%-7s %8zu %8zu %8zu %9.2f %12.0f %8.2f %8.2f %8.2f\n", system, r.writes, o.writers,
              o.value_bytes, r.seconds, r.writes_per_s, r.write.p50_ms, r.write.p99_ms,
              r.write.max_ms);
}

}  // namespace

int main(int argc, char** argv) {
  StoreOptions o;
  CLI::App app{"kactor durable write throughput vs etcd"};
  app.add_option("--writes", o.writes, "total creates / puts per system")
      ->check(CLI::Range(size_t{1}, size_t{100000000}))
      ->capture_default_str();
  app.add_option("--writers", o.writers, "concurrent writers (actors / client threads)")
      ->check(CLI::Range(size_t{1}, size_t{4096}))
      ->capture_default_str();
  app.add_option("--value-bytes", o.value_bytes, "bytes of the value of each write")
      ->check(CLI::Range(size_t{1}, size_t{1000000}))
      ->capture_default_str();
  app.add_option("--etcd-bin", o.etcd_bin, "etcd executable")->capture_default_str();
  app.add_flag("--skip-etcd", o.skip_etcd, "measure kactor only");
  app.add_option("--timeout-s", o.timeout_s, "give up on a system after this many seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  // The API server logs at info per start; keep the output to the figures.
  spdlog::set_level(spdlog::level::warn);

  std::printf("bench_store: %zu writes, %zu writers, %zu-byte values, fsync per commit\n", o.writes,
              o.writers, o.value_bytes);
  std::fflush(stdout);
  auto k = run_kactor(o);
  if (!k) {
    std::fprintf(stderr, "bench_store: kactor failed: %s\n", k.error().c_str());
    return 1;
  }
  std::optional<RunResult> e;
  if (!o.skip_etcd) {
    auto r = run_etcd(o);
    if (!r) {
      std::fprintf(stderr, "bench_store: etcd failed: %s\n", r.error().c_str());
      return 1;
    }
    e = *r;
  }

  std::printf("%-7s %8s %8s %8s %9s %12s %8s %8s %8s\n", "system", "writes", "writers", "value_B",
              "seconds", "writes/s", "p50_ms", "p99_ms", "max_ms");
  print_row("kactor", o, *k);
  if (e) print_row("etcd", o, *e);
  std::printf("watch: kactor write->ADDED event p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
              k->watch.p50_ms, k->watch.p99_ms, k->watch.max_ms);
  // Without etcd the comparison is absent: reported as 0 so the line keeps its shape.
  double ratio = e && e->writes_per_s > 0 ? k->writes_per_s / e->writes_per_s : 0.0;
  std::printf(
      "store: kactor_writes_per_s=%.0f etcd_writes_per_s=%.0f ratio=%.2f p99_write_ms=%.2f\n",
      k->writes_per_s, e ? e->writes_per_s : 0.0, ratio, k->write.p99_ms);
  return 0;
}
