// The kubelet actor's messages. Others may send it:
//   (kubelet_state_atom) → KubeletState   what it runs; answered after everything sent to it
//                                          before, so the answer is also a synchronisation point
//   (kubelet_crash_atom)                   stop at once, as a crashed machine would
// The rest are its own timers and wake-ups, and the events its runtime reports.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/kubelet/container_runtime.hpp"

namespace kactor::kubelet {

// -- public ---------------------------------------------------------------------------------

/// One container as the kubelet sees it (for tests and diagnostics).
struct ContainerReport {
  std::string name;
  std::string state;   // Waiting, Running, Terminated
  std::string reason;  // ContainerCreating, CrashLoopBackOff, Completed, Error, ...
  std::string container_id;
  int32_t restart_count = 0;
  int32_t exit_code = 0;  // of the last termination
  bool ready = false;
  bool started = false;  // running, and past its startup probe if it has one
  bool operator==(const ContainerReport&) const = default;
};

struct PodReport {
  std::string key;  // namespace/name
  std::string uid;
  std::string resource_version;  // of the newest version of the pod the kubelet has seen
  std::string phase;
  std::string ip;
  bool terminating = false;  // stopping its containers after a deletion request
  std::vector<ContainerReport> init_containers;
  std::vector<ContainerReport> containers;
  bool operator==(const PodReport&) const = default;
};

/// The answer to kubelet_state_atom.
struct KubeletState {
  std::string node_name;
  bool registered = false;
  std::string pod_cidr;
  std::vector<PodReport> pods;             // by key
  std::map<std::string, std::string> ips;  // pod uid -> IP (pod network only)
  int running_containers = 0;              // init (sidecar) and app containers
  int log_followers = 0;                   // readers following a container's log
  bool operator==(const KubeletState&) const = default;
};

/// Ask for the KubeletState (request/response).
using kubelet_state_atom = caf::atom_constant<caf::atom("kl_state")>;
/// Stop at once as a crashed machine would: no more heartbeats, no answers, state gone
/// (the actor ends; containers are not stopped and their pods are left as they are).
using kubelet_crash_atom = caf::atom_constant<caf::atom("kl_crash")>;

// -- private: the kubelet's own timers ----------------------------------------------------

/// Renew the node Lease (every lease_interval).
using lease_tick_atom = caf::atom_constant<caf::atom("kl_lease")>;
/// Post the Node status heartbeat (every node_status_interval).
using status_tick_atom = caf::atom_constant<caf::atom("kl_nstat")>;
/// (housekeeping_atom, due time in ns since the epoch): sample resource use and check the
/// eviction thresholds (every housekeeping_interval); the sample is timed at its due time.
using housekeeping_atom = caf::atom_constant<caf::atom("kl_house")>;
/// Try registering the Node again after a failure.
using register_atom = caf::atom_constant<caf::atom("kl_reg")>;
/// (restart_atom, pod uid, container index, epoch): a container's back-off is over.
using restart_atom = caf::atom_constant<caf::atom("kl_restart")>;
/// (pod_sync_atom, pod uid): report the pod's status again, finish its deletion if due,
/// stop the sidecars whose turn came (the stop deadline passed).
using pod_sync_atom = caf::atom_constant<caf::atom("kl_psync")>;
/// (probe_tick_atom, pod uid, container index, probe type, probe round, due time in ns since
/// the epoch): time to probe.
using probe_tick_atom = caf::atom_constant<caf::atom("kl_probe")>;
/// (probe_result_atom, pod uid, container index, probe type, probe round, success,
/// message): a prober answered later, from another thread.
using probe_result_atom = caf::atom_constant<caf::atom("kl_presult")>;

}  // namespace kactor::kubelet

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::kubelet::KubeletState)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::kubelet::RuntimeEvent)
