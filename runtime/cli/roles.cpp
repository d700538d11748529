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

#include "actors/client/informer.hpp"
#include "actors/common/supervisor.hpp"
#include "actors/http/caf_kubelet_backend.hpp"
#include "actors/http/files.hpp"
#include "actors/http/https_kubelet_backend.hpp"
#include "actors/http/kubelet_serve.hpp"
#include "actors/http/kubelet_stub.hpp"
#include "actors/http/role_pki.hpp"
#include "actors/leaderelection/messages.hpp"
#include "actors/metrics/metrics_server.hpp"
#include "actors/remote/batch_unpacker.hpp"
#include "actors/remote/remote_apiserver.hpp"
#include "actors/remote/tls/credentials.hpp"
#include "actors/remote/tls/gate.hpp"
#include "actors/remote/tls/proof.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"
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
  // Only after the components stopped: a successor must not act beside them. Bounded: a
  // release the API server does not answer leaves the lease to expire on its own.
  caf::scoped_actor self{host.system()};
  self->request(elector, std::chrono::seconds(15), leaderelection::leader_release_atom::value)
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
    const auto count = (*creds)->identities.size();
    // Read again for every connection, as CAF reads the TLS pair: certificates renewed on
    // disk (`kactor certs` re-issues within 30 days of expiry) serve without a restart.
    ho.server.prove = remote::tls::reloading_prover(
        std::move((*creds)->identities),
        [dir = wire.pki_dir, stems]() -> api::Result<std::vector<remote::tls::Identity>> {
          auto again = remote::tls::load_role_credentials(dir, stems,
                                                          std::chrono::system_clock::now());
          if (!again) return api::fail(again.error());
          return std::move(again->identities);
        },
        [role](const api::Status& why) {
          spdlog::warn("{}: proving with the certificates read before: --pki-dir: {}", role,
                       why.message);
        });
    spdlog::info("{}: mutual TLS to {} as {} ({} certificate{}), CA {}", role, wire.address,
                 ho.tls.certificate, count, count == 1 ? "" : "s", ho.tls.cafile);
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

/// The pair of `certificate_flag` and `key_flag`, read from their files.
api::Result<http::PemPair> read_pair(const std::string& certificate_flag,
                                     const std::string& certificate_file,
                                     const std::string& key_flag, const std::string& key_file) {
  auto cert = http::read_flag_file(certificate_flag, certificate_file);
  if (!cert) return api::fail(cert.error());
  auto key = http::read_flag_file(key_flag, key_file);
  if (!key) return api::fail(key.error());
  return http::PemPair{std::move(*cert), std::move(*key)};
}

/// How a role dials kubelets: the client certificate of `flags`, or `fallback` when none is
/// named, and the CA their serving certificates are verified against (none: not verified).
/// The client certificate is read again while running (renewed files serve the connections
/// after): the flags' files, else `read_fallback` (none: the fallback is kept).
/// BadRequest naming the flag when a file cannot be read.
api::Result<http::HttpsKubeletOptions> kubelet_client_options(
    const KubeletClientFlags& flags, const http::PemPair& fallback,
    std::function<api::Result<http::PemPair>()> read_fallback = {}) {
  http::HttpsKubeletOptions o;
  o.client_cert_pem = fallback.cert_pem;
  o.client_key_pem = fallback.key_pem;
  o.reload_client_certificate = std::move(read_fallback);
  if (flags.certificate_file.empty() != flags.key_file.empty())
    return api::fail(api::bad_request(
        "--kubelet-client-certificate and --kubelet-client-key are given together"));
  const auto read = http::read_flag_file;
  if (!flags.certificate_file.empty()) {
    o.reload_client_certificate = [cert = flags.certificate_file, key = flags.key_file] {
      return read_pair("--kubelet-client-certificate", cert, "--kubelet-client-key", key);
    };
    auto pair = o.reload_client_certificate();
    if (!pair) return api::fail(pair.error());
    o.client_cert_pem = std::move(pair->cert_pem);
    o.client_key_pem = std::move(pair->key_pem);
  }
  if (!flags.certificate_authority_file.empty()) {
    auto ca = read("--kubelet-certificate-authority", flags.certificate_authority_file);
    if (!ca) return api::fail(ca.error());
    o.certificate_authority_pem = std::move(*ca);
  }
  return o;
}

/// The kubelets of `kactor node` processes, reached over HTTPS at the endpoint their Node
/// publishes (read from the process's Node informer).
api::Result<std::shared_ptr<http::HttpsKubeletBackend>> remote_kubelets(
    client::InformerFactory& informers, http::HttpsKubeletOptions options) {
  auto nodes = informers.get(api::Node::static_type()).cache;
  const bool verified = !options.certificate_authority_pem.empty();
  auto backend = http::HttpsKubeletBackend::make(
      std::move(options), [nodes](const std::string& name) -> api::Result<http::KubeletEndpoint> {
        auto node = api::as<api::Node>(nodes->get(name));
        if (!node) return api::fail(api::not_found("nodes", name));
        return http::kubelet_endpoint_of(*node);
      });
  if (backend && verified)
    spdlog::info("kubelets' serving certificates are verified against "
                 "--kubelet-certificate-authority and their node's name");
  return backend;
}

/// A stub actor per remote node for the metrics server (nodes the informer does not have
/// get none).
std::shared_ptr<http::KubeletStubs> kubelet_stubs(caf::actor_system& system,
                                                  client::InformerFactory& informers,
                                                  std::shared_ptr<http::KubeletBackend> kubelets) {
  auto nodes = informers.get(api::Node::static_type()).cache;
  return std::make_shared<http::KubeletStubs>(
      system, std::move(kubelets),
      [nodes](const std::string& name) { return nodes->get(name) != nullptr; });
}

}  // namespace

int run_apiserver(ClusterOptions options, const std::string& data_dir, bool in_memory,
                  http::ServeOptions serve, const WireFlags& wire,
                  const KubeletClientFlags& kubelet_client) {
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
  http::PemPair kubelet_pair;
  std::function<api::Result<http::PemPair>()> read_kubelet_pair;
  if (!serve.insecure_http) {
    auto pki = http::ensure_serving_pki(serve, std::chrono::system_clock::now());
    if (!pki) {
      spdlog::error("serving the API: {}", pki.error().message);
      return 1;
    }
    for (const auto& change : pki->changes) spdlog::info("pki: {}", change);
    kubelet_pair = {pki->kubelet_client_cert_pem, pki->kubelet_client_key_pem};
    // The HTTPS API ensures pki/ every minute (renewing what nears expiry): read the pair
    // from there again.
    read_kubelet_pair = [dir = pki->dir] {
      return read_pair("the kubelet client certificate",
                       (dir / std::string(http::kKubeletClientCertFile)).string(),
                       "the kubelet client key",
                       (dir / std::string(http::kKubeletClientKeyFile)).string());
    };
  }
  auto kubelet_options = kubelet_client_options(kubelet_client, kubelet_pair, read_kubelet_pair);
  if (!kubelet_options) {
    spdlog::error("{}", kubelet_options.error().message);
    return 1;
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
  // The door in front of the supervisor is published (the supervisor stands for the API
  // server across its restarts in here). SO_REUSEADDR, so that a restarted API server gets
  // its port back at once. With TLS the door is the gate: it learns who each connection is
  // and applies NodeRestriction before anything reaches the API server. Without, the batch
  // unpacker, which only turns each process's request batches into single requests.
  caf::actor door;
  caf::expected<uint16_t> port{caf::sec::runtime_error};
  if (*creds) {
    door = remote::tls::spawn_gate(system.get(), (*plane)->apiserver(),
                                   {std::move((*creds)->ca), &(*plane)->clock()});
    port = caf::openssl::publish(door, endpoint->second, endpoint->first.c_str(), true);
  } else {
    door = remote::spawn_batch_unpacker(system.get(), (*plane)->apiserver());
    port = system.get().middleman().publish(door, endpoint->second, endpoint->first.c_str(),
                                            true);
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
  // The kubelets run in other processes: pods/log, the node proxy and this process's own
  // metrics server (metrics.k8s.io) reach them through their HTTPS API, finding each at the
  // endpoint its Node publishes (docs/multi-host.md).
  client::InformerFactory informers(system.get(), (*plane)->apiserver(), (*plane)->clock());
  auto kubelets = remote_kubelets(informers, std::move(*kubelet_options));
  if (!kubelets) {
    spdlog::error("{}", kubelets.error().message);
    return 1;
  }
  auto stubs = kubelet_stubs(system.get(), informers, *kubelets);
  actors::Context ctx;
  ctx.system = &system.get();
  ctx.apiserver = &(*plane)->apiserver();
  ctx.clock = &(*plane)->clock();
  ctx.informers = &informers;
  ctx.seed = options.seed;
  auto metrics_options = options.metrics;
  metrics_options.kubelet_for = [stubs](const std::string& node) { return (*stubs)(node); };
  auto metrics = actors::supervise(
      system.get(), (*plane)->clock(), "metrics-server",
      [ctx, metrics_options] { return metrics::spawn_metrics_server(ctx, metrics_options); },
      options.supervision);
  serve.kubelets = *kubelets;
  serve.metrics = metrics;
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
  runtime::stop_actor(system.get(), metrics);
  stubs->stop();
  informers.shutdown();
  if (door) runtime::stop_actor(system.get(), door);
  (*plane)->stop();
  return 0;
}

int run_controller_manager(ClusterOptions options, const WireFlags& wire,
                           const std::string& sa_key_file, const std::string& root_ca_file,
                           const KubeletClientFlags& kubelet_client,
                           const LeaderElectionFlags& election) {
  auto kubelet_options = kubelet_client_options(kubelet_client, {});
  if (!kubelet_options) {
    spdlog::error("{}", kubelet_options.error().message);
    return 1;
  }
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
  // The kubelets are in other processes: the metrics server (which the HPA reads) reaches them
  // through their HTTPS API.
  auto kubelets = remote_kubelets(*host->context().informers, std::move(*kubelet_options));
  if (!kubelets) {
    spdlog::error("{}", kubelets.error().message);
    return 1;
  }
  auto stubs = kubelet_stubs(host->system(), *host->context().informers, *kubelets);
  std::optional<runtime::ControllerManagerRole> role;
  auto start = [&] {
    auto started = runtime::start_controller_manager(
        host->context(), options, [stubs](const std::string& node) { return (*stubs)(node); });
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
  stubs->stop();
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
             const std::string& name_prefix, const KubeletApiFlags& kubelet_api) {
  if (kubelet_api.address == "0.0.0.0" || kubelet_api.address == "::") {
    spdlog::error("--kubelet-address \"{}\": must be the IP address the API server reaches "
                  "this host at (each node reports it as its ExternalIP), not a wildcard",
                  kubelet_api.address);
    return 1;
  }
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

  // One HTTPS listener for all the nodes, started before the kubelets so that they publish
  // its port (--kubelet-port 0 picks one).
  auto kubelet_actors = std::make_shared<std::map<std::string, caf::actor>>();
  http::KubeletApiSources sources;
  for (const auto& ko : kubelets) sources.nodes.push_back(ko.node_name);
  sources.pods_on = [informers = host->context().informers](const std::string& node) {
    // The kubelet's own informer (same selector), so no second watch.
    auto cache = informers->get(api::Pod::static_type(), "", "", "spec.nodeName=" + node).cache;
    std::vector<std::shared_ptr<const api::Pod>> pods;
    for (const auto& obj : cache->list())
      if (auto pod = api::as<api::Pod>(obj)) pods.push_back(std::move(pod));
    return pods;
  };
  // Filled below, before the listener serves a request that needs a kubelet: a lookup of a
  // node whose kubelet is not started yet answers 503.
  auto kubelet_mutex = std::make_shared<std::mutex>();
  sources.kubelets = std::make_shared<http::CafKubeletBackend>(
      host->system(),
      [kubelet_actors, kubelet_mutex](const std::string& node) -> std::optional<caf::actor> {
        std::lock_guard lock(*kubelet_mutex);
        auto it = kubelet_actors->find(node);
        if (it == kubelet_actors->end()) return std::nullopt;
        return it->second;
      });
  http::KubeletServeOptions serve;
  serve.address = kubelet_api.address;
  serve.port = kubelet_api.port;
  serve.tls_cert_file = kubelet_api.tls_cert_file;
  serve.tls_private_key_file = kubelet_api.tls_private_key_file;
  serve.client_ca_file = kubelet_api.client_ca_file;
  if (!wire.pki_dir.empty() && kubelet_api.tls_cert_file.empty()) {
    // Each node's own serving certificate from `kactor certs`, picked by the SNI the API
    // server asks for (the node's name); a node without one gets the self-signed default.
    std::vector<std::string> missing;
    for (const auto& ko : kubelets) {
      const auto stem = http::kubelet_serving_stem(ko.node_name);
      auto cert = http::certificate_path(wire.pki_dir, stem);
      auto key = http::key_path(wire.pki_dir, stem);
      if (std::filesystem::exists(cert) && std::filesystem::exists(key))
        serve.node_certificates[ko.node_name] = {cert.string(), key.string()};
      else
        missing.push_back(ko.node_name);
    }
    if (!missing.empty())
      spdlog::warn("no kubelet serving certificate in {}/{} for {} of the {} nodes (first: {}); "
                   "they serve a self-signed one (`kactor certs --dir {} --nodes <name>` issues them)",
                   wire.pki_dir, http::kKubeletServingDir, missing.size(), kubelets.size(),
                   missing.front(), wire.pki_dir);
  }
  auto server = http::serve_kubelet_api(serve, std::move(sources), std::chrono::system_clock::now());
  if (!server) {
    spdlog::error("the kubelet API: {}", server.error().message);
    return 1;
  }
  const uint16_t port = (*server)->port();
  if (kubelet_api.client_ca_file.empty())
    spdlog::warn("the kubelet API on {}:{} serves every client (no --client-ca-file)",
                 kubelet_api.address, port);

  std::vector<runtime::NodeRole> nodes;
  for (auto& ko : kubelets) {
    ko.external_ip = kubelet_api.address;
    ko.kubelet_port = port;
    nodes.push_back(runtime::start_node(host->context(), ko, options.supervision));
    std::lock_guard lock(*kubelet_mutex);
    (*kubelet_actors)[ko.node_name] = nodes.back().kubelet;
  }
  std::printf("node ready: %zu nodes %s0..%s%zu, kubelet API https://%s:%u\n", count,
              name_prefix.c_str(), name_prefix.c_str(), count - 1, kubelet_api.address.c_str(),
              static_cast<unsigned>(port));
  std::fflush(stdout);
  wait_for_signal();
  spdlog::info("shutting down");
  (*server)->stop();
  for (auto& n : nodes) {
    runtime::stop_actor(host->system(), n.kubelet);
    runtime::stop_actor(host->system(), n.proxy);
  }
  host->shutdown();
  return 0;
}

}  // namespace kactor::cli
