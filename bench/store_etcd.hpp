// bench_store, etcd side: a single-member etcd on loopback ports in a temporary data
// directory, W client threads PUTting through its v3 JSON gateway (one keep-alive
// connection each). Stopped with SIGTERM and removed afterwards.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "bench/store_common.hpp"

extern char** environ;

namespace kactor::bench {
namespace etcd_side {

/// A free loopback port: bound to port 0, read back, released. etcd binds it moments
/// later; another process taking it in between would make etcd fail to start (reported).
inline std::expected<int, std::string> free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::unexpected(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string err = std::strerror(errno);
    ::close(fd);
    return std::unexpected("binding a loopback port: " + err);
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

inline std::string tail_of(const std::string& path, size_t bytes = 2000) {
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

/// A running etcd; stopped (SIGTERM, then SIGKILL after a deadline) on destruction,
/// before its directory is removed.
class EtcdProcess {
 public:
  static std::expected<std::unique_ptr<EtcdProcess>, std::string> start(const std::string& bin) {
    auto dir = TempDir::make("etcd-bench-store");
    if (!dir) return std::unexpected(dir.error());
    auto client = free_port();
    auto peer = free_port();
    if (!client) return std::unexpected(client.error());
    if (!peer) return std::unexpected(peer.error());
    if (*client == *peer) return std::unexpected("got the same free port twice");
    std::unique_ptr<EtcdProcess> p(new EtcdProcess(std::move(*dir)));
    p->port_ = *client;
    p->log_ = p->dir_.path() + "/etcd.log";
    const std::string c = "http://127.0.0.1:" + std::to_string(*client);
    const std::string pe = "http://127.0.0.1:" + std::to_string(*peer);
    std::vector<std::string> args = {bin,
                                     "--name",
                                     "default",
                                     "--data-dir",
                                     p->dir_.path() + "/data",
                                     "--listen-client-urls",
                                     c,
                                     "--advertise-client-urls",
                                     c,
                                     "--listen-peer-urls",
                                     pe,
                                     "--initial-advertise-peer-urls",
                                     pe,
                                     "--initial-cluster",
                                     "default=" + pe};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, p->log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return std::unexpected("starting " + bin + ": " + std::strerror(rc));
    p->pid_ = pid;
    return p;
  }

  ~EtcdProcess() { stop(); }

  /// Polls /health until etcd reports healthy, it exits, or the deadline passes.
  std::optional<std::string> wait_healthy(std::chrono::seconds limit) {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_connection_timeout(1);
    cli.set_read_timeout(2);
    const auto deadline = BenchClock::now() + limit;
    while (BenchClock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return "etcd exited during startup; its log ends with:\n" + tail_of(log_);
      }
      auto res = cli.Get("/health");
      if (res && res->status == 200 && res->body.find("\"true\"") != std::string::npos)
        return std::nullopt;
      // Poll interval, not a wait for an outcome: the loop ends on the condition.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "etcd was not healthy within " + std::to_string(limit.count()) +
           " s; its log ends with:\n" + tail_of(log_);
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = BenchClock::now() + std::chrono::seconds(20);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (BenchClock::now() >= deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = 0;
  }

  int port() const { return port_; }
  const std::string& log() const { return log_; }

 private:
  explicit EtcdProcess(TempDir dir) : dir_(std::move(dir)) {}
  TempDir dir_;  // outlives the process: stop() runs first in the destructor
  pid_t pid_ = 0;
  int port_ = 0;
  std::string log_;
};

}  // namespace etcd_side

/// Runs the etcd half of the benchmark; an error string if anything failed.
inline std::expected<RunResult, std::string> run_etcd(const StoreOptions& o) {
  using namespace etcd_side;
  auto etcd = EtcdProcess::start(o.etcd_bin);
  if (!etcd) return std::unexpected(etcd.error());
  if (auto err = (*etcd)->wait_healthy(std::chrono::seconds(30))) return std::unexpected(*err);

  // Bodies are built up front so that the clients measure etcd, not string building.
  auto values = make_values(o.value_bytes);
  std::vector<std::string> encoded;
  for (auto& v : values) encoded.push_back(base64(v));

  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::optional<std::string> failure;
  std::vector<int64_t> lat(o.writes, 0);
  const int port = (*etcd)->port();
  const auto deadline = BenchClock::now() + std::chrono::seconds(o.timeout_s);
  auto fail = [&](std::string why) {
    std::lock_guard lock(mu);
    if (!failure) failure = std::move(why);
    failed = true;
  };

  auto client = [&] {
    httplib::Client cli("127.0.0.1", port);
    cli.set_keep_alive(true);
    cli.set_connection_timeout(5);
    cli.set_read_timeout(60);
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= o.writes || failed) return;
      if (BenchClock::now() >= deadline) return fail("timed out");
      std::string body = R"({"key":")" + base64("k-" + std::to_string(i)) + R"(","value":")" +
                         encoded[i % encoded.size()] + R"("})";
      auto t0 = BenchClock::now();
      auto res = cli.Post("/v3/kv/put", body, "application/json");
      auto t1 = BenchClock::now();
      if (!res) return fail("etcd put: " + httplib::to_string(res.error()));
      if (res->status != 200)
        return fail("etcd put: HTTP " + std::to_string(res->status) + ": " + res->body);
      lat[i] = nanos_between(t0, t1);
    }
  };

  const auto start = BenchClock::now();
  std::vector<std::thread> threads;
  for (size_t w = 0; w < o.writers; ++w) threads.emplace_back(client);
  for (auto& t : threads) t.join();
  const auto end = BenchClock::now();
  (*etcd)->stop();
  if (failure) return std::unexpected(*failure);

  RunResult r;
  r.writes = o.writes;
  r.seconds = std::chrono::duration<double>(end - start).count();
  r.writes_per_s = r.seconds > 0 ? static_cast<double>(o.writes) / r.seconds : 0;
  r.write = summarize(std::move(lat));
  return r;
}

}  // namespace kactor::bench
