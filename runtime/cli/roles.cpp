#include "runtime/cli/roles.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "actors/remote/remote_apiserver.hpp"
#include "api/validation/names.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/control_plane.hpp"
#include "runtime/pod_network.hpp"
#include "runtime/real_clock.hpp"
#include "runtime/roles.hpp"

namespace kactor::cli {
namespace {

std::atomic<bool> g_stop{false};
std::mutex g_stop_mutex;
std::condition_variable g_stop_cv;

void on_signal(int) {
  g_stop = true;
  g_stop_cv.notify_all();
}

/// Blocks until SIGINT or SIGTERM.
void wait_for_signal() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::unique_lock lock(g_stop_mutex);
  while (!g_stop) g_stop_cv.wait_for(lock, std::chrono::seconds(1), [] { return g_stop.load(); });
}

/// The address of `flag` checked: host:port, and plaintext only with --insecure on loopback.
/// This is the seam where mutual TLS (CAF's OpenSSL module) will be required instead.
api::Result<std::pair<std::string, uint16_t>> check_wire(const WireFlags& wire,
                                                         const std::string& flag) {
  auto endpoint = remote::parse_endpoint(wire.address, flag, flag == "--caf-listen");
  if (!endpoint) return endpoint;
  if (!wire.insecure)
    return api::fail(api::bad_request(fmt::format(
        "{} {}: only plaintext is implemented yet (mutual TLS is not): pass --insecure, "
        "which is allowed on a loopback address only",
        flag, wire.address)));
  if (!remote::is_loopback(endpoint->first)) {
    if (!wire.insecure_any_address)
      return api::fail(api::bad_request(fmt::format(
          "{} {}: --insecure (plaintext, unauthenticated) is refused on a non-loopback address",
          flag, wire.address)));
    spdlog::warn("{} {}: PLAINTEXT, UNAUTHENTICATED connections on a non-loopback address "
                 "(--insecure-allow-any-address): anyone who reaches it can act as any "
                 "component. For tests in private network namespaces only.",
                 flag, wire.address);
  }
  return endpoint;
}

/// A component process's connection to the API server, or nullptr after logging why not.
std::unique_ptr<runtime::RemoteHost> connect(const ClusterOptions& options, const WireFlags& wire,
                                             const std::string& role) {
  auto endpoint = check_wire(wire, "--server");
  if (!endpoint) {
    spdlog::error("{}", endpoint.error().message);
    return nullptr;
  }
  runtime::RemoteHost::Options ho;
  ho.server.host = endpoint->first;
  ho.server.port = endpoint->second;
  ho.server.seed = Random(options.seed).fork("reconnect/" + role).seed();
  ho.threads = options.threads;
  ho.seed = options.seed;
  ho.heartbeats = wire.heartbeats;
  auto host = runtime::RemoteHost::start(ho);
  // Not fatal: the components start anyway and converge once the API server is reached.
  if (!host->wait_connected(std::chrono::seconds(10)))
    spdlog::warn("{}: the API server at {} is not reachable yet; retrying in the background", role,
                 wire.address);
  return host;
}

/// The pod network the controller manager cuts node subnets from (no node count is known to
/// it: the default holds 256 nodes; --cluster-cidr for more).
api::Result<std::string> pod_network(const ClusterOptions& options) {
  const int node_mask = actors::controllers::ControllerManagerOptions{}.node_cidr_mask_size;
  return runtime::pod_network_for(options.cluster_cidr, 0, node_mask,
                                  options.apiserver.services.service_cidr);
}

}  // namespace

int run_apiserver(ClusterOptions options, const std::string& data_dir, bool in_memory,
                  http::ServeOptions serve, const WireFlags& wire) {
  auto endpoint = check_wire(wire, "--caf-listen");
  if (!endpoint) {
    spdlog::error("{}", endpoint.error().message);
    return 1;
  }
  if (!in_memory) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    options.data_dir = data_dir;
  }
  serve.data_dir = data_dir;
  if (!serve.insecure_http) {
    auto pki = http::ensure_serving_pki(serve, std::chrono::system_clock::now());
    if (!pki) {
      spdlog::error("serving the API: {}", pki.error().message);
      return 1;
    }
    for (const auto& change : pki->changes) spdlog::info("pki: {}", change);
  }
  auto issuer = runtime::token_issuer_for(options.data_dir);
  if (!issuer) {
    spdlog::error("service-account signing key: {}", issuer.error().message);
    return 1;
  }
  options.apiserver.tokens.issuer = *issuer;

  runtime::ActorSystem system(options.threads, wire.heartbeats);
  runtime::ControlPlaneOptions cp;
  cp.data_dir = options.data_dir;
  cp.durability = options.durability;
  cp.seed = options.seed;
  cp.apiserver = options.apiserver;
  cp.supervision = options.supervision;
  auto plane = runtime::ControlPlane::start(system.get(), cp);
  if (!plane) {
    spdlog::error("starting the API server: {}", plane.error().message);
    return 1;
  }
  // The supervisor is published: it stands for the API server across its restarts in here.
  // SO_REUSEADDR, so that a restarted API server gets its port back at once.
  auto port = system.get().middleman().publish((*plane)->apiserver(), endpoint->second,
                                               endpoint->first.c_str(), true);
  if (!port) {
    spdlog::error("--caf-listen {}: cannot publish the API server: {}", wire.address,
                  caf::to_string(port.error()));
    return 1;
  }
  spdlog::warn("API server published WITHOUT TLS (--insecure) on {}:{} (caf)", endpoint->first,
               *port);

  serve.token_issuer = *issuer;
  // The kubelets run in other processes; their 10250 API is not served yet (docs/multi-host.md):
  // pods/log and metrics.k8s.io answer 503.
  auto api = http::serve_api(system.get(), (*plane)->apiserver(), (*plane)->clock(), serve);
  if (!api) {
    spdlog::error("serving the API: {}", api.error().message);
    return 1;
  }
  if ((*api)->kubeconfig().empty())
    spdlog::warn("serving the Kubernetes API WITHOUT TLS or authentication at {}", (*api)->url());
  else
    spdlog::info("serving the Kubernetes API at {}; kubeconfig: {}", (*api)->url(),
                 std::filesystem::absolute((*api)->kubeconfig()).string());
  std::printf("apiserver ready: caf %s:%u, http %s, store %s\n", endpoint->first.c_str(),
              static_cast<unsigned>(*port), (*api)->url().c_str(),
              in_memory ? "in memory" : data_dir.c_str());
  std::fflush(stdout);
  wait_for_signal();
  spdlog::info("shutting down");
  (*api)->stop();
  (*plane)->stop();
  return 0;
}

int run_controller_manager(ClusterOptions options, const WireFlags& wire,
                           const std::string& sa_key_file, const std::string& root_ca_file) {
  auto network = pod_network(options);
  if (!network) {
    spdlog::error("--cluster-cidr: {}", network.error().message);
    return 1;
  }
  options.cluster_cidr = *network;
  if (!sa_key_file.empty()) {
    auto key = tokens::SigningKey::load_or_create(sa_key_file);
    if (!key) {
      spdlog::error("--service-account-private-key-file: {}", key.error().message);
      return 1;
    }
    options.apiserver.tokens.issuer = std::make_shared<tokens::TokenIssuer>(std::move(*key));
  }
  if (!root_ca_file.empty()) {
    std::ifstream in(root_ca_file);
    if (!in) {
      spdlog::error("--root-ca-file {}: cannot be read", root_ca_file);
      return 1;
    }
    std::stringstream pem;
    pem << in.rdbuf();
    options.root_ca_pem = pem.str();
  }
  auto host = connect(options, wire, "controller-manager");
  if (!host) return 1;
  // The kubelets are in other processes: the metrics server reaches none of them yet.
  auto role = runtime::start_controller_manager(host->context(), options, nullptr);
  if (!role) {
    spdlog::error("starting the controllers: {}", role.error().message);
    return 1;
  }
  std::printf("controller-manager ready: %zu controllers, pod network %s\n",
              role->controllers.controllers.size(), options.cluster_cidr.c_str());
  std::fflush(stdout);
  wait_for_signal();
  spdlog::info("shutting down");
  role->stop(host->system());
  host->shutdown();
  return 0;
}

int run_scheduler(ClusterOptions options, const WireFlags& wire) {
  auto host = connect(options, wire, "scheduler");
  if (!host) return 1;
  auto scheduler = runtime::start_scheduler(host->context(), options);
  std::printf("scheduler ready\n");
  std::fflush(stdout);
  wait_for_signal();
  spdlog::info("shutting down");
  runtime::stop_actor(host->system(), scheduler);
  host->shutdown();
  return 0;
}

int run_node(ClusterOptions options, const WireFlags& wire, size_t count,
             const std::string& name_prefix) {
  if (options.node_capacity.empty())
    options.node_capacity = {{"cpu", *api::Quantity::parse("4")},
                             {"memory", *api::Quantity::parse("8Gi")},
                             {"pods", *api::Quantity::parse("110")}};
  std::vector<kubelet::KubeletOptions> kubelets;
  for (size_t i = 0; i < count; ++i) {
    NodeOptions node;
    node.name = name_prefix + std::to_string(i);
    // Node names are DNS subdomains: a bad --name-prefix is refused here, naming the flag,
    // rather than by the API server for every kubelet that tries to register.
    if (auto errors = api::is_dns1123_subdomain(node.name); !errors.empty()) {
      spdlog::error("--name-prefix \"{}\": node name \"{}\" is invalid: {}", name_prefix,
                    node.name, errors.front());
      return 1;
    }
    auto ko = runtime::kubelet_options_for(options, node, static_cast<int>(i));
    if (!ko) {
      spdlog::error("{}", ko.error().message);
      return 1;
    }
    // Other node processes count from 0 too: the InternalIP comes from a hash of the name.
    ko->node_index = -1;
    kubelets.push_back(std::move(*ko));
  }
  auto host = connect(options, wire, "node/" + name_prefix);
  if (!host) return 1;
  std::vector<runtime::NodeRole> nodes;
  for (const auto& ko : kubelets)
    nodes.push_back(runtime::start_node(host->context(), ko, options.supervision));
  std::printf("node ready: %zu nodes %s0..%s%zu\n", count, name_prefix.c_str(),
              name_prefix.c_str(), count - 1);
  std::fflush(stdout);
  wait_for_signal();
  spdlog::info("shutting down");
  for (auto& n : nodes) {
    runtime::stop_actor(host->system(), n.kubelet);
    runtime::stop_actor(host->system(), n.proxy);
  }
  host->shutdown();
  return 0;
}

}  // namespace kactor::cli
