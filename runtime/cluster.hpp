// kactor::Cluster: a whole cluster in one process — API server over its store,
// controllers, scheduler, and one kubelet and kube-proxy per simulated node —
// for programs that embed kactor and for tests. Clusters share nothing: each has
// its own actor system, store, clock and seed.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/apiserver/apiserver.hpp"
#include "actors/kubelet/container_runtime.hpp"
#include "actors/kubelet/usage_model.hpp"
#include "actors/metrics/metrics_server.hpp"
#include "actors/common/supervisor.hpp"
#include "actors/cloud/simulated_cloud.hpp"
#include "actors/common/context.hpp"
#include "actors/controllers/hpa_options.hpp"
#include "actors/controllers/node_lifecycle_options.hpp"
#include "api/object.hpp"
#include "api/quantity/quantity.hpp"
#include "api/types/node.hpp"
#include "runtime/manifest.hpp"
#include "store/types.hpp"

namespace kactor::scheduler::config {
struct SchedulerConfiguration;
}

namespace kactor {

namespace client {
class BlockingClient;
}

/// One simulated node.
struct NodeOptions {
  std::string name;            // empty: "node-<index>"
  api::ResourceList capacity;  // empty: the cluster's node_capacity
  std::map<std::string, std::string> labels;
  std::vector<api::Taint> taints;
  /// Makes the node's container runtime; empty: the simulated one (kubelet/sim_runtime.hpp).
  kubelet::RuntimeFactory runtime;
  /// The fraction of their requests the node's containers use when their pods do not say
  /// (kubelet/usage_model.hpp); empty: the cluster's usage_fraction.
  std::optional<double> usage_fraction;
};

struct ClusterOptions {
  /// Nodes started with the cluster (named node-0, node-1, ...), unless `node_list` is given.
  size_t nodes = 3;
  std::vector<NodeOptions> node_list;
  /// Capacity of a node that names none: cpu 4, memory 8Gi, pods 110 (and, from the
  /// kubelet, ephemeral-storage 100Gi).
  api::ResourceList node_capacity;
  /// The fraction of their requests containers use when their pods do not say
  /// (kubelet/usage_model.hpp), on every node that does not set its own.
  double usage_fraction = kubelet::UsageModelOptions{}.request_fraction;
  /// Empty: an in-memory store. Otherwise the store's directory (resumable).
  std::string data_dir;
  store::Durability durability = store::Durability::sync;
  uint64_t seed = 1;
  /// Null: a real clock. Tests pass a VirtualClock and advance it.
  Clock* clock = nullptr;
  /// CAF worker threads; 0 = one per core, at least two (runtime::default_worker_threads).
  size_t threads = 0;
  apiserver::ApiServerOptions apiserver;
  /// kube-controller-manager's --controllers: "*" (all), "name", "-name".
  std::vector<std::string> controllers{"*"};
  /// The node lifecycle controller's --node-monitor-period, grace periods and eviction rates.
  actors::controllers::NodeLifecycleOptions node_lifecycle;
  /// kube-controller-manager's --resource-quota-sync-period: every quota recomputed this often.
  Duration resource_quota_sync_period = std::chrono::minutes(5);
  /// kube-controller-manager's --horizontal-pod-autoscaler-* settings.
  actors::controllers::HpaOptions hpa;
  /// The pod network each node's /24 is cut from (kube-controller-manager --cluster-cidr).
  /// Empty: sized from the node count (runtime/pod_network.hpp: 10.244.0.0/16 up to 256
  /// nodes, larger beyond). start() refuses one too small for the nodes, before starting
  /// anything, and add_node() a node it has no subnet left for.
  std::string cluster_cidr;
  bool scheduler = true;
  /// kube-scheduler's --config: its profiles, backoffs and percentageOfNodesToScore
  /// (actors/scheduler/config/); null: the default profile.
  std::shared_ptr<const scheduler::config::SchedulerConfiguration> scheduler_config;
  Duration node_lease_interval = std::chrono::seconds(10);
  /// How every component (API server, scheduler, each controller, kubelet and kube-proxy) is
  /// restarted when it dies: back-off, and an observer of deaths and restarts.
  actors::SupervisorOptions supervision;
  /// The metrics server (metrics.k8s.io): scrape period and timeout. An empty `kubelet_for`
  /// means the cluster's own kubelets (tests give fake ones that answer made-up Summaries).
  metrics::MetricsServerOptions metrics;
  /// The cloud the service controller provisions load balancers in (actors/cloud/): empty
  /// → the simulated cloud with `simulated_cloud`'s settings; else this spawns an actor
  /// answering the cloud provider protocol (the Cluster stops it at shutdown).
  std::function<caf::actor(const actors::Context&)> cloud_provider;
  cloud::SimulatedCloudOptions simulated_cloud;
  /// The cluster CA (PEM) that pods get as kube-root-ca.crt and legacy token Secrets as
  /// ca.crt; empty: none (a cluster served without TLS has no CA).
  std::string root_ca_pem;
};

class Cluster {
 public:
  static api::Result<std::unique_ptr<Cluster>> start(ClusterOptions options);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  /// A blocking client for the calling thread (one per cluster; not thread-safe).
  client::BlockingClient& client();
  caf::actor_system& system();
  const caf::actor& apiserver() const;
  Clock& clock();
  /// The pod network in use: ClusterOptions::cluster_cidr, or the default sized for the nodes.
  const std::string& cluster_cidr() const;
  /// Signs and verifies service-account tokens: apiserver.tokens.issuer when given, else the
  /// key in <data_dir>/pki/sa.key (created on first start), else an in-memory key.
  std::shared_ptr<const tokens::TokenIssuer> token_issuer() const;

  /// Creates every object of a (multi-document) manifest; an object that exists gets the
  /// manifest merged into it (a strategic merge patch: fields the manifest sets win, others,
  /// like an allocated clusterIP, stay; unlike kubectl apply, fields removed from a manifest
  /// are not removed from the object, as no last-applied configuration is kept).
  /// Every document is decoded first (runtime/manifest.hpp; unknown fields are an error
  /// unless `options` say otherwise): a bad one applies nothing. If the API server refuses
  /// one, the error names it and the objects applied before it.
  api::Result<std::vector<api::ObjectPtr>> apply(std::string_view manifest,
                                                 const runtime::ManifestOptions& options = {});
  /// Applies decoded objects (read_manifests()), as above.
  api::Result<std::vector<api::ObjectPtr>> apply(const runtime::Manifest& manifest);

  /// Waits until `holds` is true of the objects of `kind`, re-checking on every change,
  /// at most `deadline` (real time). False on timeout.
  bool wait_for(const api::TypeInfo& kind,
                const std::function<bool(const std::vector<api::ObjectPtr>&)>& holds,
                std::chrono::milliseconds deadline = std::chrono::seconds(30));
  /// Waits until `seen` is true of one state of an object of `kind`: every state the informer
  /// delivers, in order (what was there at the start, each update, the last state of a
  /// deleted object), so also a passing state that wait_for() may miss because the object
  /// moved on before the check ran. At most `deadline` (real time). False on timeout.
  bool wait_for_state(const api::TypeInfo& kind, const std::function<bool(const api::Object&)>& seen,
                      std::chrono::milliseconds deadline = std::chrono::seconds(30));
  /// Waits until `count` nodes report Ready=True and carry no not-ready/unreachable taint.
  bool wait_nodes_ready(size_t count,
                        std::chrono::milliseconds deadline = std::chrono::seconds(30));

  /// Starts one more node (kubelet + kube-proxy). BadRequest (field clusterCIDR) when the
  /// pod network has no subnet left for a new node name; AlreadyExists for a running one.
  api::Result<std::string> add_node(NodeOptions node);
  /// Stops a node abruptly, as a crashed machine: its kubelet and proxy vanish, no
  /// heartbeats, nothing is cleaned up.
  void stop_node(const std::string& name);
  /// The running nodes (a stopped node is not listed).
  std::vector<std::string> node_names() const;
  /// The kube-proxy of a node (see actors/proxy/messages.hpp), or an invalid handle.
  caf::actor proxy(const std::string& node) const;
  /// The kubelet of a node (kubelet_state_atom in actors/kubelet/kubelet.hpp reports what
  /// it runs), or an invalid handle.
  caf::actor kubelet(const std::string& node) const;
  /// The metrics server (actors/metrics/protocol/messages.hpp: NodeMetrics and PodMetrics).
  caf::actor metrics() const;

  /// A controller of the controller manager by its registry name (the handle of its
  /// supervisor, which stands for it across restarts), or an invalid handle. Each answers
  /// (ctrl_ping_atom) (actors/controllers/messages.hpp) once it has handled what came before.
  caf::actor controller(const std::string& name) const;
  /// The cloud provider in use (the simulated cloud answers cloud_state_atom and
  /// cloud_fail_atom, actors/cloud/messages.hpp), or an invalid handle when the service
  /// controller is not running.
  caf::actor cloud() const;

  /// Stops every component, then the API server. Called by the destructor.
  void shutdown();

 private:
  struct Impl;
  explicit Cluster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Nodes with the Ready condition True, and no not-ready/unreachable taint left, among `objects`.
size_t count_ready_nodes(const std::vector<api::ObjectPtr>& nodes);

}  // namespace kactor
