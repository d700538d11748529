#include "runtime/cli/roles.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/publish.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <mutex>
#include <sstream>

#include "actors/http/role_pki.hpp"
#include "actors/leaderelection/messages.hpp"
#include "actors/remote/remote_apiserver.hpp"
#include "actors/remote/tls/credentials.hpp"
#include "actors/remote/tls/gate.hpp"
#include "api/validation/names.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/tls_actor_system.hpp"
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

/// What the elector told the main thread (its callbacks run in the elector's actor).
struct ElectionOutcome {
  std::atomic<bool> leading{false};
  std::atomic<bool> lost{false};
};

/// Blocks until SIGINT/SIGTERM or until `outcome` changes from what the caller has handled
/// (`leading_handled`): it leads, or it lost the lease.
void wait_for_signal_or(const ElectionOutcome& outcome, bool leading_handled) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  auto woken = [&] {
    return g_stop.load() || outcome.lost.load() || outcome.leading.load() != leading_handled;
  };
  std::unique_lock lock(g_stop_mutex);
  while (!woken()) g_stop_cv.wait_for(lock, std::chrono::seconds(1), woken);
}

/// The elector's options for a role whose Lease is `lease_name` by default; none with
/// --leader-elect=false. Checked before the process connects, so a bad flag ends it at once.
api::Result<std::optional<leaderelection::LeaderElectionOptions>> checked_election(
    const LeaderElectionFlags& flags, const std::string& lease_name) {
  if (!flags.leader_elect) return std::nullopt;
  auto options = election_options(flags, lease_name);
  if (!options) return api::fail(options.error());
  return std::move(*options);
}

/// The body of a role whose components may act only while it leads: `start` them (false: it
/// failed and logged why), run until a signal, then `stop` them. With --leader-elect (the
/// default) they start only once this process holds the role's Lease; the Lease is released
/// on SIGINT/SIGTERM after they stopped, so another process takes over at once. A leader that
/// cannot renew in time exits with status 1 at once, as upstream's components do
/// ("leaderelection lost"): its components must not act on, and its supervisor restarts it
/// as a candidate.
int run_role(runtime::RemoteHost& host, const std::string& role,
             const std::optional<leaderelection::LeaderElectionOptions>& options,
             const std::function<bool()>& start, const std::function<void()>& stop) {
  if (!options) {
    if (!start()) return 1;
    std::printf("%s ready\n", role.c_str());
    std::fflush(stdout);
    wait_for_signal();
    spdlog::info("shutting down");
    stop();
    return 0;
  }
  auto outcome = std::make_shared<ElectionOutcome>();
  auto wake = [] {
    std::lock_guard lock(g_stop_mutex);
    g_stop_cv.notify_all();
  };
  leaderelection::LeaderCallbacks callbacks;
  callbacks.started_leading = [outcome, wake] {
    outcome->leading = true;
    wake();
  };
  callbacks.stopped_leading = [outcome, wake] {
    outcome->lost = true;
    wake();
  };
  const auto identity = options->identity;
  const auto lease = options->lease_namespace + "/" + options->lease_name;
  auto elector = leaderelection::spawn_leader_elector(host.context(), *options, callbacks);
  std::printf("%s ready: candidate %s for lease %s\n", role.c_str(), identity.c_str(),
              lease.c_str());
  std::fflush(stdout);
  bool started = false;
  for (;;) {
    wait_for_signal_or(*outcome, started);
    if (outcome->lost) {
      spdlog::error("{}: leaderelection lost", role);
      spdlog::default_logger()->flush();
      std::fflush(stdout);
      std::_Exit(1);
    }
    if (g_stop) break;
    if (outcome->leading && !started) {
      spdlog::info("{}: leading (lease {}): starting", role, lease);
      if (!start()) std::_Exit(1);
      started = true;
    }
  }
  spdlog::info("shutting down");
  if (started) stop();
  // Only after the components stopped: a successor must not act beside them.
  caf::scoped_actor self{host.system()};
  self->request(elector, caf::infinite, leaderelection::leader_release_atom::value)
      .receive([&](bool released) { if (released) spdlog::info("released the lease {}", lease); },
               [&](caf::error& e) {
                 spdlog::warn("releasing the lease {}: {}", lease, caf::to_string(e));
               });
  runtime::stop_actor(host.system(), elector);
  return 0;
}

/// The address of `flag` checked: host:port; plaintext only with --insecure on loopback, else
/// mutual TLS, which needs --pki-dir.
api::Result<std::pair<std::string, uint16_t>> check_wire(const WireFlags& wire,
                                                         const std::string& flag) {
  auto endpoint = remote::parse_endpoint(wire.address, flag, flag == "--caf-listen");
  if (!endpoint) return endpoint;
  if (wire.insecure && !wire.pki_dir.empty())
    return api::fail(api::bad_request(
        "--insecure (plaintext) and --pki-dir (mutual TLS) exclude each other: pass one"));
  if (!wire.insecure && wire.pki_dir.empty())
    return api::fail(api::bad_request(fmt::format(
        "{} {}: pass --pki-dir (mutual TLS with the certificates `kactor certs` made) or "
        "--insecure (plaintext, allowed on a loopback address only)",
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

/// The role's credentials from --pki-dir (`stems`: its certificates, the first for the TLS
/// handshake), checked now; nullopt with --insecure; an error naming the file otherwise.
api::Result<std::optional<remote::tls::RoleCredentials>> credentials(
    const WireFlags& wire, const std::vector<std::string>& stems) {
  if (wire.insecure) return std::optional<remote::tls::RoleCredentials>{};
  auto creds =
      remote::tls::load_role_credentials(wire.pki_dir, stems, std::chrono::system_clock::now());
  if (!creds) return api::fail(creds.error());
  return std::optional<remote::tls::RoleCredentials>{std::move(*creds)};
}

runtime::TlsConfig tls_config(const remote::tls::RoleCredentials& creds) {
  return {creds.files.certificate.string(), creds.files.key.string(),
          creds.files.cafile.string()};
}

/// A component process's connection to the API server, or nullptr after logging why not.
/// `stems`: the certificates it presents (docs/multi-host.md "Security").
std::unique_ptr<runtime::RemoteHost> connect(const ClusterOptions& options, const WireFlags& wire,
                                             const std::string& role,
                                             const std::vector<std::string>& stems) {
  auto endpoint = check_wire(wire, "--server");
  if (!endpoint) {
    spdlog::error("{}", endpoint.error().message);
    return nullptr;
  }
  auto creds = credentials(wire, stems);
  if (!creds) {
    spdlog::error("--pki-dir: {}", creds.error().message);
    return nullptr;
  }
  runtime::RemoteHost::Options ho;
  ho.server.host = endpoint->first;
  ho.server.port = endpoint->second;
  ho.server.seed = Random(options.seed).fork("reconnect/" + role).seed();
  ho.threads = options.threads;
  ho.seed = options.seed;
  if (*creds) {
    ho.tls = tls_config(**creds);
    ho.server.tls = true;
    auto identities = std::make_shared<std::vector<remote::tls::Identity>>(
        std::move((*creds)->identities));
    ho.server.prove = [identities](const std::string& challenge) {
      return remote::tls::make_proof(*identities, challenge);
    };
    spdlog::info("{}: mutual TLS to {} as {} ({} certificate{}), CA {}", role, wire.address,
                 ho.tls.certificate, identities->size(), identities->size() == 1 ? "" : "s",
                 ho.tls.cafile);
  }
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

  auto creds = credentials(wire, {std::string(http::kServerCertFile.substr(
                                      0, http::kServerCertFile.rfind('.')))});
  if (!creds) {
    spdlog::error("--pki-dir: {}", creds.error().message);
    return 1;
  }
  runtime::TlsActorSystem system(options.threads,
                                 *creds ? tls_config(**creds) : runtime::TlsConfig{},
                                 wire.heartbeats);
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
  // With TLS the gate is published instead: it learns who each connection is and applies
  // NodeRestriction before anything reaches the API server.
  caf::actor gate;
  caf::expected<uint16_t> port{caf::sec::runtime_error};
  if (*creds) {
    gate = remote::tls::spawn_gate(system.get(), (*plane)->apiserver(),
                                   {std::move((*creds)->ca), &(*plane)->clock()});
    port = caf::openssl::publish(gate, endpoint->second, endpoint->first.c_str(), true);
  } else {
    port = system.get().middleman().publish((*plane)->apiserver(), endpoint->second,
                                            endpoint->first.c_str(), true);
  }
  if (!port) {
    spdlog::error("--caf-listen {}: cannot publish the API server: {}", wire.address,
                  caf::to_string(port.error()));
    return 1;
  }
  if (*creds)
    spdlog::info("API server published with mutual TLS on {}:{} (caf), CA {}", endpoint->first,
                 *port, (*creds)->files.cafile.string());
  else
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
  std::printf("apiserver ready: caf %s:%u, http %s, store %s, wire %s\n",
              endpoint->first.c_str(), static_cast<unsigned>(*port), (*api)->url().c_str(),
              in_memory ? "in memory" : data_dir.c_str(), *creds ? "mutual TLS" : "plaintext");
  std::fflush(stdout);
  wait_for_signal();
  spdlog::info("shutting down");
  (*api)->stop();
  if (gate) runtime::stop_actor(system.get(), gate);
  (*plane)->stop();
  return 0;
}

int run_controller_manager(ClusterOptions options, const WireFlags& wire,
                           const std::string& sa_key_file, const std::string& root_ca_file,
                           const LeaderElectionFlags& election) {
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
  auto elect = checked_election(election, "kube-controller-manager");
  if (!elect) {
    spdlog::error("{}", elect.error().message);
    return 1;
  }
  auto host = connect(options, wire, "controller-manager",
                      {std::string(http::kControllerManagerStem)});
  if (!host) return 1;
  std::optional<runtime::ControllerManagerRole> role;
  auto start = [&] {
    // The kubelets are in other processes: the metrics server reaches none of them yet.
    auto started = runtime::start_controller_manager(host->context(), options, nullptr);
    if (!started) {
      spdlog::error("starting the controllers: {}", started.error().message);
      return false;
    }
    role = std::move(*started);
    spdlog::info("controller-manager: {} controllers started, pod network {}",
                 role->controllers.controllers.size(), options.cluster_cidr);
    return true;
  };
  auto stop = [&] {
    if (role) role->stop(host->system());
  };
  int rc = run_role(*host, "controller-manager", *elect, start, stop);
  host->shutdown();
  return rc;
}

int run_scheduler(ClusterOptions options, const WireFlags& wire,
                  const LeaderElectionFlags& election) {
  auto elect = checked_election(election, "kube-scheduler");
  if (!elect) {
    spdlog::error("{}", elect.error().message);
    return 1;
  }
  auto host = connect(options, wire, "scheduler", {std::string(http::kSchedulerStem)});
  if (!host) return 1;
  caf::actor scheduler;
  auto start = [&] {
    scheduler = runtime::start_scheduler(host->context(), options);
    return true;
  };
  auto stop = [&] { runtime::stop_actor(host->system(), scheduler); };
  int rc = run_role(*host, "scheduler", *elect, start, stop);
  host->shutdown();
  return rc;
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
  // One certificate per node (nodes/<name>.crt, as upstream has one per kubelet): the first
  // is the TLS handshake's, and the connection proves all of them to the gate.
  std::vector<std::string> stems;
  for (const auto& ko : kubelets) stems.push_back(http::node_stem(ko.node_name));
  auto host = connect(options, wire, "node/" + name_prefix, stems);
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
