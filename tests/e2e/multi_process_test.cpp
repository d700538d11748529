// Every role as its own process over CAF's network layer (docs/multi-host.md): the `kactor`
// binary started as apiserver, controller-manager, scheduler and two `node --count 5`
// processes on loopback. An RC of 20 pods behind a Service runs; kill -9 of one node process
// → its nodes go Unknown and the pods are replaced on the other process's nodes; kill -9 of
// the API server, restarted on its data directory and port → every component reconnects on its
// own and a new RC converges. In between, the kubelets' HTTPS API (client CA: the cluster's):
// kubectl logs of a pod on a node of a node process, the node proxy's stats/summary and
// kubectl top nodes.
#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/http/client/cluster_access.hpp"
#include "actors/http/client/rest_client.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "child_process.hpp"
#include "kubectl_fixture.hpp"
#include "tests/support/seed.hpp"

using namespace kactor;
using namespace kactor::testing;
using http::client::RestClient;

namespace {

using Objects = std::vector<std::unique_ptr<api::Object>>;

/// Lists `type` over HTTP every 200 ms until `holds` is true of the list or `deadline` passes
/// (errors count as not yet: the API server may be restarting).
bool wait_list(const std::function<std::unique_ptr<RestClient>()>& client,
               const api::TypeInfo& type, const std::function<bool(const Objects&)>& holds,
               std::chrono::seconds deadline, const std::string& ns = "") {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (auto c = client()) {
      auto listed = c->list(type, ns);
      if (listed && holds(*listed)) return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    ::poll(nullptr, 0, 200);  // re-check the condition every 200 ms until the deadline
  }
}

/// Pods of the RC `rc` that run, are not being deleted, and whose node name starts with
/// `node_prefix` (empty: any).
size_t running_pods(const Objects& pods, const std::string& rc, const std::string& node_prefix) {
  size_t n = 0;
  for (const auto& o : pods) {
    const auto& p = static_cast<const api::Pod&>(*o);
    if (p.metadata.labels.count("app") == 0 || p.metadata.labels.at("app") != rc) continue;
    if (p.metadata.deletion_timestamp || p.status.phase != "Running") continue;
    if (p.spec.node_name.rfind(node_prefix, 0) != 0) continue;
    ++n;
  }
  return n;
}

size_t endpoint_addresses(const Objects& endpoints, const std::string& name) {
  for (const auto& o : endpoints) {
    if (o->metadata.name != name) continue;
    size_t n = 0;
    for (const auto& s : static_cast<const api::Endpoints&>(*o).subsets) n += s.addresses.size();
    return n;
  }
  return 0;
}

std::string node_ready(const api::Node& n) {
  const auto* c = n.status.condition("Ready");
  return c ? c->status : "";
}

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

  /// Starts the API server (on `caf_listen`) and waits for its ready line.
  void start_apiserver(const std::string& caf_listen) {
    apiserver = start("apiserver", {"apiserver", "--caf-listen", caf_listen, "--insecure",
                                    "--listen", "127.0.0.1:0", "--data-dir",
                                    (dir / "data").string(),
                                    // Pods leave an unreachable node 1 s after its taint.
                                    "--default-unreachable-toleration-seconds", "1",
                                    "--default-not-ready-toleration-seconds", "1"});
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
  const auto pki = p.dir / "data" / "pki";
  p.controllers = p.start(
      "controller-manager",
      {"controller-manager", "--server", p.caf, "--insecure", "--seed", seed_flag,
       "--kubelet-client-certificate", (pki / "apiserver-kubelet-client.crt").string(),
       "--kubelet-client-key", (pki / "apiserver-kubelet-client.key").string(),
       // A silent node is Unknown after 5 s (not 50 s; leases every 1 s), tainted at once (not
       // 0.1 nodes/s).
       "--node-monitor-period", "1s", "--node-monitor-grace-period", "5s",
       "--node-startup-grace-period", "20s", "--node-eviction-rate", "100"});
  p.scheduler = p.start("scheduler", {"scheduler", "--server", p.caf, "--insecure"});
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
