// The pieces a cluster is assembled from, one per role: the controller manager (with the
// metrics server the HPA reads), the scheduler, and a node (kubelet + kube-proxy). The
// all-in-one Cluster (cluster.hpp) starts all of them in one process over a local API server;
// `kactor controller-manager`, `kactor scheduler` and `kactor node` start one each over a
// remote one (RemoteHost below, docs/multi-host.md). Same code either way: a piece only sees
// the actors::Context it is given.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <caf/fwd.hpp>

#include "actors/common/context.hpp"
#include "actors/controllers/controller_manager.hpp"
#include "actors/kubelet/kubelet.hpp"
#include "actors/remote/remote_apiserver.hpp"
#include "actors/tokens/jwt.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/cluster.hpp"
#include "runtime/tls_actor_system.hpp"

namespace kactor::runtime {

/// The controller manager role: the metrics server first (the HPA reads it), then every
/// enabled controller (and the cloud provider the service controller needs).
struct ControllerManagerRole {
  caf::actor metrics;
  actors::controllers::ControllerManager controllers;
  /// The cloud provider ClusterOptions::cloud_provider spawned (invalid: the simulated one).
  caf::actor given_cloud;

  /// Stops every actor of the role and waits for each (at most 10 s each).
  void stop(caf::actor_system& system);
};

/// Starts the controller manager role from the cluster's options (`options.cluster_cidr`
/// resolved, `options.apiserver.tokens.issuer` the signing key of legacy token Secrets or
/// null). `kubelet_for` tells the metrics server where a node's kubelet is (empty: none can
/// be reached, e.g. when the kubelets run in other processes).
api::Result<ControllerManagerRole> start_controller_manager(
    const actors::Context& ctx, const ClusterOptions& options,
    std::function<std::optional<caf::actor>(const std::string&)> kubelet_for);

/// Starts the scheduler (supervised) with the cluster's scheduler configuration.
caf::actor start_scheduler(const actors::Context& ctx, const ClusterOptions& options);

/// One node: its kubelet and kube-proxy, each supervised.
struct NodeRole {
  caf::actor kubelet;
  caf::actor proxy;
};

/// The kubelet's options for `node` (its name resolved) in a cluster with `options`;
/// BadRequest naming the node when they are invalid.
api::Result<kubelet::KubeletOptions> kubelet_options_for(const ClusterOptions& options,
                                                         const NodeOptions& node, int index);

/// Starts one node's kubelet and kube-proxy.
NodeRole start_node(const actors::Context& ctx, const kubelet::KubeletOptions& kubelet,
                    const actors::SupervisorOptions& supervision);

/// The service-account token issuer of a cluster whose store is in `data_dir`: the key in
/// <data_dir>/pki/sa.key (created on first start); for an in-memory store (empty
/// `data_dir`) an in-memory key, generated only if a token is ever signed or checked.
api::Result<std::shared_ptr<tokens::TokenIssuer>> token_issuer_for(const std::string& data_dir);

/// Sends `a` an exit and waits until it has ended (at most 10 s).
void stop_actor(caf::actor_system& system, const caf::actor& a);

/// What every role process but the API server's has: an actor system, a real clock, the
/// stand-in for the remote API server (actors/remote/), the process's shared informers and
/// the Context its components are given.
class RemoteHost {
 public:
  struct Options {
    remote::RemoteApiServerOptions server;
    /// CAF worker threads; 0 = one per core.
    size_t threads = 0;
    /// The cluster seed (Context::seed); the reconnect jitter draws from a fork of it.
    uint64_t seed = 1;
    /// Mutual TLS (server.tls and server.prove then set too); disabled: plaintext.
    TlsConfig tls;
    /// BASP heartbeats of the connection (ActorSystem): a silent API server is dropped after
    /// heartbeats.timeout, and the stand-in's 503/reconnect path takes over.
    Heartbeats heartbeats;
  };
  static std::unique_ptr<RemoteHost> start(Options options);
  ~RemoteHost();
  RemoteHost(const RemoteHost&) = delete;
  RemoteHost& operator=(const RemoteHost&) = delete;

  caf::actor_system& system();
  Clock& clock();
  const actors::Context& context() const { return ctx_; }
  /// Waits until the API server is reached, at most `deadline`.
  bool wait_connected(std::chrono::milliseconds deadline);
  /// Stops the informers and the stand-in (the role's own actors are the caller's to stop).
  void shutdown();

 private:
  RemoteHost();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  actors::Context ctx_;
};

}  // namespace kactor::runtime
