// The controller manager: spawns each enabled controller as its own actor.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>

#include "actors/cloud/simulated_cloud.hpp"
#include "actors/common/context.hpp"
#include "actors/common/supervisor.hpp"
#include "actors/controllers/hpa_options.hpp"
#include "actors/controllers/node_lifecycle_options.hpp"
#include "api/status.hpp"

namespace kactor::tokens {
class TokenIssuer;
}

namespace kactor::actors::controllers {

/// The pod garbage collector's settings (kube-controller-manager's, upstream defaults).
struct PodGcOptions {
  /// How often it looks for pods to collect (upstream's gcCheckPeriod).
  Duration check_period = std::chrono::seconds(20);
  /// How long a pod's Node must be missing before the pod counts as orphaned.
  Duration quarantine = std::chrono::seconds(40);
  /// --terminated-pod-gc-threshold: terminated pods kept (oldest deleted beyond); 0: all.
  int terminated_threshold = 12500;
};

struct ControllerManagerOptions {
  /// Which controllers run, as kube-controller-manager's --controllers: "*" (all),
  /// "name" (enable), "-name" (disable). Default: all.
  std::vector<std::string> controllers{"*"};
  /// Node IPAM: the range node pod CIDRs are cut from, and their size.
  std::string cluster_cidr = "10.244.0.0/16";
  int node_cidr_mask_size = 24;
  /// The node lifecycle controller's periods, grace periods and eviction rates.
  NodeLifecycleOptions node_lifecycle;
  PodGcOptions pod_gc;
  /// The cloud the service controller (service-lb-controller) provisions load balancers in:
  /// an actor answering the cloud provider protocol (actors/cloud/messages.hpp). Invalid: the
  /// manager spawns a simulated cloud with `simulated_cloud`'s settings.
  caf::actor cloud;
  cloud::SimulatedCloudOptions simulated_cloud;
  /// --cluster-name, handed to the cloud with every load-balancer call.
  std::string cluster_name = "kubernetes";
  /// --resource-quota-sync-period: how often the quota controller recomputes every quota
  /// (besides recomputing on the changes it watches).
  Duration resource_quota_sync_period = std::chrono::minutes(5);
  /// Signs the legacy Secret tokens (serviceaccount-token): the API server's issuer, so the
  /// HTTP API accepts them. Null: that controller signs with a key of its own.
  std::shared_ptr<const tokens::TokenIssuer> token_issuer;
  /// The cluster CA (PEM), published as kube-root-ca.crt in every namespace
  /// (root-ca-cert-publisher) and put in legacy token Secrets; empty: none (no TLS).
  std::string root_ca_pem;
  /// The horizontal pod autoscaler's periods and tolerance.
  HpaOptions hpa;
  /// The metrics server (metrics.k8s.io) the horizontal pod autoscaler reads pod metrics from:
  /// an actor answering metrics_query_atom (actors/metrics/protocol/). Invalid: every resource
  /// metric is reported unavailable.
  caf::actor metrics_server;
  /// Parallel syncs per controller (distinct keys).
  int workers = 4;
  /// How a controller that dies is restarted (each has its own supervisor).
  SupervisorOptions supervision;
};

/// The running controllers, by name (in registry order): the handles of their supervisors,
/// which stand for them across restarts.
struct ControllerManager {
  std::vector<std::pair<std::string, caf::actor>> controllers;
  /// The simulated cloud the manager spawned (invalid when none was needed, or one was given).
  caf::actor cloud;

  /// Sends every controller, and the simulated cloud, an exit message.
  void shutdown();
};

/// Spawns every enabled controller. Unknown names or bad options → BadRequest (nothing spawned).
api::Result<ControllerManager> spawn_controller_manager(const actors::Context& ctx,
                                                        const ControllerManagerOptions& options);

}  // namespace kactor::actors::controllers
