// The kubelet: registers its Node, heartbeats (Lease + Ready condition), runs the pods
// bound to it through a ContainerRuntime (simulated by default), assigns pod IPs from
// the node's pod CIDR and reports pod status. One actor per node; what it answers is in
// messages.hpp, how it works in docs/kubelet.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/common/context.hpp"
#include "actors/kubelet/container_runtime.hpp"
#include "actors/kubelet/eviction_config.hpp"
#include "actors/kubelet/messages.hpp"
#include "actors/kubelet/sim_runtime.hpp"
#include "actors/kubelet/usage_model.hpp"
#include "api/quantity/quantity.hpp"
#include "api/types/coordination.hpp"
#include "api/types/node.hpp"

namespace kactor::kubelet {

/// Namespace of the node heartbeat Leases (one home: api/types/coordination.hpp).
inline constexpr const char* kNodeLeaseNamespace = api::kNodeLeaseNamespace;
/// The kubelet's port, published in status.daemonEndpoints.
inline constexpr int32_t kKubeletPort = 10250;

struct KubeletOptions {
  std::string node_name;
  /// cpu, memory, ephemeral-storage, pods (absent: ephemeral-storage 100Gi, pods 110).
  /// Allocatable = capacity − kube_reserved − system_reserved − the hard eviction
  /// thresholds of memory and nodefs (node_status.hpp).
  api::ResourceList capacity;
  /// What the node keeps for the Kubernetes daemons and for the OS (upstream
  /// --kube-reserved, --system-reserved; empty by default).
  api::ResourceList kube_reserved;
  api::ResourceList system_reserved;
  /// Extra labels (upstream's --node-labels); kubernetes.io/hostname, os and arch are always
  /// added. Like taints, they are written only when the kubelet creates its Node; a restarted
  /// kubelet brings only the default labels up to date (default_labels_patch). A
  /// kubernetes.io / k8s.io label that is no kubelet label (api/types/node_labels.hpp) is
  /// refused by validate_kubelet_options; a kubelet spawned with one anyway logs it and leaves
  /// it out.
  std::map<std::string, std::string> labels;
  /// Upstream's --register-with-taints.
  std::vector<api::Taint> taints;
  /// The node's InternalIP; empty: derived from node_index (or a hash of the name).
  std::string node_ip;
  /// An address of the host the node runs on, reachable from the control plane, reported as
  /// the node's ExternalIP: where the API server reaches the kubelet's HTTPS API (its
  /// simulated InternalIP is not routable). `kactor node` sets its --kubelet-address; empty:
  /// none reported (`kactor up`, whose API server reaches its kubelets in process).
  std::string external_ip;
  /// The port of the kubelet's HTTPS API, published in status.daemonEndpoints (the one a
  /// `kactor node` process listens on, which --kubelet-port 0 picks at start).
  int32_t kubelet_port = kKubeletPort;
  /// Position of the node in its cluster, for the derived address (172.18.x.y).
  int node_index = -1;
  /// Lease renewal period.
  Duration lease_interval = std::chrono::seconds(10);
  int32_t lease_duration_seconds = 40;
  /// Node status (Ready heartbeat) period.
  Duration node_status_interval = std::chrono::seconds(10);
  /// How often resource use is sampled (cAdvisor's housekeeping) and the eviction thresholds
  /// checked against it (upstream's eviction monitoring interval).
  Duration housekeeping_interval = std::chrono::seconds(10);
  /// What simulated containers use when their pods do not say (usage_model.hpp).
  UsageModelOptions usage;
  /// Node-pressure eviction (eviction_config.hpp; upstream's defaults). Invalid settings are
  /// refused by validate_kubelet_options; a kubelet spawned with them anyway logs the error
  /// and uses the defaults.
  EvictionOptions eviction;
  /// Retry delay after a failed API call (registration, status).
  Duration retry_delay = std::chrono::seconds(1);
  /// Makes the container runtime when the kubelet starts: the simulated one by default
  /// (its options are the factory's: sim_runtime_factory(SimRuntimeOptions{...})).
  RuntimeFactory runtime = sim_runtime_factory();
};

/// BadRequest naming the field when the options cannot work (eviction thresholds that do
/// not parse, a usage fraction outside [0, 10], labels a kubelet may not set).
api::Result<void> validate_kubelet_options(const KubeletOptions& opts);

/// Spawns the kubelet of `opts.node_name`. It starts registering at once.
caf::actor spawn_kubelet(const actors::Context& ctx, KubeletOptions opts);

}  // namespace kactor::kubelet
