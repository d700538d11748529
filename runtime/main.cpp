// The `kactor` command. `kactor up` runs a whole cluster in this process (API server over
// its store, controllers, scheduler, a simulated kubelet and kube-proxy per node) with a
// status line; `kactor demo` runs the API server alone and walks through its API; `kactor
// version` prints the versions; `kactor rolling-update` rolls a ReplicationController of a
// running cluster to a new image or controller over its HTTPS API (docs/rolling-update.md).
// `kactor apiserver`, `controller-manager`, `scheduler` and `node` run each role as its own
// process over CAF's network layer (runtime/cli/roles.hpp, docs/multi-host.md).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <caf/all.hpp>

#include "actors/apiserver/admission/admission.hpp"
#include "actors/client/blocking_client.hpp"
#include "actors/http/client/rest_client.hpp"
#include "actors/http/serve.hpp"
#include "actors/rollout/http/rest_api.hpp"
#include "actors/rollout/rolling_update.hpp"
#include "actors/scheduler/config/scheduler_config.hpp"
#include "api/codec/object_codec.hpp"
#include "api/time/go_duration.hpp"
#include "api/types/all.hpp"
#include "api/version.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/cli/certs.hpp"
#include "runtime/cli/roles.hpp"
#include "runtime/cluster.hpp"
#include "runtime/control_plane.hpp"
#include "runtime/manifest.hpp"
#include "runtime/real_clock.hpp"

#include <sys/resource.h>
#include <unistd.h>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

#include <fmt/format.h>

namespace {

constexpr const char* kDemoManifest = R"(apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: Pod
metadata:
  name: nginx
  namespace: demo
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    ports:
    - containerPort: 80
)";

int run_demo(const std::string& data_dir) {
  using namespace kactor;
  runtime::ActorSystem system;
  runtime::ControlPlaneOptions options;
  options.data_dir = data_dir;
  auto plane = runtime::ControlPlane::start(system.get(), options);
  if (!plane) {
    spdlog::error("{}", plane.error().message);
    return 1;
  }
  client::BlockingClient client(system.get(), (*plane)->apiserver());

  apiserver::WatchRequest wr;
  wr.resource = "pods";
  wr.namespace_ = "demo";
  auto watch = client.watch(wr);
  if (!watch) {
    spdlog::error("watch: {}", watch.error().message);
    return 1;
  }

  auto objects = api::load_manifest(kDemoManifest);
  if (!objects) {
    spdlog::error("manifest: {}", objects.error().message);
    return 1;
  }
  for (auto& obj : *objects) {
    auto created = client.create(*obj);
    if (created)
      spdlog::info("created {} {} at revision {}", obj->type().kind, api::object_key(**created),
                   (*created)->metadata.resource_version);
    else
      spdlog::info("{} {}: {} ({})", obj->type().kind, obj->metadata.name, created.error().message,
                   created.error().reason);
  }
  if (auto bound = client.bind("demo", "nginx", "node-1"); bound)
    spdlog::info("bound pod demo/nginx to node-1");
  auto deleted = client.remove(api::Pod::static_type(), "demo", "nginx");
  if (deleted)
    spdlog::info("deleting pod demo/nginx gracefully until {}",
                 api::encode_json(**deleted)["metadata"]["deletionTimestamp"].dump());
  for (int i = 0; i < 4; ++i) {
    auto ev = watch->next(std::chrono::seconds(2));
    if (!ev) break;
    spdlog::info("watch: {} pod {} rv={}", apiserver::to_string((*ev)->type),
                 (*ev)->object->metadata.name, (*ev)->object->metadata.resource_version);
  }
  auto pods = client.list<api::Pod>("demo");
  if (pods) {
    for (auto& p : pods->items) std::printf("%s\n", api::encode_json(*p).dump(2).c_str());
  }
  (*plane)->stop();
  return 0;
}

std::atomic<bool> g_stop{false};
std::mutex g_stop_mutex;
std::condition_variable g_stop_cv;

void on_signal(int) {
  g_stop = true;
  g_stop_cv.notify_all();
}

/// "nodes 3/3 ready | pods pending 0 running 3 failed 0 | revision 42"
std::string status_line(kactor::Cluster& cluster) {
  using namespace kactor;
  size_t ready = 0, nodes = 0, pending = 0, running = 0, failed = 0, succeeded = 0;
  std::string revision;
  if (auto n = cluster.client().list<api::Node>()) {
    nodes = n->items.size();
    std::vector<api::ObjectPtr> objs(n->items.begin(), n->items.end());
    ready = count_ready_nodes(objs);
  }
  if (auto p = cluster.client().list<api::Pod>()) {
    revision = p->resource_version;
    for (auto& pod : p->items) {
      const auto& phase = pod->status.phase;
      if (phase == "Running")
        ++running;
      else if (phase == "Failed")
        ++failed;
      else if (phase == "Succeeded")
        ++succeeded;
      else
        ++pending;
    }
  }
  return fmt::format(
      "nodes {}/{} ready | pods pending {} running {} succeeded {} failed {} | "
      "revision {}",
      ready, nodes, pending, running, succeeded, failed, revision);
}

int run_up(kactor::ClusterOptions options, const std::vector<std::string>& manifests,
           const kactor::runtime::ManifestOptions& manifest_options, const std::string& data_dir,
           bool in_memory, kactor::http::ServeOptions serve) {
  using namespace kactor;
  // Every manifest is read and decoded before the cluster starts: a bad one applies nothing.
  auto manifest = runtime::read_manifests(manifests, manifest_options);
  if (!manifest) {
    spdlog::error("{}", manifest.error().message);
    return 1;
  }
  for (const auto& w : manifest->warnings) spdlog::warn("{}", w);
  size_t nodes = options.nodes;
  if (!in_memory) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    options.data_dir = data_dir;
  }
  serve.data_dir = data_dir;
  if (!serve.insecure_http) {
    // The CA first: the cluster publishes it (kube-root-ca.crt) from its start.
    auto pki = http::ensure_serving_pki(serve, std::chrono::system_clock::now());
    if (!pki) {
      spdlog::error("serving the API: {}", pki.error().message);
      return 1;
    }
    for (const auto& change : pki->changes) spdlog::info("pki: {}", change);
    options.root_ca_pem = pki->ca_cert_pem;
  }
  auto cluster = Cluster::start(options);
  if (!cluster) {
    const auto& causes = cluster.error().details.causes;
    bool pod_network = !causes.empty() && causes.front().field == "clusterCIDR";
    spdlog::error("starting the cluster: {}{}", cluster.error().message,
                  pod_network ? " (the pod network is --cluster-cidr)" : "");
    return 1;
  }
  spdlog::info("cluster up: {} nodes, pod network {}, store {}", nodes, (*cluster)->cluster_cidr(),
               in_memory ? "in memory" : data_dir);
  if (!manifest->objects.empty()) {
    auto applied = (*cluster)->apply(*manifest);
    if (!applied) {
      spdlog::error("{} ({})", applied.error().message, applied.error().reason);
      (*cluster)->shutdown();
      return 1;
    }
    for (auto& o : *applied) spdlog::info("applied {} {}", o->type().kind, api::object_key(*o));
  }
  serve.token_issuer = (*cluster)->token_issuer();
  // pods/log asks the node's kubelet; the nodes of `kactor up` are fixed once it started.
  serve.kubelet_for = [c = cluster->get()](const std::string& node) -> std::optional<caf::actor> {
    auto k = c->kubelet(node);
    if (!k) return std::nullopt;
    return k;
  };
  serve.metrics = (*cluster)->metrics();
  auto api = http::serve_api((*cluster)->system(), (*cluster)->apiserver(), (*cluster)->clock(),
                             serve);
  if (!api) {
    spdlog::error("serving the API: {}", api.error().message);
    (*cluster)->shutdown();
    return 1;
  }
  if ((*api)->kubeconfig().empty()) {
    spdlog::warn("serving the Kubernetes API WITHOUT TLS or authentication at {}", (*api)->url());
    spdlog::info("try: kubectl --server {} get nodes", (*api)->url());
  } else {
    spdlog::info("serving the Kubernetes API at {}", (*api)->url());
    spdlog::info("kubeconfig: {}", std::filesystem::absolute((*api)->kubeconfig()).string());
    spdlog::info("try: KUBECONFIG={} kubectl get nodes",
                 std::filesystem::absolute((*api)->kubeconfig()).string());
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const bool tty = isatty(fileno(stdout));
  while (!g_stop) {
    auto line = status_line(**cluster);
    if (tty)
      std::printf("\r\033[K%s", line.c_str());
    else
      std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    std::unique_lock lock(g_stop_mutex);
    g_stop_cv.wait_for(lock, std::chrono::seconds(1), [] { return g_stop.load(); });
  }
  if (tty) std::printf("\n");
  spdlog::info("shutting down");
  (*api)->stop();
  (*cluster)->shutdown();
  return 0;
}

/// `kactor rolling-update`: its flags as given, checked and converted in run_rolling_update.
struct RollingUpdateFlags {
  std::string kubeconfig;
  std::string context;
  std::string filename;
  std::string update_period = "1m";
  std::string poll_interval = "3s";
  std::string timeout = "5m";
  std::string max_surge = "1";
  std::string max_unavailable = "0";
  std::string request_timeout = "30s";
  kactor::rollout::RollingUpdateOptions options;
  bool namespace_given = false;
};

/// kubectl's flag errors: "error: <message>" on stderr, exit status 1.
int cli_error(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

int run_rolling_update(RollingUpdateFlags flags) {
  using namespace kactor;
  auto& o = flags.options;
  const std::pair<const char*, std::pair<std::string*, Duration*>> durations[] = {
      {"--update-period", {&flags.update_period, &o.update_period}},
      {"--poll-interval", {&flags.poll_interval, &o.poll_interval}},
      {"--timeout", {&flags.timeout, &o.timeout}}};
  for (const auto& [flag, target] : durations) {
    auto d = parse_go_duration(*target.first);
    if (!d || *d <= Duration::zero())
      return cli_error(fmt::format("{} must be a positive duration such as 1m or 3s, not \"{}\"",
                                   flag, *target.first));
    *target.second = *d;
  }
  auto request_timeout = parse_go_duration(flags.request_timeout);
  if (!request_timeout || *request_timeout <= Duration::zero())
    return cli_error("--request-timeout must be a positive duration such as 30s, not \"" +
                     flags.request_timeout + "\"");
  auto surge = rollout::parse_int_or_percent(flags.max_surge, "--max-surge");
  if (!surge) return cli_error(surge.error().message);
  auto unavailable = rollout::parse_int_or_percent(flags.max_unavailable, "--max-unavailable");
  if (!unavailable) return cli_error(unavailable.error().message);
  o.max_surge = *surge;
  o.max_unavailable = *unavailable;

  std::string path = flags.kubeconfig;
  if (path.empty())
    if (const char* env = std::getenv("KUBECONFIG"); env && *env)
      path = std::string(env).substr(0, std::string(env).find(':'));
  if (path.empty()) path = "kactor-data/kubeconfig";  // where `kactor up` writes it by default
  auto access = http::client::load_kubeconfig(path, flags.context);
  if (!access) return cli_error(access.error().message);
  if (!flags.namespace_given) o.namespace_ = access->namespace_;

  if (!flags.filename.empty()) {
    auto manifest = runtime::read_manifests({flags.filename});
    if (!manifest) return cli_error(manifest.error().message);
    if (manifest->objects.size() != 1 ||
        &manifest->objects.front().object->type() != &api::ReplicationController::static_type())
      return cli_error(flags.filename + " must contain exactly one ReplicationController");
    auto rc = static_cast<api::ReplicationController&>(*manifest->objects.front().object);
    if (!rc.metadata.namespace_.empty() && rc.metadata.namespace_ != o.namespace_)
      return cli_error(fmt::format("{} is in namespace {}, not {}", flags.filename,
                                   rc.metadata.namespace_, o.namespace_));
    if (!o.new_name.empty() && o.new_name != rc.metadata.name)
      return cli_error(fmt::format("NEW ({}) and the name in {} ({}) differ", o.new_name,
                                   flags.filename, rc.metadata.name));
    o.new_rc = std::move(rc);
  }

  http::client::RestClient client(*access,
                                  std::chrono::duration_cast<std::chrono::milliseconds>(*request_timeout));
  rollout::RestApi api(client);
  runtime::RealClock clock;
  auto out = [](std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  };
  auto done = rollout::rolling_update(api, clock, o, out);
  if (!done) return cli_error(done.error().message);
  out(*done);
  return 0;
}

/// Raises the open-file limit to its hard limit, as Go's runtime does for kube-apiserver and
/// the kubelet: a process holds a connection per node it reaches or serves (kept kubelet
/// connections, watch streams, `kactor node --count`'s listener), past the usual soft
/// limit of 1024 on a large cluster.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);  // best effort: the soft limit stays otherwise
}

}  // namespace

int main(int argc, char** argv) {
  raise_open_file_limit();
  CLI::App app{"kactor: a Kubernetes-style control plane as an actor system"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");

  std::string data_dir;
  auto* demo = app.add_subcommand("demo", "run the API server in process and walk through its API");
  demo->add_option("--data-dir", data_dir, "store directory (default: in memory)");
  auto* version = app.add_subcommand("version", "print the version");

  kactor::ClusterOptions up_options;
  std::vector<std::string> manifests;
  std::string up_dir = "kactor-data";
  bool in_memory = false;
  auto* up = app.add_subcommand("up", "run a whole cluster in this process (Ctrl-C stops it)");
  up->add_option("--nodes", up_options.nodes, "number of simulated nodes")
      ->check(CLI::Range(1, 100000));
  up->add_option("-f,--filename", manifests,
                 "manifests to apply: files (YAML or JSON, multi-document), directories (their "
                 ".yaml/.yml/.json files by name) or - for stdin; all are decoded before any "
                 "is applied");
  std::string validate = "strict";
  up->add_option("--validate", validate,
                 "unknown fields in manifests: strict (an error), warn, or ignore");
  std::string event_ttl = "1h";
  up->add_option("--event-ttl", event_ttl,
                 "how long Events are kept after they were last written (0: for ever)");
  up->add_option("--data-dir", up_dir, "store directory; starting again resumes its state");
  up->add_flag("--in-memory", in_memory, "keep the store in memory (nothing persists)");
  up->add_option("--seed", up_options.seed, "seed of every random choice");
  up->add_option("--threads", up_options.threads, "CAF worker threads (0: one per core)");
  std::string scheduler_config;
  up->add_option("--scheduler-config", scheduler_config,
                 "a KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1): "
                 "scheduler profiles, plugins and their args (kube-scheduler --config)");
  up->add_option("--cluster-cidr", up_options.cluster_cidr,
                 "pod network each node's /24 is cut from (a /16 holds 256 nodes; default: "
                 "10.244.0.0/16, grown around it when --nodes needs more)");

  // kube-controller-manager's node lifecycle flags and kube-apiserver's default tolerations
  // (durations are Go-style text, checked after parsing).
  auto& lifecycle = up_options.node_lifecycle;
  std::vector<std::pair<std::string, kactor::Duration*>> durations{
      {"--node-monitor-period", &lifecycle.monitor_period},
      {"--node-monitor-grace-period", &lifecycle.monitor_grace_period},
      {"--node-startup-grace-period", &lifecycle.startup_grace_period},
      {"--node-lease-interval", &up_options.node_lease_interval},
      {"--resource-quota-sync-period", &up_options.resource_quota_sync_period},
      {"--horizontal-pod-autoscaler-sync-period", &up_options.hpa.sync_period}};
  // The horizontal pod autoscaler's windows may also be 0 (no delay, no stabilization).
  auto& hpa = up_options.hpa;
  std::vector<std::pair<std::string, kactor::Duration*>> windows{
      {"--horizontal-pod-autoscaler-cpu-initialization-period", &hpa.cpu_initialization_period},
      {"--horizontal-pod-autoscaler-initial-readiness-delay", &hpa.initial_readiness_delay},
      {"--horizontal-pod-autoscaler-downscale-stabilization", &hpa.downscale_stabilization}};
  std::map<std::string, std::string> duration_text;
  // kube-controller-manager's flags: on `up` and on `controller-manager` (same variables;
  // only one subcommand runs).
  auto add_controller_flags = [&](CLI::App* cmd) {
    cmd->add_option("--node-monitor-period", duration_text["--node-monitor-period"],
                    "how often the node lifecycle controller checks every node (default 5s)");
    cmd->add_option("--node-monitor-grace-period", duration_text["--node-monitor-grace-period"],
                    "a node silent this long becomes Unknown and is tainted unreachable (50s)");
    cmd->add_option("--node-startup-grace-period", duration_text["--node-startup-grace-period"],
                    "the same for a node that never reported Ready (60s)");
    cmd->add_option("--resource-quota-sync-period", duration_text["--resource-quota-sync-period"],
                    "how often the quota controller recomputes every ResourceQuota (5m)");
    cmd->add_option("--horizontal-pod-autoscaler-sync-period",
                    duration_text["--horizontal-pod-autoscaler-sync-period"],
                    "how often every HorizontalPodAutoscaler is reconciled (15s)");
    cmd->add_option("--horizontal-pod-autoscaler-tolerance", hpa.tolerance,
                    "usage ratios within 1 plus or minus this leave the replica count alone (0.1)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--horizontal-pod-autoscaler-cpu-initialization-period",
                    duration_text["--horizontal-pod-autoscaler-cpu-initialization-period"],
                    "after a pod starts, cpu samples from before it was ready are skipped (5m)");
    cmd->add_option("--horizontal-pod-autoscaler-initial-readiness-delay",
                    duration_text["--horizontal-pod-autoscaler-initial-readiness-delay"],
                    "a pod not ready within this of its start counts as not yet ready (30s)");
    cmd->add_option("--horizontal-pod-autoscaler-downscale-stabilization",
                    duration_text["--horizontal-pod-autoscaler-downscale-stabilization"],
                    "scale-down follows the highest recommendation of this window (5m)");
    cmd->add_option("--node-eviction-rate", lifecycle.eviction_rate,
                    "failed nodes tainted NoExecute per second in a healthy zone (0.1)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--secondary-node-eviction-rate", lifecycle.secondary_eviction_rate,
                    "the same in a partially disrupted large zone (0.01)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--large-cluster-size-threshold", lifecycle.large_cluster_size_threshold,
                    "zones with more nodes use the secondary rate when partially disrupted (50)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--unhealthy-zone-threshold", lifecycle.unhealthy_zone_threshold,
                    "share of not-Ready nodes (more than 2) that partially disrupts a zone (0.55)")
        ->check(CLI::Range(0.0, 1.0));
  };
  add_controller_flags(up);
  up->add_option("--node-lease-interval", duration_text["--node-lease-interval"],
                 "how often each kubelet renews its Lease and posts its status (10s)");
  auto& admission = up_options.apiserver.admission_options;
  auto add_admission_flags = [&](CLI::App* cmd) {
    cmd->add_option("--default-not-ready-toleration-seconds",
                    admission.default_not_ready_toleration_seconds,
                    "tolerationSeconds given to pods for the not-ready NoExecute taint (300)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--default-unreachable-toleration-seconds",
                    admission.default_unreachable_toleration_seconds,
                    "tolerationSeconds given to pods for the unreachable NoExecute taint (300)")
        ->check(CLI::NonNegativeNumber);
    std::string plugins;
    for (const auto& name : kactor::apiserver::admission_plugin_names())
      plugins += (plugins.empty() ? "" : ", ") + name;
    cmd->add_option("--disable-admission-plugins", admission.disabled_plugins,
                    "admission plugins to turn off, comma-separated (of: " + plugins + ")")
        ->delimiter(',');
  };
  add_admission_flags(up);
  // The simulated cloud that gives LoadBalancer Services their addresses (actors/cloud/).
  up->add_option("--load-balancer-pool", up_options.simulated_cloud.pool,
                 "CIDR the simulated cloud takes load-balancer IPs from (172.18.255.0/24)");
  std::string lb_latency;
  up->add_option("--load-balancer-latency", lb_latency,
                 "how long the simulated cloud takes to provision a load balancer (1s; 0: at once)");

  std::string max_token_expiration;
  up->add_option("--service-account-max-token-expiration", max_token_expiration,
                 "longest lifetime of a requested service-account token, e.g. 48h (none)");

  kactor::http::ServeOptions serve;
  up->add_option("--listen", serve.listen,
                 "address:port of the Kubernetes API (HTTPS; port 0 picks a free one)");
  up->add_flag("--insecure-http", serve.insecure_http,
               "serve plain HTTP without authentication (only on a loopback --listen)");

  RollingUpdateFlags ru;
  auto* rolling = app.add_subcommand(
      "rolling-update",
      "roll a ReplicationController of a running cluster to a new image (--image) or a new "
      "controller (-f), as kubectl rolling-update did; --rollback undoes one in progress");
  rolling->add_option("OLD", ru.options.old_name, "the ReplicationController to update")
      ->required();
  rolling->add_option("NEW", ru.options.new_name,
                      "the new controller's name (with --image; default: OLD-<hash>, renamed to "
                      "OLD at the end)");
  rolling->add_option("--kubeconfig", ru.kubeconfig,
                      "kubeconfig of the cluster (default: $KUBECONFIG, else "
                      "kactor-data/kubeconfig)");
  rolling->add_option("--context", ru.context, "kubeconfig context (default: the current one)");
  rolling->add_option("-n,--namespace", ru.options.namespace_,
                      "namespace (default: the context's, else default)")
      ->each([&ru](const std::string&) { ru.namespace_given = true; });
  rolling->add_option("--image", ru.options.image, "the new image of the container");
  rolling->add_option("--container", ru.options.container,
                      "the container that gets --image (needed when there are several)");
  rolling->add_option("--image-pull-policy", ru.options.image_pull_policy,
                      "Always, Never or IfNotPresent (needed when --image is the current image)");
  rolling->add_option("-f,--filename", ru.filename, "the new ReplicationController (YAML or JSON)");
  rolling->add_option("--deployment-label-key", ru.options.deployment_label_key,
                      "label key that tells the new pods from the old (with --image)");
  rolling->add_option("--update-period", ru.update_period, "time between steps (1m)");
  rolling->add_option("--poll-interval", ru.poll_interval,
                      "time between looks at the controllers' progress (3s)");
  rolling->add_option("--timeout", ru.timeout,
                      "give up after this long without progress (5m)");
  rolling->add_option("--max-surge", ru.max_surge,
                      "pods above the desired count during the update: a number or a percentage "
                      "(1)");
  rolling->add_option("--max-unavailable", ru.max_unavailable,
                      "pods below the desired count that may be unavailable: a number or a "
                      "percentage (0)");
  rolling->add_flag("--rollback", ru.options.rollback,
                    "abort the update in progress: the old controller back to its size");
  rolling->add_flag("--rollback-on-failure", ru.options.rollback_on_failure,
                    "roll back at once when the update fails (times out)");
  rolling->add_option("--request-timeout", ru.request_timeout,
                      "how long one API request may take (30s)");

  // Each role as its own process, over CAF's network layer (docs/multi-host.md).
  kactor::cli::WireFlags wire;
  auto add_wire_flags = [&](CLI::App* cmd, const char* flag, const char* what) {
    cmd->add_option(flag, wire.address, what)->required();
    cmd->add_flag("--insecure", wire.insecure,
                  "plaintext, unauthenticated connections (refused unless the address is "
                  "loopback); without it, mutual TLS with the certificates of --pki-dir");
    cmd->add_option("--pki-dir", wire.pki_dir,
                    "the directory `kactor certs` wrote: ca.crt and this role's certificate "
                    "and key (mutual TLS; not with --insecure)");
    cmd->add_flag("--insecure-allow-any-address", wire.insecure_any_address,
                  "with --insecure: allow plaintext on a non-loopback address too. FOR TESTS "
                  "ONLY (private network namespaces): anyone who reaches it is trusted");
    cmd->add_option("--heartbeat-interval", duration_text["--heartbeat-interval"],
                    "how often a heartbeat goes over an idle connection to another role (1s)");
    cmd->add_option("--connection-timeout", duration_text["--connection-timeout"],
                    "a connection on which nothing arrived this long is dropped: a peer cut "
                    "off by the network (5s)");
    cmd->add_option("--seed", up_options.seed, "seed of every random choice");
    cmd->add_option("--threads", up_options.threads,
                    "CAF worker threads of this process (0: one per core); fewer when several "
                    "roles share a machine's cores");
  };
  auto* apiserver_cmd = app.add_subcommand(
      "apiserver", "run the store, the API server and the HTTP API; publish the API server for "
                   "the other roles (--caf-listen)");
  add_wire_flags(apiserver_cmd, "--caf-listen",
                 "host:port where the other roles reach the API server (CAF)");
  apiserver_cmd->add_option("--data-dir", up_dir, "store directory; starting again resumes its state");
  apiserver_cmd->add_flag("--in-memory", in_memory, "keep the store in memory (nothing persists)");
  apiserver_cmd->add_option("--event-ttl", event_ttl,
                            "how long Events are kept after they were last written (0: for ever)");
  apiserver_cmd->add_option("--service-account-max-token-expiration", max_token_expiration,
                            "longest lifetime of a requested service-account token (none)");
  apiserver_cmd->add_option("--listen", serve.listen,
                            "address:port of the Kubernetes API (HTTPS; port 0 picks a free one)");
  apiserver_cmd->add_flag("--insecure-http", serve.insecure_http,
                          "serve plain HTTP without authentication (only on a loopback --listen)");
  add_admission_flags(apiserver_cmd);
  kactor::cli::KubeletClientFlags kubelet_client;
  auto add_kubelet_client_flags = [&](CLI::App* cmd, const char* fallback) {
    cmd->add_option("--kubelet-client-certificate", kubelet_client.certificate_file,
                    std::string("client certificate presented to kubelets' HTTPS API (") +
                        fallback + ")");
    cmd->add_option("--kubelet-client-key", kubelet_client.key_file,
                    "the key of --kubelet-client-certificate");
    cmd->add_option("--kubelet-certificate-authority", kubelet_client.certificate_authority_file,
                    "CA file to verify kubelets' serving certificates with, and that they name "
                    "their node (default: not verified)");
  };
  add_kubelet_client_flags(apiserver_cmd, "<data-dir>/pki/apiserver-kubelet-client.crt");

  // Upstream's leader election flags, on both elected roles (only one subcommand runs).
  kactor::cli::LeaderElectionFlags election;
  auto add_leader_election_flags = [&](CLI::App* cmd) {
    cmd->add_flag("--leader-elect", election.leader_elect,
                  "act only while holding the role's Lease, so several can run and one acts "
                  "(default true; --leader-elect=false to run unelected)");
    cmd->add_option("--leader-elect-lease-duration", election.lease_duration,
                    "how long candidates wait after the leader's last renewal before taking "
                    "over (15s)");
    cmd->add_option("--leader-elect-renew-deadline", election.renew_deadline,
                    "how long the leader tries to renew before it stops leading (10s)");
    cmd->add_option("--leader-elect-retry-period", election.retry_period,
                    "time between attempts to acquire or renew (2s)");
    cmd->add_option("--leader-elect-resource-name", election.resource_name,
                    "the Lease's name (kube-controller-manager, kube-scheduler)");
    cmd->add_option("--leader-elect-resource-namespace", election.resource_namespace,
                    "the Lease's namespace (kube-system)");
  };

  std::string sa_key_file, root_ca_file;
  auto* cm_cmd = app.add_subcommand(
      "controller-manager", "run the controllers (and the metrics server) against an API server");
  add_wire_flags(cm_cmd, "--server", "host:port of the API server (its --caf-listen)");
  add_controller_flags(cm_cmd);
  cm_cmd->add_option("--cluster-cidr", up_options.cluster_cidr,
                     "pod network each node's /24 is cut from (default 10.244.0.0/16)");
  cm_cmd->add_option("--service-account-private-key-file", sa_key_file,
                     "the key legacy service-account token Secrets are signed with (the API "
                     "server's <data-dir>/pki/sa.key)");
  cm_cmd->add_option("--root-ca-file", root_ca_file,
                     "the cluster CA published to every namespace as kube-root-ca.crt");
  add_leader_election_flags(cm_cmd);
  add_kubelet_client_flags(cm_cmd, "none");

  auto* scheduler_cmd =
      app.add_subcommand("scheduler", "run the scheduler against an API server");
  add_wire_flags(scheduler_cmd, "--server", "host:port of the API server (its --caf-listen)");
  scheduler_cmd->add_option("--config", scheduler_config,
                            "a KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1)");
  add_leader_election_flags(scheduler_cmd);

  size_t node_count = 1;
  std::string name_prefix = "node-";
  auto* node_cmd = app.add_subcommand(
      "node", "run simulated nodes (kubelet + kube-proxy each) against an API server");
  add_wire_flags(node_cmd, "--server", "host:port of the API server (its --caf-listen)");
  node_cmd->add_option("--count", node_count, "number of simulated nodes in this process")
      ->check(CLI::Range(1, 100000));
  node_cmd->add_option("--name-prefix", name_prefix,
                       "node names: <prefix>0 .. <prefix><count-1> (node-)");
  node_cmd->add_option("--node-lease-interval", duration_text["--node-lease-interval"],
                       "how often each kubelet renews its Lease and posts its status (10s)");
  kactor::cli::KubeletApiFlags kubelet_api;
  node_cmd->add_option("--kubelet-address", kubelet_api.address,
                       "IP address of the kubelets' HTTPS API, reported as each node's "
                       "ExternalIP (127.0.0.1)");
  node_cmd->add_option("--kubelet-port", kubelet_api.port,
                       "port of the kubelets' HTTPS API, one for all nodes (10250; 0: any)");
  node_cmd->add_option("--tls-cert-file", kubelet_api.tls_cert_file,
                       "serving certificate of the kubelet API, for all nodes (default: with "
                       "--pki-dir each node's kubelet-serving/<name>.crt, chosen by SNI; "
                       "otherwise a self-signed one)");
  node_cmd->add_option("--tls-private-key-file", kubelet_api.tls_private_key_file,
                       "the key of --tls-cert-file");
  node_cmd->add_option("--client-ca-file", kubelet_api.client_ca_file,
                       "serve only clients with a certificate signed by this CA (the cluster "
                       "CA, <data-dir>/pki/ca.crt); others get 401");

  // The certificates of the role processes' mutual TLS (docs/multi-host.md "Security").
  std::string certs_dir;
  std::vector<std::string> cert_hosts, cert_nodes;
  std::string cert_node_prefix;
  size_t cert_node_count = 0;
  auto* certs_cmd = app.add_subcommand(
      "certs", "create (or reuse) the cluster CA in a directory and issue the certificates of "
               "the API server, the controller manager, the scheduler and nodes");
  certs_cmd->add_option("--dir", certs_dir, "the PKI directory (kubeadm's /etc/kubernetes/pki)")
      ->required();
  certs_cmd->add_option("--hosts", cert_hosts,
                        "extra addresses or DNS names of the API server's certificate")
      ->delimiter(',');
  certs_cmd->add_option("--nodes", cert_nodes, "node names to issue certificates for")
      ->delimiter(',');
  certs_cmd->add_option("--node-prefix", cert_node_prefix,
                        "with --node-count N: also nodes <prefix>0 .. <prefix><N-1>, as `kactor "
                        "node --name-prefix` names them (node-)");
  certs_cmd->add_option("--node-count", cert_node_count, "how many <prefix>i nodes")
      ->check(CLI::Range(0, 100000));

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));
  if (*version) {
    std::printf("kactor %s (Kubernetes %s)\n", kactor::kKactorVersion, kactor::kKubernetesVersion);
    return 0;
  }
  if (*demo) return run_demo(data_dir);
  if (*certs_cmd) {
    if (cert_node_count > 0 && cert_node_prefix.empty()) cert_node_prefix = "node-";
    for (size_t i = 0; i < cert_node_count; ++i)
      cert_nodes.push_back(cert_node_prefix + std::to_string(i));
    return kactor::cli::run_certs(certs_dir, cert_hosts, cert_nodes);
  }
  if (*rolling) return run_rolling_update(std::move(ru));
  if (*up || *apiserver_cmd || *cm_cmd || *scheduler_cmd || *node_cmd) {
    kactor::runtime::ManifestOptions manifest_options;
    auto validation = kactor::runtime::parse_validation(validate);
    if (!validation) {
      spdlog::error("--validate must be strict, warn or ignore, not \"{}\"", validate);
      return 1;
    }
    manifest_options.validation = *validation;
    if (!max_token_expiration.empty()) {
      auto max = kactor::parse_go_duration(max_token_expiration);
      if (!max || max->count() < 0) {
        spdlog::error("--service-account-max-token-expiration must be a duration such as 48h, "
                      "not \"{}\"", max_token_expiration);
        return 1;
      }
      up_options.apiserver.tokens.max_expiration_seconds =
          std::chrono::duration_cast<std::chrono::seconds>(*max).count();
    }
    auto ttl = kactor::parse_go_duration(event_ttl);
    if (!ttl) {
      spdlog::error("--event-ttl must be a duration such as 1h, 30m or 0, not \"{}\"", event_ttl);
      return 1;
    }
    up_options.apiserver.event_ttl = *ttl;
    if (auto unknown = kactor::apiserver::check_disabled_admission_plugins(
            up_options.apiserver.admission_options.disabled_plugins)) {
      spdlog::error("{}", *unknown);
      return 1;
    }
    for (auto& [flag, target] : durations) {
      const auto& text = duration_text[flag];
      if (text.empty()) continue;
      auto d = kactor::parse_go_duration(text);
      if (!d || *d <= kactor::Duration::zero()) {
        spdlog::error("{} must be a positive duration such as 5s, 40s or 1m, not \"{}\"", flag,
                      text);
        return 1;
      }
      *target = *d;
    }
    for (auto& [flag, target] : windows) {
      const auto& text = duration_text[flag];
      if (text.empty()) continue;
      auto d = kactor::parse_go_duration(text);
      if (!d || *d < kactor::Duration::zero()) {
        spdlog::error("{} must be a duration such as 30s, 5m or 0, not \"{}\"", flag, text);
        return 1;
      }
      *target = *d;
    }
    // The wire's heartbeats (docs/multi-host.md): the timeout must leave room for a few
    // heartbeats, or a quiet but healthy connection would be dropped.
    for (auto [flag, target] :
         {std::pair{"--heartbeat-interval", &wire.heartbeats.interval},
          std::pair{"--connection-timeout", &wire.heartbeats.timeout}}) {
      const auto& text = duration_text[flag];
      if (text.empty()) continue;
      auto d = kactor::parse_go_duration(text);
      if (!d || *d <= kactor::Duration::zero()) {
        spdlog::error("{} must be a positive duration such as 1s or 500ms, not \"{}\"", flag,
                      text);
        return 1;
      }
      *target = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
    }
    if (wire.heartbeats.timeout < 2 * wire.heartbeats.interval) {
      spdlog::error("--connection-timeout ({} ms) must be at least twice --heartbeat-interval "
                    "({} ms)",
                    wire.heartbeats.timeout.count(), wire.heartbeats.interval.count());
      return 1;
    }
    if (!lb_latency.empty()) {
      auto d = kactor::parse_go_duration(lb_latency);
      if (!d || *d < kactor::Duration::zero()) {
        spdlog::error("--load-balancer-latency must be a duration such as 1s, 500ms or 0, not \"{}\"",
                      lb_latency);
        return 1;
      }
      up_options.simulated_cloud.latency = *d;
    }
    if (!scheduler_config.empty()) {
      auto config = kactor::scheduler::config::load_configuration_file(scheduler_config);
      if (!config) {
        spdlog::error("--scheduler-config: {}", config.error().message);
        return 1;
      }
      up_options.scheduler_config =
          std::make_shared<const kactor::scheduler::config::SchedulerConfiguration>(std::move(*config));
    }
    if (*apiserver_cmd) return kactor::cli::run_apiserver(up_options, up_dir, in_memory, serve, wire,
                                                         kubelet_client);
    if (*cm_cmd)
      return kactor::cli::run_controller_manager(up_options, wire, sa_key_file, root_ca_file,
                                                 kubelet_client, election);
    if (*scheduler_cmd) return kactor::cli::run_scheduler(up_options, wire, election);
    if (*node_cmd) return kactor::cli::run_node(up_options, wire, node_count, name_prefix,
                                                   kubelet_api);
    return run_up(up_options, manifests, manifest_options, up_dir, in_memory, serve);
  }
  return 0;
}
