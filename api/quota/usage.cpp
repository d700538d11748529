#include "api/quota/usage.hpp"

#include <map>
#include <string_view>

#include "api/types/pod_util.hpp"
#include "api/types/service.hpp"
#include "api/types/storage.hpp"
#include "api/validation/resource_validation.hpp"

namespace kactor::api::quota {
namespace {

constexpr std::string_view kRequests = "requests.";
constexpr std::string_view kLimits = "limits.";
constexpr std::string_view kStorageClassSuffix = ".storageclass.storage.k8s.io/";

Quantity one() { return Quantity::from_value(1, Quantity::Format::DecimalSI); }
Quantity count(int64_t n) { return Quantity::from_value(n, Quantity::Format::DecimalSI); }

/// Not native (has a domain outside kubernetes.io/) and not itself "requests.*"
/// (upstream IsExtendedResourceName).
bool is_extended(std::string_view name) {
  return !validation::is_native_resource(name) && !name.starts_with(kRequests);
}

/// The pod resources quota knows by name (upstream podResources).
bool is_pod_resource(std::string_view r) {
  static constexpr std::string_view kNames[] = {
      "pods",           "count/pods",      "cpu",
      "memory",         "ephemeral-storage", "requests.cpu",
      "requests.memory", "requests.ephemeral-storage", "limits.cpu",
      "limits.memory",  "limits.ephemeral-storage"};
  for (auto n : kNames)
    if (n == r) return true;
  return r.starts_with("hugepages-") || r.starts_with("requests.hugepages-") ||
         (r.starts_with(kRequests) && is_extended(r.substr(kRequests.size())));
}

/// The resources upstream's Constraints insists every container declares.
bool is_constrained(std::string_view r) {
  return r == "cpu" || r == "memory" || r == "requests.cpu" || r == "requests.memory" ||
         r == "limits.cpu" || r == "limits.memory";
}

/// The legacy plain names of object counts (upstream's legacy object count evaluators).
std::string_view legacy_count_name(const TypeInfo& type) {
  if (!type.group.empty()) return {};
  const std::string& r = type.resource;
  if (r == "secrets" || r == "configmaps" || r == "replicationcontrollers" ||
      r == "resourcequotas")
    return r;
  return {};
}

void max_into(ResourceList& into, const ResourceList& other) {
  for (const auto& [name, q] : other) {
    auto [it, fresh] = into.try_emplace(name, q);
    if (!fresh && q > it->second) it->second = q;
  }
}

using Side = ResourceList ResourceRequirements::*;

ResourceList pod_resources(const PodSpec& spec, Side side) {
  ResourceList sum;
  for (const auto& c : spec.containers) sum = add(sum, c.resources.*side);
  // Sidecars run beside everything after them; a classic init container runs alone
  // beside the sidecars started before it.
  ResourceList sidecars, init_peak;
  for (const auto& c : spec.init_containers) {
    if (c.is_sidecar()) {
      sidecars = add(sidecars, c.resources.*side);
      max_into(init_peak, sidecars);
    } else {
      max_into(init_peak, add(c.resources.*side, sidecars));
    }
  }
  sum = add(sum, sidecars);
  max_into(sum, init_peak);
  // Overhead counts only where the pod declares the resource at all (upstream: limits
  // gain overhead only for resources with a limit).
  for (const auto& [name, q] : spec.overhead) {
    if (side == &ResourceRequirements::limits && !sum.contains(name)) continue;
    auto [it, fresh] = sum.try_emplace(name, q);
    if (!fresh) it->second += q;
  }
  return sum;
}

/// upstream podComputeUsageHelper: the quota names of a set of requests and limits.
ResourceList compute_usage(const ResourceList& requests, const ResourceList& limits) {
  ResourceList out;
  out["pods"] = one();
  out["count/pods"] = one();
  for (std::string r : {"cpu", "memory", "ephemeral-storage"}) {
    if (auto it = requests.find(r); it != requests.end()) {
      out[r] = it->second;
      out["requests." + r] = it->second;
    }
    if (auto it = limits.find(r); it != limits.end()) out["limits." + r] = it->second;
  }
  for (const auto& [name, q] : requests) {
    if (name.starts_with("hugepages-")) {
      out[name] = q;
      out["requests." + name] = q;
    }
    if (is_extended(name)) out["requests." + name] = q;
  }
  return out;
}

ResourceList pod_usage(const Pod& pod, TimePoint now) {
  if (!pod_counts(pod, now)) return {};
  return compute_usage(pod_requests(pod.spec), pod_limits(pod.spec));
}

ResourceList service_usage(const Service& svc) {
  ResourceList out;
  out["services"] = one();
  out["count/services"] = one();
  out["services.loadbalancers"] = count(0);
  out["services.nodeports"] = count(0);
  const auto ports = static_cast<int64_t>(svc.spec.ports.size());
  if (svc.spec.type == "NodePort") {
    out["services.nodeports"] = count(ports);
  } else if (svc.spec.type == "LoadBalancer") {
    // With allocateLoadBalancerNodePorts false only explicitly requested node ports count:
    // judge the intent, as the ports may not be allocated yet.
    int64_t node_ports = ports;
    if (svc.spec.allocate_load_balancer_node_ports == false) {
      node_ports = 0;
      for (const auto& p : svc.spec.ports)
        if (p.node_port != 0) ++node_ports;
    }
    out["services.nodeports"] = count(node_ports);
    out["services.loadbalancers"] = one();
  }
  return out;
}

ResourceList claim_usage(const PersistentVolumeClaim& pvc) {
  ResourceList out;
  out["persistentvolumeclaims"] = one();
  out["count/persistentvolumeclaims"] = one();
  const std::string cls = pvc.spec.storage_class_name.value_or("");
  if (!cls.empty())
    out[cls + std::string(kStorageClassSuffix) + "persistentvolumeclaims"] = one();
  const auto& requests = pvc.spec.resources.requests;
  if (auto it = requests.find("storage"); it != requests.end()) {
    out["requests.storage"] = it->second;
    if (!cls.empty()) out[cls + std::string(kStorageClassSuffix) + "requests.storage"] = it->second;
  }
  return out;
}

bool is_claim_resource(std::string_view r) {
  if (r == "persistentvolumeclaims" || r == "requests.storage") return true;
  auto at = r.find(kStorageClassSuffix);
  if (at == std::string_view::npos) return false;
  auto rest = r.substr(at + kStorageClassSuffix.size());
  return rest == "persistentvolumeclaims" || rest == "requests.storage";
}

bool uses_cross_namespace_affinity(const Pod& pod) {
  const auto& a = pod.spec.affinity;
  if (!a) return false;
  auto crosses = [](const PodAffinityTerm& t) {
    return !t.namespaces.empty() || t.namespace_selector.has_value();
  };
  auto any = [&](const auto& affinity) {
    if (!affinity) return false;
    for (const auto& t : affinity->required_during_scheduling_ignored_during_execution)
      if (crosses(t)) return true;
    for (const auto& w : affinity->preferred_during_scheduling_ignored_during_execution)
      if (crosses(w.pod_affinity_term)) return true;
    return false;
  };
  return any(a->pod_affinity) || any(a->pod_anti_affinity);
}

bool pod_matches(const Pod& pod, const ScopedResourceSelectorRequirement& s) {
  const std::string& scope = s.scope_name;
  if (scope == "Terminating")
    return pod.spec.active_deadline_seconds && *pod.spec.active_deadline_seconds >= 0;
  if (scope == "NotTerminating")
    return !pod.spec.active_deadline_seconds || *pod.spec.active_deadline_seconds < 0;
  if (scope == "BestEffort") return qos_class(pod.spec) == "BestEffort";
  if (scope == "NotBestEffort") return qos_class(pod.spec) != "BestEffort";
  if (scope == "CrossNamespacePodAffinity") return uses_cross_namespace_affinity(pod);
  if (scope == "PriorityClass") {
    // As a label selector on {PriorityClass: <the pod's class name>}: the key is always
    // present, so DoesNotExist never matches and Exists asks for a non-empty name.
    const std::string& cls = pod.spec.priority_class_name;
    if (s.operator_ == "Exists") return !cls.empty();
    bool listed = false;
    for (const auto& v : s.values) listed = listed || v == cls;
    if (s.operator_ == "In") return listed;
    if (s.operator_ == "NotIn") return !listed;
    return false;
  }
  return false;
}

}  // namespace

std::string object_count_name(const TypeInfo& type) {
  std::string name = "count/" + type.resource;
  if (!type.group.empty()) name += "." + type.group;
  return name;
}

ResourceNames matching_resources(const TypeInfo& type, const ResourceNames& hard) {
  ResourceNames out;
  const std::string counted = object_count_name(type);
  const std::string_view legacy = legacy_count_name(type);
  const bool pods = &type == &Pod::static_type();
  const bool services = &type == &Service::static_type();
  const bool claims = &type == &PersistentVolumeClaim::static_type();
  for (const auto& r : hard) {
    bool match = r == counted || (!legacy.empty() && r == legacy);
    if (pods) match = match || is_pod_resource(r);
    if (services)
      match = match || r == "services" || r == "services.loadbalancers" ||
              r == "services.nodeports";
    if (claims) match = match || is_claim_resource(r);
    if (match) out.insert(r);
  }
  return out;
}

ResourceList usage(const Object& object, TimePoint now) {
  if (const auto* pod = as<Pod>(object)) return pod_usage(*pod, now);
  if (const auto* svc = as<Service>(object)) return service_usage(*svc);
  if (const auto* pvc = as<PersistentVolumeClaim>(object)) return claim_usage(*pvc);
  ResourceList out;
  out[object_count_name(object.type())] = one();
  if (auto legacy = legacy_count_name(object.type()); !legacy.empty())
    out[std::string(legacy)] = one();
  return out;
}

bool pod_counts(const Pod& pod, TimePoint now) {
  if (is_terminal(pod)) return false;
  const auto& m = pod.metadata;
  if (m.deletion_timestamp && m.deletion_grace_period_seconds &&
      now > m.deletion_timestamp->value + std::chrono::seconds(*m.deletion_grace_period_seconds))
    return false;
  return true;
}

ResourceList pod_requests(const PodSpec& spec) {
  return pod_resources(spec, &ResourceRequirements::requests);
}

ResourceList pod_limits(const PodSpec& spec) {
  return pod_resources(spec, &ResourceRequirements::limits);
}

bool matches_scopes(const ResourceQuota& quota, const Object& object) {
  const auto* pod = as<Pod>(object);
  auto check = [&](const ScopedResourceSelectorRequirement& s) {
    return pod && pod_matches(*pod, s);
  };
  for (const auto& scope : quota.spec.scopes)
    if (!check({scope, "Exists", {}})) return false;
  if (quota.spec.scope_selector)
    for (const auto& s : quota.spec.scope_selector->match_expressions)
      if (!check(s)) return false;
  return true;
}

std::string unmet_constraints(const Object& object, const ResourceNames& required) {
  const auto* pod = as<Pod>(object);
  if (!pod) return {};
  ResourceNames wanted;
  for (const auto& r : required)
    if (is_constrained(r)) wanted.insert(r);
  if (wanted.empty()) return {};
  std::map<std::string, ResourceNames> missing;  // resource -> containers
  auto check = [&](const Container& c) {
    auto declared = compute_usage(c.resources.requests, c.resources.limits);
    for (const auto& r : wanted)
      if (!declared.contains(r)) missing[r].insert(c.name);
  };
  for (const auto& c : pod->spec.containers) check(c);
  for (const auto& c : pod->spec.init_containers) check(c);
  std::string out;
  for (const auto& [resource, containers] : missing) {
    out += out.empty() ? "must specify " : "; ";
    out += resource + " for: " + pretty(containers);
  }
  return out;
}

}  // namespace kactor::api::quota
