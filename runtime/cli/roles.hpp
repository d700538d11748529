// The role subcommands of `kactor`: each role of a cluster as its own process, talking to the
// API server over CAF's network layer (docs/multi-host.md). `kactor apiserver` publishes the
// API server; `kactor controller-manager`, `kactor scheduler` and `kactor node` reach it with
// --server host:port. They start the same pieces `kactor up` does (runtime/roles.hpp).
#pragma once

#include <string>

#include "actors/http/serve.hpp"
#include "runtime/cli/leader_election.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/cluster.hpp"

namespace kactor::cli {

/// How a role process reaches the API server (or, for the API server, where it listens).
struct WireFlags {
  /// host:port: --server of a component, --caf-listen of the API server.
  std::string address;
  /// Plaintext on the wire: only with this flag, and only on a loopback address.
  bool insecure = false;
  /// Without --insecure: mutual TLS with the certificates `kactor certs` wrote here (ca.crt and
  /// the role's own pair, docs/multi-host.md "Security").
  std::string pki_dir;
  /// --insecure-allow-any-address: plaintext on a non-loopback address too. For tests only
  /// (the network-namespace test, whose hosts have no shared loopback); logged loudly.
  bool insecure_any_address = false;
  /// --heartbeat-interval, --connection-timeout: how a silent peer is noticed.
  runtime::Heartbeats heartbeats;
};

/// How a component dials kubelets' HTTPS API: the client certificate it presents (upstream's
/// --kubelet-client-certificate / --kubelet-client-key) and the CA it verifies their serving
/// certificates against (--kubelet-certificate-authority; none: not verified, upstream's
/// default).
struct KubeletClientFlags {
  std::string certificate_file;
  std::string key_file;
  std::string certificate_authority_file;
};

/// The kubelet HTTPS API of a `kactor node` process (one listener for all its nodes).
struct KubeletApiFlags {
  /// --kubelet-address: listened on and reported as each node's ExternalIP (where the API
  /// server reaches it), so not a wildcard. 127.0.0.1 by default: the other roles reach the
  /// API server over plaintext CAF on loopback only so far, so the control plane is on this
  /// host; and a non-loopback listener is refused without --client-ca-file.
  std::string address = "127.0.0.1";
  /// --kubelet-port; 0: any (printed in the ready line).
  uint16_t port = 10250;
  std::string tls_cert_file;
  std::string tls_private_key_file;
  std::string client_ca_file;
};

/// `kactor apiserver`: the store, the API server and the HTTP API as `kactor up` has them;
/// the API server published for the other roles at `wire.address`; kubelets (`kactor node`)
/// reached over their HTTPS API, with <data-dir>/pki's apiserver-kubelet-client certificate
/// unless `kubelet_client` names another; and a metrics server of its own behind
/// metrics.k8s.io. Runs until SIGINT/SIGTERM.
int run_apiserver(ClusterOptions options, const std::string& data_dir, bool in_memory,
                  http::ServeOptions serve, const WireFlags& wire,
                  const KubeletClientFlags& kubelet_client);

/// `kactor controller-manager --server host:port`: the metrics server and the controllers.
/// `sa_key_file`: the service-account signing key (the API server's <data-dir>/pki/sa.key) for
/// legacy token Secrets; `root_ca_file`: the cluster CA published as kube-root-ca.crt.
/// `kubelet_client`: what its metrics server presents to the kubelets' HTTPS API (none: it
/// connects without a client certificate, which kubelets with --client-ca-file refuse). With
/// leader election (the default) they start once it holds kube-system/kube-controller-manager.
int run_controller_manager(ClusterOptions options, const WireFlags& wire,
                           const std::string& sa_key_file, const std::string& root_ca_file,
                           const KubeletClientFlags& kubelet_client,
                           const LeaderElectionFlags& election);

/// `kactor scheduler --server host:port`; with leader election (the default) the scheduler
/// starts once it holds kube-system/kube-scheduler.
int run_scheduler(ClusterOptions options, const WireFlags& wire,
                  const LeaderElectionFlags& election);

/// `kactor node --server host:port --count N --name-prefix P`: N simulated nodes (kubelet +
/// kube-proxy each) named P0..P(N-1), as Kubemark's hollow nodes, and their kubelet HTTPS API.
int run_node(ClusterOptions options, const WireFlags& wire, size_t count,
             const std::string& name_prefix, const KubeletApiFlags& kubelet_api);

}  // namespace kactor::cli
