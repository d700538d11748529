// Pod create and update validation (upstream ValidatePodCreate / ValidatePodUpdate).
#include "api/validation/pod_validation.hpp"

#include <algorithm>
#include <limits>

#include "api/validation/object_meta_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

constexpr std::string_view kPodUpdateForbidden =
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
    "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set "
    "to 1 if it was previously negative)";

/// Containers may only change their image; their count is fixed.
bool validate_container_updates(const std::vector<Container>& now,
                                const std::vector<Container>& old, const std::string& path,
                                Causes& causes) {
  if (now.size() != old.size()) {
    causes.push_back(field_forbidden(path, "pod updates may not add or remove containers"));
    return false;
  }
  for (size_t i = 0; i < now.size(); ++i)
    if (now[i].image.empty()) causes.push_back(field_required(child(index(path, i), "image")));
  return true;
}

/// Scheduling gates may be removed (that is how a pod is released for scheduling), never added.
bool validate_only_deleted_scheduling_gates(const std::vector<PodSchedulingGate>& now,
                                            const std::vector<PodSchedulingGate>& old,
                                            const std::string& path, Causes& causes) {
  bool ok = true;
  for (size_t i = 0; i < now.size(); ++i) {
    bool existed = std::any_of(old.begin(), old.end(),
                               [&](const PodSchedulingGate& g) { return g.name == now[i].name; });
    if (existed) continue;
    causes.push_back(field_forbidden(
        child(index(path, i), "name"),
        "only deletion is allowed, but found new scheduling gate '" + now[i].name + "'"));
    ok = false;
  }
  return ok;
}

/// Existing tolerations stay (their tolerationSeconds may change); new ones may be added.
void validate_only_added_tolerations(const std::vector<Toleration>& now,
                                     const std::vector<Toleration>& old, const std::string& path,
                                     Causes& causes) {
  for (const auto& o : old) {
    bool found = false;
    for (const auto& n : now) {
      Toleration clone = o;
      clone.toleration_seconds = n.toleration_seconds;
      if (clone == n) {
        found = true;
        break;
      }
    }
    if (!found) {
      causes.push_back(field_forbidden(
          path, "existing toleration can not be modified except its tolerationSeconds"));
      return;
    }
  }
}

void validate_pod_update(const Pod& pod, const Pod& old, Causes& causes) {
  validate_object_meta_update(pod.metadata, old.metadata, "metadata", causes);
  validate_pod_spec(pod.spec, "spec", causes);

  if (!validate_container_updates(pod.spec.containers, old.spec.containers, "spec.containers",
                                  causes) ||
      !validate_container_updates(pod.spec.init_containers, old.spec.init_containers,
                                  "spec.initContainers", causes))
    return;
  validate_only_added_tolerations(pod.spec.tolerations, old.spec.tolerations, "spec.tolerations",
                                  causes);
  validate_only_deleted_scheduling_gates(pod.spec.scheduling_gates, old.spec.scheduling_gates,
                                         "spec.schedulingGates", causes);

  if (pod.spec.active_deadline_seconds) {
    int64_t v = *pod.spec.active_deadline_seconds;
    if (v < 0 || v > std::numeric_limits<int32_t>::max()) {
      causes.push_back(field_invalid("spec.activeDeadlineSeconds", std::to_string(v),
                                     "must be between 0 and 2147483647, inclusive"));
      return;
    }
    if (old.spec.active_deadline_seconds && *old.spec.active_deadline_seconds < v) {
      causes.push_back(field_invalid("spec.activeDeadlineSeconds", std::to_string(v),
                                     "must be less than or equal to previous value"));
      return;
    }
  } else if (old.spec.active_deadline_seconds) {
    causes.push_back(field_invalid("spec.activeDeadlineSeconds", "null",
                                   "must not update from a positive integer to nil value"));
  }

  // Compare everything else: munge the mutable fields of the new spec back to the old values.
  PodSpec munged = pod.spec;
  for (size_t i = 0; i < munged.containers.size(); ++i)
    munged.containers[i].image = old.spec.containers[i].image;
  for (size_t i = 0; i < munged.init_containers.size(); ++i)
    munged.init_containers[i].image = old.spec.init_containers[i].image;
  munged.active_deadline_seconds = old.spec.active_deadline_seconds;
  munged.tolerations = old.spec.tolerations;
  munged.scheduling_gates = old.spec.scheduling_gates;
  if (old.spec.termination_grace_period_seconds && *old.spec.termination_grace_period_seconds < 0 &&
      munged.termination_grace_period_seconds && *munged.termination_grace_period_seconds == 1)
    munged.termination_grace_period_seconds = old.spec.termination_grace_period_seconds;
  if (!(munged == old.spec))
    causes.push_back(field_forbidden("spec", std::string(kPodUpdateForbidden)));
}

/// A container that terminated stays terminated unless the pod restarts it (upstream's
/// ValidateContainerStateTransition): under Never, or under OnFailure after a clean exit.
/// Causes are indexed by the old status, as upstream's. Containers named in `restarted`
/// (sidecars: init containers that restart on their own) are exempt.
void validate_container_state_transitions(const std::vector<ContainerStatus>& now,
                                          const std::vector<ContainerStatus>& old,
                                          const std::string& restart_policy,
                                          const std::vector<std::string>& restarted,
                                          const std::string& path, Causes& causes) {
  if (restart_policy != "Never" && restart_policy != "OnFailure") return;
  for (size_t i = 0; i < old.size(); ++i) {
    const auto& o = old[i];
    if (!o.state.terminated) continue;
    if (restart_policy == "OnFailure" && o.state.terminated->exit_code != 0) continue;
    if (std::find(restarted.begin(), restarted.end(), o.name) != restarted.end()) continue;
    for (const auto& n : now)
      if (n.name == o.name && !n.state.terminated)
        causes.push_back(
            field_forbidden(index(path, i), "may not be transitioned to non-terminated state"));
  }
}

/// Every pod IP is an IP, and two only as a dual-stack pair (upstream's validatePodIPs). The
/// single field is authoritative where it is set and differs from the list's first entry,
/// as upstream's conversion makes it (the list is then that one IP).
void validate_status_ips(const std::string& single, const std::vector<PodIP>& list,
                         const std::string& path, Causes& causes) {
  std::vector<std::string> ips;
  if (!single.empty() && (list.empty() || list[0].ip != single))
    ips.push_back(single);
  else
    for (const auto& p : list) ips.push_back(p.ip);
  for (size_t i = 0; i < ips.size(); ++i)
    if (!is_valid_ip(ips[i]))
      causes.push_back(field_invalid(index(path, i), go_quote(ips[i]), invalid_ip_message()));
  if (ips.size() > 1) {
    // An IPv4-mapped IPv6 address counts as IPv4, as upstream's family check has it.
    auto is_v6 = [](const std::string& ip) {
      return ip.find(':') != std::string::npos && ip.find('.') == std::string::npos;
    };
    if (ips.size() > 2 || is_v6(ips[0]) == is_v6(ips[1]))
      causes.push_back(field_invalid(path, go_strings(ips),
                                     "may specify no more than one IP for each IP family"));
  }
}

}  // namespace

void validate_status_update(const Pod& pod, const Pod& old, std::vector<StatusCause>& causes) {
  validate_object_meta_update(pod.metadata, old.metadata, "metadata", causes);
  const auto& status = pod.status;
  for (size_t i = 0; i < status.conditions.size(); ++i) {
    const auto& type = status.conditions[i].type;
    // The conditions the system sets need no qualified name; any other type does. The
    // path is upstream's: it checks them under "metadata".
    if (type == "PodScheduled" || type == "Ready" || type == "Initialized") continue;
    validate_qualified_name(type, child(index("metadata.conditions", i), "Type"), causes);
  }
  if (!status.nominated_node_name.empty() &&
      status.nominated_node_name != old.status.nominated_node_name)
    add_invalid(causes, "status.nominatedNodeName", go_quote(status.nominated_node_name),
                name_is_dns_subdomain(status.nominated_node_name, false));
  validate_container_state_transitions(status.container_statuses, old.status.container_statuses,
                                       old.spec.restart_policy, {}, "status.containerStatuses",
                                       causes);
  std::vector<std::string> sidecars;
  for (const auto& c : old.spec.init_containers)
    if (c.is_sidecar()) sidecars.push_back(c.name);
  validate_container_state_transitions(status.init_container_statuses,
                                       old.status.init_container_statuses, old.spec.restart_policy,
                                       sidecars, "status.initContainerStatuses", causes);
  validate_status_ips(status.pod_ip, status.pod_ips, "status.podIPs", causes);
  validate_status_ips(status.host_ip, {}, "status.hostIPs", causes);
}

void validate(const Pod& pod, const Pod* old, std::vector<StatusCause>& causes) {
  if (old) {
    validate_pod_update(pod, *old, causes);
    return;
  }
  validate_object_meta(pod.metadata, true, name_is_dns_subdomain, "metadata", causes);
  validate_pod_spec(pod.spec, "spec", causes);
  // Ephemeral containers join a running pod through their own subresource, never on create.
  if (!pod.spec.ephemeral_containers.empty())
    causes.push_back(field_forbidden("spec.ephemeralContainers", "cannot be set on create"));
}

}  // namespace kactor::api
