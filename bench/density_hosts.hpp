// `bench_density --hosts N`: the density run with every role its own `kactor` process on
// loopback, mutual TLS on (certificates from `kactor certs`): an API server (in-memory store),
// a controller manager, a scheduler and N node processes sharing the nodes, as
// docs/multi-host.md starts them. The benchmark itself is one more remote client (the admin
// certificate). Bytes on the wire are what the kernel counted on the API server's CAF
// connections (`ss -ti`: bytes received plus bytes acknowledged) over the RC's run.
#pragma once

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "actors/client/blocking_client.hpp"
#include "actors/remote/tls/credentials.hpp"
#include "actors/remote/tls/proof.hpp"
#include "api/types/all.hpp"
#include "bench/density_rc.hpp"
#include "runtime/cluster.hpp"
#include "runtime/roles.hpp"
#include "tests/e2e/child_process.hpp"

namespace kactor::bench {

struct HostsOptions {
  std::filesystem::path kactor;  // the `kactor` binary
  std::filesystem::path dir;     // scratch: PKI, logs
  size_t nodes = 1000;
  int32_t pods = 30000;
  int node_processes = 2;
  /// CAF workers of every process but the API server's (which gets one per core). The
  /// processes share this machine's cores, where on hosts of their own each would have its
  /// own: a worker each spares them waking one another's (`--role-threads`).
  size_t role_threads = 1;
  std::string cluster_cidr;  // resolved (the controller manager cuts node /24s from it)
  std::chrono::seconds timeout{600};
};

struct HostsRun {
  RcRun rc;
  double nodes_ready_ms = 0;
  int64_t wire_bytes = -1;  // -1: `ss` could not count them
  /// CPU seconds (user + system) each role process spent over the RC's run, by role.
  std::vector<std::pair<std::string, double>> cpu_s;
};

/// CPU seconds (user + system) process `pid` has used so far; 0 when /proc cannot tell.
inline double cpu_seconds(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// Bytes through the established TCP connections whose local port is `port` (both
/// directions), as `ss -tinH` reports them; -1 when `ss` fails.
inline int64_t wire_bytes_on_port(uint16_t port) {
  std::string ss;
  for (const char* p : {"/usr/bin/ss", "/bin/ss", "/usr/sbin/ss", "/sbin/ss"})
    if (std::filesystem::exists(p)) ss = p;
  if (ss.empty()) return -1;
  auto r = testing::run_process(
      {ss, "-tinH", "state", "established", "( sport = :" + std::to_string(port) + " )"}, {},
      "", std::chrono::seconds(10));
  if (r.exit_code != 0) return -1;
  static const std::regex counted(R"((bytes_acked|bytes_received):(\d+))");
  int64_t total = 0;
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), counted), end; it != end; ++it)
    total += std::stoll((*it)[2]);
  return total;
}

/// The role processes of one run; every one is ended (SIGTERM, then SIGKILL) when it goes.
class HostsCluster {
 public:
  explicit HostsCluster(HostsOptions o) : o_(std::move(o)) {}
  ~HostsCluster() {
    if (host_) host_->shutdown();
    for (auto it = procs_.rbegin(); it != procs_.rend(); ++it) (*it)->stop(SIGTERM);
  }

  /// Certificates, the processes, the admin's connection, and all nodes Ready; false (reason
  /// and the log tail on stderr) when one fails.
  bool start() {
    const auto pki = o_.dir / "data" / "pki";  // the HTTP API's PKI too: one CA for both
    std::vector<size_t> counts;
    for (int i = 0; i < o_.node_processes; ++i)
      counts.push_back(o_.nodes / o_.node_processes + (static_cast<size_t>(i) < o_.nodes % o_.node_processes));
    for (int i = 0; i < o_.node_processes; ++i) {
      auto certs = testing::run_process(
          {o_.kactor.string(), "certs", "--dir", pki.string(), "--node-prefix", prefix(i),
           "--node-count", std::to_string(counts[i])},
          {}, "", std::chrono::seconds(300));
      if (certs.exit_code != 0) {
        std::fprintf(stderr, "kactor certs: %s%s\n", certs.out.c_str(), certs.err.c_str());
        return false;
      }
    }
    const std::vector<std::string> wire{"--pki-dir", pki.string()};
    auto& api = spawn("apiserver", {"apiserver", "--caf-listen", "127.0.0.1:0", "--in-memory",
                                    "--data-dir", (o_.dir / "data").string(), "--listen",
                                    "127.0.0.1:0"},
                      wire);
    auto ready = api.wait_for_line("apiserver ready: caf ", std::chrono::seconds(60));
    if (!ready) return failed(api, "the API server did not start");
    // "apiserver ready: caf 127.0.0.1:PORT, http ..."
    const auto from = std::string("apiserver ready: caf ").size();
    const auto caf = ready->substr(from, ready->find(',') - from);
    port_ = static_cast<uint16_t>(std::stoi(caf.substr(caf.rfind(':') + 1)));
    auto role_wire = wire;
    role_wire.insert(role_wire.end(), {"--threads", std::to_string(o_.role_threads)});
    spawn("controller-manager", {"controller-manager", "--server", caf, "--leader-elect=false",
                                 "--cluster-cidr", o_.cluster_cidr},
          role_wire);
    spawn("scheduler", {"scheduler", "--server", caf, "--leader-elect=false"}, role_wire);
    for (int i = 0; i < o_.node_processes; ++i)
      spawn("node-" + std::to_string(i),
            {"node", "--server", caf, "--count", std::to_string(counts[i]), "--name-prefix",
             prefix(i), "--kubelet-port", "0"},
            role_wire);

    auto creds = remote::tls::load_role_credentials(pki, {"admin"}, std::chrono::system_clock::now());
    if (!creds) {
      std::fprintf(stderr, "admin credentials: %s\n", creds.error().message.c_str());
      return false;
    }
    runtime::RemoteHost::Options ho;
    ho.server.host = "127.0.0.1";
    ho.server.port = port_;
    ho.server.tls = true;
    ho.tls = {creds->files.certificate.string(), creds->files.key.string(),
              creds->files.cafile.string()};
    ho.server.prove = remote::tls::prover(std::move(creds->identities));
    host_ = runtime::RemoteHost::start(ho);
    if (!host_->wait_connected(std::chrono::seconds(30))) return failed(api, "no connection to the API server");
    client_ = std::make_unique<client::BlockingClient>(host_->system(), *host_->context().apiserver);

    const auto t0 = Steady::now();
    const auto deadline = t0 + o_.timeout;
    for (;;) {
      if (ready_nodes() == o_.nodes) break;
      if (Steady::now() >= deadline) return failed(*procs_.back(), "the nodes did not become Ready");
      ::poll(nullptr, 0, 250);  // re-list every 250 ms until the deadline
    }
    nodes_ready_ms_ = ms(Steady::now() - t0);
    return true;
  }

  client::BlockingClient& client() { return *client_; }
  /// Each role process's CPU seconds so far, by role.
  std::vector<std::pair<std::string, double>> cpu() const {
    std::vector<std::pair<std::string, double>> out;
    for (size_t i = 0; i < procs_.size(); ++i) out.emplace_back(names_[i], cpu_seconds(procs_[i]->pid()));
    return out;
  }
  uint16_t caf_port() const { return port_; }
  double nodes_ready_ms() const { return nodes_ready_ms_; }

 private:
  static std::string prefix(int i) { return "h" + std::to_string(i) + "-"; }

  testing::BackgroundProcess& spawn(const std::string& name, std::vector<std::string> args,
                                    const std::vector<std::string>& wire) {
    names_.push_back(name);
    args.insert(args.begin(), o_.kactor.string());
    args.insert(args.end(), wire.begin(), wire.end());
    procs_.push_back(
        std::make_unique<testing::BackgroundProcess>(args, (o_.dir / (name + ".log")).string()));
    return *procs_.back();
  }

  bool failed(const testing::BackgroundProcess& p, const char* what) {
    std::fprintf(stderr, "--hosts: %s; log tail:\n%s\n", what, p.log_tail().c_str());
    return false;
  }

  /// Ready nodes as the in-process run counts them (count_ready_nodes, runtime/cluster.hpp:
  /// Ready and without the not-ready taint the scheduler would still respect).
  size_t ready_nodes() {
    auto listed = client_->list(api::Node::static_type());
    return listed ? count_ready_nodes(listed->items) : 0;
  }

  HostsOptions o_;
  std::vector<std::unique_ptr<testing::BackgroundProcess>> procs_;
  std::vector<std::string> names_;  // the role of each of procs_
  std::unique_ptr<runtime::RemoteHost> host_;
  std::unique_ptr<client::BlockingClient> client_;
  uint16_t port_ = 0;
  double nodes_ready_ms_ = 0;
};

/// The whole --hosts run: start, the RC of `pods`, the wire bytes it took.
inline std::optional<HostsRun> run_density_hosts(const HostsOptions& o) {
  HostsCluster cluster(o);
  if (!cluster.start()) return std::nullopt;
  HostsRun run;
  run.nodes_ready_ms = cluster.nodes_ready_ms();
  const int64_t before = wire_bytes_on_port(cluster.caf_port());
  const auto cpu_before = cluster.cpu();
  auto rc = run_rc(cluster.client(), o.pods, o.timeout);
  if (!rc) return std::nullopt;
  const int64_t after = wire_bytes_on_port(cluster.caf_port());
  run.cpu_s = cluster.cpu();
  for (size_t i = 0; i < run.cpu_s.size(); ++i) run.cpu_s[i].second -= cpu_before[i].second;
  run.rc = std::move(*rc);
  if (before >= 0 && after >= 0) run.wire_bytes = after - before;
  return run;
}

}  // namespace kactor::bench
