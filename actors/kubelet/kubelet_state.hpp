// The kubelet actor's state, and the functions of its phases, one file each (as the API
// server splits its Core): kubelet_actor.cpp wires them to messages; node_lifecycle.cpp
// registers the Node and keeps its Lease and status fresh; pod_sync.cpp turns the pods
// bound to the node into PodWorkers and reports their status; containers.cpp drives
// containers through the runtime (start, exit, restart, termination).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include <caf/stateful_actor.hpp>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/client/informer.hpp"
#include "actors/common/context.hpp"
#include "actors/kubelet/container_runtime.hpp"
#include "actors/kubelet/eviction.hpp"
#include "actors/kubelet/kubelet.hpp"
#include "actors/kubelet/node_status.hpp"
#include "actors/kubelet/pod_ips.hpp"
#include "actors/kubelet/pod_worker.hpp"
#include "actors/kubelet/protocol/pod_logs.hpp"
#include "actors/kubelet/stats.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace spdlog {
class logger;
}

namespace kactor::kubelet {

using PodPtr = std::shared_ptr<const api::Pod>;
using NodePtr = std::shared_ptr<const api::Node>;

// -- per-concern state --------------------------------------------------------------------

/// The Node object this kubelet registered (or took over) and what it reports about it.
struct NodeRecord {
  /// The update or create that registers the Node has been answered.
  bool registered = false;
  NodePtr node;  // the newest version seen
  std::string ip;
  std::string machine_id;
};

/// Keeps the node's Lease renewed: one renewal in flight at a time.
struct LeaseKeeper {
  /// Whether the Lease exists (update it) or must be created.
  bool exists = false;
  bool in_flight = false;
  /// A renewal came due while one was in flight: renew again when it answers (skipping it
  /// would leave a 2-interval gap that a node lifecycle controller could take for silence).
  bool again = false;
  TimePoint next_due{};
};

/// Posts the Node's status: on a period, and at once when the pod network becomes ready;
/// one update in flight at a time, a change meanwhile posts again after it.
struct NodeStatusWriter {
  bool in_flight = false;
  /// A condition (Ready, a pressure) changed while an update was in flight: post again
  /// after it.
  bool dirty = false;
  /// What the last status posted said of the pod network (Ready follows it).
  bool reported_network_ready = false;
  TimePoint next_due{};
};

/// Resource statistics and node-pressure eviction, every housekeeping interval
/// (housekeeping.cpp).
struct Housekeeping {
  std::unique_ptr<StatsCollector> stats;
  std::unique_ptr<EvictionManager> eviction;
  /// Capacity less reservations and hard eviction thresholds, as the node status reports it.
  api::ResourceList allocatable;
  /// The pressure conditions eviction last decided (the node status reports them).
  NodePressure pressure;
  TimePoint next_due{};
  /// The process's shared cache of every Endpoints object, indexed by the nodes of their
  /// ready addresses, and of every pod, indexed by request loop: who sends requests to which
  /// pods here (request_load.hpp). Null when usage.cpu_per_request is zero.
  std::shared_ptr<const client::Cache> endpoints;
  /// Null until this node first serves a Service's ready endpoint: a node process whose
  /// nodes serve none does not watch the cluster's pods (see served_requests()).
  std::shared_ptr<const client::Cache> all_pods;
  client::InformerFactory* informers = nullptr;
};

/// The containers the runtime had when this kubelet started (a predecessor's, if the runtime
/// outlived it), by pod uid, until their pods' workers adopt them; those of pods no longer
/// bound here are stopped once the pods informer delivered its first content.
struct Inventory {
  std::map<std::string, std::vector<ContainerInfo>> by_pod;
  bool swept = false;
};

/// Where a runtime container belongs: (pod uid, index in PodWorker::containers).
struct ContainerSlot {
  std::string pod_uid;
  size_t index = 0;
};

/// A reader following a container's log (kubectl logs -f): sent each line the container
/// writes until it stops, the reader stops it, or its byte limit is reached.
struct LogFollower {
  caf::actor reader;
  std::string pod_uid;
  std::string container_name;
  std::string container_id;
  uint64_t last_seq = 0;  // the newest line sent or skipped
  bool timestamps = false;
  std::optional<int64_t> limit_bytes;  // what is left of it
};

struct State {
  actors::Context ctx;
  KubeletOptions opts;
  std::unique_ptr<client::AsyncClient> client;
  std::unique_ptr<ContainerRuntime> runtime;
  std::unique_ptr<client::EventRecorder> events;
  std::shared_ptr<spdlog::logger> log;

  NodeRecord node;
  LeaseKeeper lease;
  NodeStatusWriter node_status;
  Housekeeping housekeeping;

  client::Informer pods;
  client::Informer nodes;
  PodIpAllocator ips;
  std::map<std::string, PodWorker> workers;  // by pod uid
  Inventory inventory;
  /// Live runtime containers by id.
  std::map<std::string, ContainerSlot> containers;
  /// By follow id (log_serving.cpp).
  std::map<uint64_t, LogFollower> log_followers;
  uint64_t next_follow_id = 1;
};
using Self = caf::stateful_actor<State>;

caf::actor me(Self* self);
Clock& clock_of(Self* self);

// -- node_lifecycle.cpp ---------------------------------------------------------------------

/// Starts the Lease and status heartbeats and registers the Node.
void start_node_lifecycle(Self* self);
/// Registers the Node, or takes over an existing one; retries until it succeeds.
void register_node(Self* self);
/// A newer Node arrived (informer or our own write): adopt its pod CIDR once.
void on_node(Self* self, const NodePtr& node);
void on_lease_tick(Self* self);
void on_status_tick(Self* self);
/// Posts the node status now (after the update in flight, if one is): a condition changed.
void request_node_status(Self* self);

// -- housekeeping.cpp ------------------------------------------------------------------------

/// Sets up statistics and eviction from the options and schedules the first sample.
void start_housekeeping(Self* self);
/// housekeeping_atom: samples resource use as of `due` (a tick handled late samples what
/// was due, so samples stay on their period), reports bad usage annotations, runs one
/// eviction pass (conditions, at most one pod evicted).
void on_housekeeping_tick(Self* self, TimePoint due);
/// kubelet_summary_atom: the last sample.
Summary stats_summary(Self* self);
/// Whether the node refuses a pod that has not run here yet (a pressure condition holds):
/// if so the pod is failed with reason Evicted and a Warning Event, and true is returned.
bool refuse_pod(Self* self, const PodPtr& pod);

// -- pod_sync.cpp ----------------------------------------------------------------------------

/// Pods bound to this node arrived, changed or went (the pods informer's batch; `synced`
/// when it completes the informer's content).
void on_pod_events(Self* self, const std::vector<client::InformerEvent>& events, bool synced);
/// The node got its pod CIDR: pods that waited for an address start now.
void on_pod_network_ready(Self* self);
/// Makes the pod's worker match the pod (creates it, begins its termination).
void sync_pod(Self* self, const PodPtr& pod);
/// Reports the pod's status if it changed (one update in flight per pod).
void push_status(Self* self, const std::string& uid);
/// Every container of a terminating pod has stopped: deletes the pod (grace 0).
void maybe_finish(Self* self, PodWorker& w);
/// pod_sync_atom: report again, finish a deletion that failed before.
void on_pod_sync(Self* self, const std::string& uid);

// -- adoption.cpp ----------------------------------------------------------------------------

/// Lists the runtime's containers into the inventory (when the kubelet starts).
void take_inventory(Self* self);
/// Sets up the worker's containers from the pod's status and the inventory (adopting what
/// the runtime still runs); those to start again are left pending for start_due().
void resume_containers(Self* self, PodWorker& w);
/// Stops and forgets the inventory's containers of pods not bound here (once).
void sweep_inventory(Self* self);

// -- containers.cpp --------------------------------------------------------------------------

/// Starts the containers whose turn it is (init containers one by one, then the app
/// containers), or, once the regular containers are done, stops the sidecars.
void start_due(Self* self, PodWorker& w);
/// Container `index` runs and passed its startup probe: a sidecar lets the next init
/// container start.
void on_container_started(Self* self, PodWorker& w, size_t index);
/// The pod is being deleted: stop its containers within its grace period (sidecars last).
void begin_termination(Self* self, PodWorker& w);
/// Stops the pod's containers within `grace` without deleting it (node-pressure eviction):
/// nothing restarts; it turns terminal with the phase, reason and message the worker says.
void kill_pod(Self* self, PodWorker& w, Duration grace);
/// Asks the containers whose turn came to stop (the pod is stopping).
void stop_due(Self* self, PodWorker& w);
/// Stops and forgets every container of a pod that is gone from the API server.
void drop_containers(Self* self, PodWorker& w);
void on_runtime_event(Self* self, const RuntimeEvent& ev);
/// restart_atom: a container's back-off is over.
void on_restart(Self* self, const std::string& uid, uint64_t index, uint64_t epoch);

// -- probing.cpp -----------------------------------------------------------------------------

/// Container `index` started running: its probes begin (startup first, if it has one).
void start_probing(Self* self, PodWorker& w, size_t index);
/// The same for a container adopted from the runtime, with what its status said: a startup
/// probe it passed is not run again, readiness starts from what was reported.
void resume_probing(Self* self, PodWorker& w, size_t index, bool started, bool ready);
/// probe_tick_atom: the probe of `type` due at `due` (the next one follows a period later).
void on_probe_tick(Self* self, const std::string& uid, uint64_t index, ProbeType type,
                   uint64_t round, TimePoint due);
void on_probe_result(Self* self, const std::string& uid, uint64_t index, ProbeType type,
                     uint64_t round, const ProbeResult& result);

// -- log_serving.cpp ------------------------------------------------------------------------

/// kubelet_logs_atom: the lines asked for; a follower is registered when following.
PodLogChunk serve_log(Self* self, const PodLogRequest& request);
/// A followed container wrote lines: its followers get them.
void on_log_written(Self* self, const std::string& container_id);
/// The container stopped (or its pod went): its followers get its last lines and the end.
void end_log_followers(Self* self, const std::string& container_id);
/// kubelet_log_stop_atom: the reader is gone.
void stop_log_follower(Self* self, uint64_t follow_id);

// -- report.cpp ------------------------------------------------------------------------------

/// The answer to kubelet_state_atom.
KubeletState report(Self* self);

}  // namespace kactor::kubelet
