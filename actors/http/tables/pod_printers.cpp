// Pods: NAME READY STATUS RESTARTS AGE; wide: IP NODE NOMINATED NODE READINESS GATES.
// The STATUS and RESTARTS cells follow upstream's printPod step by step.
#include <map>
#include <string>

#include <fmt/format.h>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/pod.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::http::tables {

namespace {

/// The reason the node lifecycle controller gives the pods of an unreachable node.
constexpr const char* kNodeLostReason = "NodeLost";

bool condition_true(const api::PodStatus& status, std::string_view type) {
  const auto* c = status.condition(type);
  return c && c->status == "True";
}

/// What RESTARTS counts: the total and the latest time a counted container last ended.
struct Restarts {
  int64_t count = 0;
  TimePoint last{};

  void add(const api::ContainerStatus& s) {
    count += s.restart_count;
    if (s.last_state.terminated && s.last_state.terminated->finished_at.value > last)
      last = s.last_state.terminated->finished_at.value;
  }
};

/// The STATUS reason of a terminated container without a reason of its own.
std::string exit_reason(const api::ContainerStateTerminated& t, const char* prefix) {
  return t.signal != 0 ? fmt::format("{}Signal:{}", prefix, t.signal)
                       : fmt::format("{}ExitCode:{}", prefix, t.exit_code);
}

void print_pod(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& pod = static_cast<const api::Pod&>(object);
  const auto& spec = pod.spec;
  const auto& status = pod.status;

  std::string reason = status.reason.empty() ? status.phase : status.reason;
  for (const auto& c : status.conditions)
    if (c.type == "PodScheduled" && c.reason == "SchedulingGated") reason = "SchedulingGated";

  if (status.phase == "Succeeded")
    row.conditions = {{{"type", "Completed"},
                       {"status", "True"},
                       {"reason", "Succeeded"},
                       {"message", "The pod has completed successfully."}}};
  else if (status.phase == "Failed")
    row.conditions = {{{"type", "Completed"},
                       {"status", "True"},
                       {"reason", "Failed"},
                       {"message", "The pod failed."}}};

  // Sidecars (restartable init containers) count as containers of the pod.
  std::map<std::string, const api::Container*> init_containers;
  int64_t total = static_cast<int64_t>(spec.containers.size());
  for (const auto& c : spec.init_containers) {
    init_containers[c.name] = &c;
    if (c.is_sidecar()) ++total;
  }
  auto is_sidecar = [&](const std::string& name) {
    auto it = init_containers.find(name);
    return it != init_containers.end() && it->second->is_sidecar();
  };

  int64_t ready = 0;
  Restarts all;       // every container, while the pod initializes
  Restarts sidecars;  // the sidecars only, which go on counting once it has
  bool initializing = false;
  for (size_t i = 0; i < status.init_container_statuses.size(); ++i) {
    const auto& c = status.init_container_statuses[i];
    all.add(c);
    if (is_sidecar(c.name)) sidecars.add(c);
    const auto& terminated = c.state.terminated;
    const auto& waiting = c.state.waiting;
    if (terminated && terminated->exit_code == 0) continue;  // completed
    if (is_sidecar(c.name) && c.started.value_or(false)) {
      if (c.ready) ++ready;
      continue;
    }
    if (terminated) {
      reason = terminated->reason.empty() ? exit_reason(*terminated, "Init:")
                                          : "Init:" + terminated->reason;
    } else if (waiting && !waiting->reason.empty() && waiting->reason != "PodInitializing") {
      reason = "Init:" + waiting->reason;
    } else {
      reason = fmt::format("Init:{}/{}", i, spec.init_containers.size());
    }
    initializing = true;
    break;  // the first init container that has not completed decides
  }

  Restarts restarts = all;
  if (!initializing || condition_true(status, "Initialized")) {
    restarts = sidecars;
    bool has_running = false;
    // From the last to the first, so the first container's reason wins.
    for (auto it = status.container_statuses.rbegin(); it != status.container_statuses.rend();
         ++it) {
      const auto& c = *it;
      restarts.add(c);
      if (c.state.waiting && !c.state.waiting->reason.empty()) {
        reason = c.state.waiting->reason;
      } else if (c.state.terminated && !c.state.terminated->reason.empty()) {
        reason = c.state.terminated->reason;
      } else if (c.state.terminated) {
        reason = exit_reason(*c.state.terminated, "");
      } else if (c.ready && c.state.running) {
        has_running = true;
        ++ready;
      }
    }
    // A container still running keeps a pod whose other containers completed "Running".
    if (reason == "Completed" && has_running)
      reason = condition_true(status, "Ready") ? "Running" : "NotReady";
  }

  if (pod.metadata.deletion_timestamp && status.reason == kNodeLostReason)
    reason = "Unknown";
  else if (pod.metadata.deletion_timestamp && !api::is_terminal_phase(status.phase))
    reason = "Terminating";

  std::string restarts_cell = std::to_string(restarts.count);
  if (restarts.count != 0 && restarts.last.time_since_epoch().count() != 0)
    restarts_cell += " (" + human_duration(now - restarts.last) + " ago)";

  std::string ip = status.pod_ips.empty() ? status.pod_ip : status.pod_ips.front().ip;
  std::string readiness_gates = "<none>";
  if (!spec.readiness_gates.empty()) {
    int true_gates = 0;
    for (const auto& gate : spec.readiness_gates)
      if (condition_true(status, gate.condition_type)) ++true_gates;
    readiness_gates = fmt::format("{}/{}", true_gates, spec.readiness_gates.size());
  }
  auto or_none = [](const std::string& s) { return s.empty() ? std::string("<none>") : s; };

  row.cells = {pod.metadata.name,       fmt::format("{}/{}", ready, total),        reason,
               restarts_cell,           age(pod.metadata.creation_timestamp, now), or_none(ip),
               or_none(spec.node_name), or_none(status.nominated_node_name),       readiness_gates};
}

}  // namespace

Printer pod_printer() {
  return {
      {name_column(),
       {"Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic."},
       {"Status", "string", "", "The aggregate status of the containers in this pod."},
       {"Restarts", "string", "",
        "The number of times the containers in this pod have been restarted and when the "
        "last container in this pod has restarted."},
       age_column(),
       {"IP", "string", "",
        "IP address allocated to the pod. Routable at least within the "
        "cluster. Empty if not yet allocated.",
        1},
       {"Node", "string", "", "NodeName indicates in which node this pod is scheduled.", 1},
       {"Nominated Node", "string", "",
        "nominatedNodeName is set only when this pod preempts other pods on the node, but it "
        "cannot be scheduled right away as preemption victims receive their graceful "
        "termination periods.",
        1},
       {"Readiness Gates", "string", "",
        "If specified, all readiness gates will be evaluated for pod readiness.", 1}},
      &print_pod};
}

}  // namespace kactor::http::tables
