// Every role as its own process over CAF's network layer (docs/multi-host.md): the `kactor`
// binary started as apiserver, controller-manager, scheduler and two `node --count 5`
// processes on loopback. An RC of 20 pods behind a Service runs; kill -9 of one node process
// → its nodes go Unknown and the pods are replaced on the other process's nodes; kill -9 of
// the API server, restarted on its data directory and port → every component reconnects on its
// own and a new RC converges; in between, the kubelets' HTTPS API (client CA: the cluster's):
// kubectl logs of a pod on a node of a node process, the node proxy's stats/summary and
// kubectl top nodes. The same cluster with mutual TLS (certificates from `kactor certs`): the
// nodes register and an RC runs, and an API server with --kubelet-certificate-authority
// reaches each kubelet through the serving certificate `kactor certs` issued its node. Two schedulers and two controller managers elect one leader
// each through their Leases; kill -9 of the leading scheduler → the other takes over and
// binds; a leader stopped by SIGTERM hands over at once; leaders cut off from the API server
// exit 1.
#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/http/client/cluster_access.hpp"
#include "actors/http/client/https_client.hpp"
#include "actors/http/client/rest_client.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "child_process.hpp"
#include "role_processes.hpp"
#include "kubectl_fixture.hpp"
#include "tests/support/seed.hpp"

using namespace kactor;
using namespace kactor::testing;
using http::client::RestClient;

namespace {

/// One cluster of `kactor` processes under a scratch directory.
struct Processes {
  std::filesystem::path dir;
  std::string caf;  // host:port of the published API server
  std::unique_ptr<BackgroundProcess> apiserver, controllers, scheduler;
  std::vector<std::unique_ptr<BackgroundProcess>> nodes;

  std::unique_ptr<BackgroundProcess> start(const std::string& name,
                                           std::vector<std::string> args) {
    args.insert(args.begin(), KACTOR_BINARY);
    return std::make_unique<BackgroundProcess>(args, (dir / (name + ".log")).string());
  }

  /// The wire flags of every role: --insecure, or --pki-dir when `pki` is set.
  std::filesystem::path pki;
  std::vector<std::string> wire() const {
    if (pki.empty()) return {"--insecure"};
    return {"--pki-dir", pki.string()};
  }

  /// A role's arguments: `role`, `address_flag address`, the wire flags, then `rest`.
  std::vector<std::string> role_args(const std::string& role, const std::string& address_flag,
                                     const std::string& address,
                                     std::vector<std::string> rest = {}) const {
    std::vector<std::string> args{role, address_flag, address};
    for (auto& w : wire()) args.push_back(w);
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  }

  /// Starts the API server (on `caf_listen`, with `extra` flags) and waits for its ready line.
  void start_apiserver(const std::string& caf_listen, std::vector<std::string> extra = {}) {
    std::vector<std::string> flags{"--listen", "127.0.0.1:0", "--data-dir",
                                   (dir / "data").string(),
                                   // Pods leave an unreachable node 1 s after its taint.
                                   "--default-unreachable-toleration-seconds", "1",
                                   "--default-not-ready-toleration-seconds", "1"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    apiserver = start("apiserver", role_args("apiserver", "--caf-listen", caf_listen, flags));
    auto ready = apiserver->wait_for_line("apiserver ready: caf ", std::chrono::seconds(60));
    INFO(apiserver->log_tail());
    REQUIRE(ready);
    // "apiserver ready: caf 127.0.0.1:PORT, http ..."
    auto from = std::string("apiserver ready: caf ").size();
    caf = ready->substr(from, ready->find(',') - from);
  }

  /// A client over the kubeconfig the API server wrote (re-read: its port may change).
  std::unique_ptr<RestClient> client() const {
    auto access = http::client::load_kubeconfig(dir / "data" / "kubeconfig");
    if (!access) return nullptr;
    return std::make_unique<RestClient>(*access, std::chrono::seconds(10));
  }
};

/// The holder of the Lease kube-system/`name` ("" when none or not readable) and its
/// leaseTransitions.
std::pair<std::string, int32_t> lease_holder(const Processes& p, const std::string& name) {
  auto c = p.client();
  if (!c) return {"", 0};
  auto got = c->get(api::Lease::static_type(), "kube-system", name);
  if (!got) return {"", 0};
  const auto& spec = static_cast<const api::Lease&>(**got).spec;
  return {spec.holder_identity.value_or(""), spec.lease_transitions.value_or(0)};
}

/// Waits until `holds(holder)` for the Lease kube-system/`name`, at most `deadline`.
bool wait_holder(const Processes& p, const std::string& name,
                 const std::function<bool(const std::string&)>& holds,
                 std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (holds(lease_holder(p, name).first)) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    ::poll(nullptr, 0, 100);  // re-check every 100 ms until the deadline
  }
}

/// The candidate identity a role printed in its ready line ("<role> ready: candidate ID for
/// lease NS/NAME").
std::string candidate_identity(BackgroundProcess& proc, const std::string& role) {
  auto line = proc.wait_for_line(role + " ready: candidate ", std::chrono::seconds(60));
  INFO(proc.log_tail());
  REQUIRE(line);
  auto from = (role + " ready: candidate ").size();
  return line->substr(from, line->find(' ', from) - from);
}

}  // namespace

TEST_CASE("roles as processes: an RC runs, survives a lost node process and an API server restart",
          "[e2e][multi-host]") {
  const auto seed = test_seed("multi-process");
  Processes p;
  p.dir = std::filesystem::temp_directory_path() / ("kactor-multi-" + std::to_string(seed));
  std::filesystem::remove_all(p.dir);
  std::filesystem::create_directories(p.dir);
  p.start_apiserver("127.0.0.1:0");
  const auto seed_flag = std::to_string(seed);
  // Unelected (--leader-elect=false): this test restarts the API server, and an elected
  // leader cut off for longer than its renew deadline exits, as upstream's do, for a
  // supervisor to restart — which this test does not have. Election: a later test case.
  const auto pki = p.dir / "data" / "pki";
  p.controllers = p.start(
      "controller-manager",
      {"controller-manager", "--server", p.caf, "--insecure", "--seed", seed_flag,
       "--leader-elect=false",
       "--kubelet-client-certificate", (pki / "apiserver-kubelet-client.crt").string(),
       "--kubelet-client-key", (pki / "apiserver-kubelet-client.key").string(),
       // A silent node is Unknown after 5 s (not 50 s; leases every 1 s), tainted at once (not
       // 0.1 nodes/s).
       "--node-monitor-period", "1s", "--node-monitor-grace-period", "5s",
       "--node-startup-grace-period", "20s", "--node-eviction-rate", "100"});
  // One CAF worker, as `bench_density --hosts` runs the roles beside one another.
  p.scheduler = p.start("scheduler", {"scheduler", "--server", p.caf, "--insecure",
                                      "--leader-elect=false", "--threads", "1"});
  for (const char* prefix : {"a-", "b-"})
    p.nodes.push_back(p.start(std::string("node-") + prefix,
                              {"node", "--server", p.caf, "--insecure", "--count", "5",
                               "--name-prefix", prefix, "--node-lease-interval", "1s",
                               // Two node processes on one host: any free port each.
                               "--kubelet-port", "0", "--client-ca-file",
                               (pki / "ca.crt").string()}));
  auto logs = [&] {
    std::string out;
    for (auto* proc : {p.apiserver.get(), p.controllers.get(), p.scheduler.get(),
                       p.nodes[0].get(), p.nodes[1].get()})
      if (proc) out += "---\n" + proc->log_tail(1500);
    return out;
  };
  auto client = [&] { return p.client(); };
  // Phase timings on stderr (ctest --output-on-failure, or running the test directly).
  auto started = std::chrono::steady_clock::now();
  auto phase = [&](const char* what) {
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "multi-process: %s in %.1f s\n", what,
                 std::chrono::duration<double>(now - started).count());
    started = now;
  };

  INFO("the ten nodes of both node processes become Ready");
  REQUIRE(wait_list(
      client, api::Node::static_type(),
      [](const Objects& nodes) {
        size_t ready = 0;
        for (const auto& n : nodes) ready += node_ready(static_cast<const api::Node&>(*n)) == "True";
        return ready == 10;
      },
      std::chrono::seconds(60)));
  phase("5 processes started, 10 nodes Ready");

  auto c = p.client();
  REQUIRE(c);
  REQUIRE(c->create(api::testing::make_service("default", "web", {{"app", "web"}})).has_value());
  REQUIRE(c->create(api::testing::make_replication_controller("default", "web", 20,
                                                              {{"app", "web"}}))
              .has_value());
  {
    INFO(logs());
    REQUIRE(wait_list(client, api::Pod::static_type(),
                      [](const Objects& pods) { return running_pods(pods, "web", "") == 20; },
                      std::chrono::seconds(60), "default"));
    REQUIRE(wait_list(client, api::Endpoints::static_type(),
                      [](const Objects& eps) { return endpoint_addresses(eps, "web") == 20; },
                      std::chrono::seconds(60), "default"));
  }
  phase("RC of 20 running, Endpoints with 20 addresses");

  // The kubelets' HTTPS API: the API server reaches the node processes' kubelets.
  {
    INFO(logs());
    auto logger = api::testing::make_pod("default", "logger");
    logger.metadata.annotations["kactor.io/log"] = "every 200ms: hello {n}";
    logger.spec.node_name = "a-3";
    REQUIRE(c->create(logger).has_value());
    const auto kubectl = kubectls().front();
    const std::map<std::string, std::string> env{
        {"KUBECONFIG", (p.dir / "data" / "kubeconfig").string()},
        {"HOME", p.dir.string()}};
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    ProcessResult r;
    for (;;) {  // the pod starts, then has written its first line
      r = run_process({kubectl, "logs", "logger"}, env, "", std::chrono::seconds(30));
      if ((r.exit_code == 0 && r.out.find("hello 1\nhello 2\n") != std::string::npos) ||
          std::chrono::steady_clock::now() >= until)
        break;
      ::poll(nullptr, 0, 200);
    }
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("hello 1\nhello 2\n") != std::string::npos);

    r = run_process({kubectl, "get", "--raw", "/api/v1/nodes/b-2/proxy/stats/summary"}, env, "",
                    std::chrono::seconds(30));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto summary = nlohmann::json::parse(r.out, nullptr, false);
    REQUIRE(summary.is_object());
    CHECK(summary["node"]["nodeName"] == "b-2");
    CHECK(summary["node"]["memory"].contains("availableBytes"));
    CHECK(summary["pods"].is_array());

    // metrics.k8s.io: the API server's metrics server scrapes every 15 s.
    until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      r = run_process({kubectl, "top", "nodes", "--no-headers"}, env, "", std::chrono::seconds(30));
      // kubectl 1.32 lists a node without metrics as <unknown>: wait for all ten.
      if ((r.exit_code == 0 && folded_lines(r.out).size() == 10 &&
           r.out.find("<unknown>") == std::string::npos) ||
          std::chrono::steady_clock::now() >= until)
        break;
      ::poll(nullptr, 0, 500);
    }
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto rows = folded_lines(r.out);
    REQUIRE(rows.size() == 10);
    CHECK(r.out.find("<unknown>") == std::string::npos);
    std::set<std::string> named;
    for (const auto& row : rows) named.insert(row.substr(0, row.find(' ')));
    CHECK(named == std::set<std::string>{"a-0", "a-1", "a-2", "a-3", "a-4", "b-0", "b-1", "b-2",
                                         "b-3", "b-4"});
    REQUIRE(c->remove(api::Pod::static_type(), "default", "logger").has_value());
  }
  phase("kubectl logs, node proxy stats/summary and top nodes through the kubelet API");

  // One node process dies as a machine does: its nodes go Unknown, their pods are replaced on
  // the other process's nodes.
  p.nodes[0]->stop(SIGKILL);
  {
    INFO(logs());
    REQUIRE(wait_list(
        client, api::Node::static_type(),
        [](const Objects& nodes) {
          size_t unknown = 0;
          for (const auto& n : nodes)
            if (n->metadata.name.rfind("a-", 0) == 0 &&
                node_ready(static_cast<const api::Node&>(*n)) == "Unknown")
              ++unknown;
          return unknown == 5;
        },
        std::chrono::seconds(60)));
    phase("node process killed: its 5 nodes Unknown");
    REQUIRE(wait_list(client, api::Pod::static_type(),
                      [](const Objects& pods) { return running_pods(pods, "web", "b-") == 20; },
                      std::chrono::seconds(90), "default"));
    phase("its pods replaced on the other process's nodes");
  }

  // The API server is killed and started again on the same data directory and port: every
  // component reconnects on its own, and a new RC converges.
  p.apiserver->stop(SIGKILL);
  p.start_apiserver(p.caf);
  REQUIRE(wait_list(client, api::ReplicationController::static_type(),
                    [](const Objects& rcs) { return rcs.size() == 1; }, std::chrono::seconds(30),
                    "default"));  // the acknowledged RC survived
  c = p.client();
  REQUIRE(c);
  REQUIRE(c->create(api::testing::make_replication_controller("default", "api", 5,
                                                              {{"app", "api"}}))
              .has_value());
  {
    INFO(logs());
    REQUIRE(wait_list(client, api::Pod::static_type(),
                      [](const Objects& pods) {
                        return running_pods(pods, "api", "b-") == 5 &&
                               running_pods(pods, "web", "b-") == 20;
                      },
                      std::chrono::seconds(90), "default"));
  }
  phase("API server killed and restarted: a new RC of 5 running");

  for (auto* proc : {p.controllers.get(), p.scheduler.get(), p.nodes[1].get()})
    CHECK(proc->stop(SIGTERM) == 0);
  CHECK(p.apiserver->stop(SIGTERM) == 0);
  std::filesystem::remove_all(p.dir);
}

TEST_CASE("roles as processes with mutual TLS: certificates from kactor certs, an RC runs",
          "[e2e][multi-host]") {
  const auto seed = test_seed("multi-process tls");
  Processes p;
  p.dir = std::filesystem::temp_directory_path() / ("kactor-multi-tls-" + std::to_string(seed));
  std::filesystem::remove_all(p.dir);
  std::filesystem::create_directories(p.dir);
  // The HTTP API keeps its PKI in <data-dir>/pki: `kactor certs` there gives both one CA.
  p.pki = p.dir / "data" / "pki";
  auto certs = run_process({KACTOR_BINARY, "certs", "--dir", p.pki.string(), "--node-prefix",
                            "t-", "--node-count", "3"},
                           {}, "", std::chrono::seconds(60));
  INFO(certs.out << certs.err);
  REQUIRE(certs.exit_code == 0);
  CHECK(certs.out.find("nodes/t-2.crt: created") != std::string::npos);

  // Kubelets' serving certificates verified against the cluster CA: the node process below
  // serves each node with its kubelet-serving/<name>.crt from `kactor certs` (checked after
  // the RC runs).
  p.start_apiserver("127.0.0.1:0",
                    {"--kubelet-certificate-authority", (p.pki / "ca.crt").string()});
  CHECK(p.apiserver->log_tail(1000000).find("wire mutual TLS") != std::string::npos);
  p.controllers = p.start("controller-manager",
                          p.role_args("controller-manager", "--server", p.caf,
                                      {"--seed", std::to_string(seed)}));
  p.scheduler = p.start("scheduler", p.role_args("scheduler", "--server", p.caf));
  p.nodes.push_back(p.start("node-t-", p.role_args("node", "--server", p.caf,
                                                   {"--count", "3", "--name-prefix", "t-",
                                                    // Never the shared default 10250: other
                                                    // tests' node processes run beside.
                                                    "--kubelet-port", "0"})));
  auto logs = [&] {
    std::string out;
    for (auto* proc : {p.apiserver.get(), p.controllers.get(), p.scheduler.get(),
                       p.nodes[0].get()})
      out += "---\n" + proc->log_tail(1500);
    return out;
  };
  auto client = [&] { return p.client(); };
  {
    INFO(logs());
    REQUIRE(wait_list(
        client, api::Node::static_type(),
        [](const Objects& nodes) {
          size_t ready = 0;
          for (const auto& n : nodes)
            ready += node_ready(static_cast<const api::Node&>(*n)) == "True";
          return ready == 3;
        },
        std::chrono::seconds(60)));
  }
  auto c = p.client();
  REQUIRE(c);
  REQUIRE(c->create(api::testing::make_replication_controller("default", "web", 6,
                                                              {{"app", "web"}}))
              .has_value());
  {
    INFO(logs());
    REQUIRE(wait_list(client, api::Pod::static_type(),
                      [](const Objects& pods) { return running_pods(pods, "web", "t-") == 6; },
                      std::chrono::seconds(60), "default"));
  }
  {
    // --kubelet-certificate-authority: each node's own serving certificate verifies (a
    // self-signed one is refused, saying why: kubelet_api_test.cpp).
    auto access = http::client::load_kubeconfig(p.dir / "data" / "kubeconfig");
    REQUIRE(access);
    http::client::HttpsClient https(*access, std::chrono::seconds(30));
    for (const std::string node : {"t-0", "t-2"}) {
      auto r = https.request("GET", "/api/v1/nodes/" + node + "/proxy/stats/summary");
      REQUIRE(r);
      INFO(r->body);
      CHECK(r->status == 200);
      auto summary = nlohmann::json::parse(r->body, nullptr, false);
      REQUIRE(summary.is_object());
      CHECK(summary.value("node", nlohmann::json::object()).value("nodeName", "") == node);
    }
  }
  // A plaintext process is refused by the TLS listener: it never gets connected.
  auto plain = p.start("node-plain", {"node", "--server", p.caf, "--insecure", "--count", "1",
                                      "--name-prefix", "plain-", "--kubelet-port", "0"});
  CHECK(plain->wait_for_line("node ready", std::chrono::seconds(30)));
  CHECK(plain->log_tail(1000000).find("is not reachable yet") != std::string::npos);
  CHECK(plain->stop(SIGTERM) == 0);
  // The node process wrote only what NodeRestriction allows: nothing of it was refused.
  CHECK(p.nodes[0]->log_tail(10000000).find("is forbidden") == std::string::npos);

  for (auto* proc : {p.controllers.get(), p.scheduler.get(), p.nodes[0].get()})
    CHECK(proc->stop(SIGTERM) == 0);
  CHECK(p.apiserver->stop(SIGTERM) == 0);
  std::filesystem::remove_all(p.dir);
}

TEST_CASE("two schedulers and two controller managers: one of each leads, a killed leader is "
          "replaced",
          "[e2e][multi-host]") {
  const auto seed = test_seed("multi-process leader election");
  Processes p;
  p.dir = std::filesystem::temp_directory_path() / ("kactor-leader-" + std::to_string(seed));
  std::filesystem::remove_all(p.dir);
  std::filesystem::create_directories(p.dir);
  p.start_apiserver("127.0.0.1:0");
  const auto seed_flag = std::to_string(seed);
  // Shorter than upstream's 15 s / 10 s / 2 s so that a takeover fits the test.
  const std::vector<std::string> election = {"--leader-elect-lease-duration", "3s",
                                             "--leader-elect-renew-deadline", "2s",
                                             "--leader-elect-retry-period", "500ms"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), election.begin(), election.end());
    return args;
  };
  std::unique_ptr<BackgroundProcess> schedulers[2], managers[2];
  for (int i = 0; i < 2; ++i) {
    managers[i] = p.start("controller-manager-" + std::to_string(i),
                          with({"controller-manager", "--server", p.caf, "--insecure", "--seed",
                                seed_flag}));
    schedulers[i] = p.start("scheduler-" + std::to_string(i),
                            with({"scheduler", "--server", p.caf, "--insecure"}));
  }
  p.nodes.push_back(p.start("node", {"node", "--server", p.caf, "--insecure", "--count", "3",
                                     "--node-lease-interval", "1s", "--kubelet-port", "0"}));
  auto logs = [&] {
    std::string out;
    for (auto* proc : {p.apiserver.get(), managers[0].get(), managers[1].get(),
                       schedulers[0].get(), schedulers[1].get(), p.nodes[0].get()})
      if (proc) out += "---\n" + proc->log_tail(1500);
    return out;
  };
  auto client = [&] { return p.client(); };
  const std::string sched_id[2] = {candidate_identity(*schedulers[0], "scheduler"),
                                   candidate_identity(*schedulers[1], "scheduler")};
  const std::string cm_id[2] = {candidate_identity(*managers[0], "controller-manager"),
                                candidate_identity(*managers[1], "controller-manager")};
  CHECK(sched_id[0] != sched_id[1]);  // "<hostname>_<uuid>": same host, different UUIDs
  CHECK(cm_id[0] != cm_id[1]);

  INFO(logs());
  auto one_of = [](const std::string (&ids)[2]) {
    return [&ids](const std::string& h) { return h == ids[0] || h == ids[1]; };
  };
  REQUIRE(wait_holder(p, "kube-scheduler", one_of(sched_id), std::chrono::seconds(30)));
  REQUIRE(wait_holder(p, "kube-controller-manager", one_of(cm_id), std::chrono::seconds(30)));
  const int leader = lease_holder(p, "kube-scheduler").first == sched_id[0] ? 0 : 1;

  // The cluster works (the elected controller manager runs the RC, the elected scheduler
  // binds) and the standbys neither took over nor started anything meanwhile.
  REQUIRE(wait_list(
      client, api::Node::static_type(),
      [](const Objects& nodes) {
        size_t ready = 0;
        for (const auto& n : nodes) ready += node_ready(static_cast<const api::Node&>(*n)) == "True";
        return ready == 3;
      },
      std::chrono::seconds(60)));
  auto c = p.client();
  REQUIRE(c);
  REQUIRE(c->create(api::testing::make_replication_controller("default", "before", 5,
                                                              {{"app", "before"}}))
              .has_value());
  REQUIRE(wait_list(client, api::Pod::static_type(),
                    [](const Objects& pods) { return running_pods(pods, "before", "") == 5; },
                    std::chrono::seconds(60), "default"));
  CHECK(lease_holder(p, "kube-scheduler") == std::pair{sched_id[leader], 0});
  CHECK(schedulers[1 - leader]->log_tail(1 << 20).find("leading (lease") == std::string::npos);
  const int cm_leader = lease_holder(p, "kube-controller-manager").first == cm_id[0] ? 0 : 1;
  CHECK(lease_holder(p, "kube-controller-manager").second == 0);
  CHECK(managers[1 - cm_leader]->log_tail(1 << 20).find("leading (lease") == std::string::npos);

  // The leading scheduler dies without releasing: the other takes over once the record has
  // not changed for the lease duration (3 s) by its own clock, and binds a new RC's pods.
  schedulers[leader]->stop(SIGKILL);
  const auto killed = std::chrono::steady_clock::now();
  REQUIRE(wait_holder(p, "kube-scheduler",
                      [&](const std::string& h) { return h == sched_id[1 - leader]; },
                      std::chrono::seconds(20)));
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  std::fprintf(stderr, "multi-process leader election: scheduler taken over %.1f s after kill -9\n",
               took);
  CHECK(took >= 2.0);  // not before the lease duration (3 s, less the last retry period)
  CHECK(lease_holder(p, "kube-scheduler").second == 1);
  REQUIRE(c->create(api::testing::make_replication_controller("default", "after", 5,
                                                              {{"app", "after"}}))
              .has_value());
  REQUIRE(wait_list(client, api::Pod::static_type(),
                    [](const Objects& pods) { return running_pods(pods, "after", "") == 5; },
                    std::chrono::seconds(60), "default"));

  // The leading controller manager stops gracefully: it releases its Lease and the other
  // takes over at once, well before the lease duration.
  CHECK(managers[cm_leader]->stop(SIGTERM) == 0);
  const auto stopped = std::chrono::steady_clock::now();
  REQUIRE(wait_holder(p, "kube-controller-manager",
                      [&](const std::string& h) { return h == cm_id[1 - cm_leader]; },
                      std::chrono::seconds(20)));
  const double handed = std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped).count();
  std::fprintf(stderr, "multi-process leader election: controller manager handed over %.1f s "
               "after SIGTERM\n", handed);
  CHECK(handed < 2.5);  // one retry period (0.5 s) and a little, not the lease duration

  // The API server stops answering (SIGSTOP): the leaders cannot renew within the renew
  // deadline (2 s) and exit with status 1 at once, as upstream's components do, for their
  // supervisor to restart them as candidates.
  ::kill(p.apiserver->pid(), SIGSTOP);
  for (auto* proc : {managers[1 - cm_leader].get(), schedulers[1 - leader].get()}) {
    CHECK(proc->stop(0, std::chrono::seconds(20)) == 1);  // signal 0: only wait for its end
    INFO(proc->log_tail(4000));
    CHECK(proc->log_tail(4000).find("leaderelection lost") != std::string::npos);
  }
  ::kill(p.apiserver->pid(), SIGCONT);
  CHECK(p.nodes[0]->stop(SIGTERM) == 0);
  CHECK(p.apiserver->stop(SIGTERM) == 0);
  std::filesystem::remove_all(p.dir);
}
