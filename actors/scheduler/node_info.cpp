#include "actors/scheduler/node_info.hpp"

#include <algorithm>

namespace kactor::scheduler {

void Resources::add(const Resources& o) {
  milli_cpu += o.milli_cpu;
  memory += o.memory;
  for (auto& [k, v] : o.scalar) scalar[k] += v;
}

void Resources::subtract(const Resources& o) {
  milli_cpu -= o.milli_cpu;
  memory -= o.memory;
  for (auto& [k, v] : o.scalar) scalar[k] -= v;
}

Resources Resources::from_list(const api::ResourceList& list) {
  Resources r;
  for (auto& [name, q] : list) {
    if (name == "cpu")
      r.milli_cpu = q.milli_value();
    else if (name == "memory")
      r.memory = q.value();
    else if (name != "pods")
      r.scalar[name] = q.value();
  }
  return r;
}

namespace {

/// Per resource, the larger of the two (how init containers bound a pod's request).
void max_into(Resources& into, const Resources& o) {
  into.milli_cpu = std::max(into.milli_cpu, o.milli_cpu);
  into.memory = std::max(into.memory, o.memory);
  for (auto& [k, v] : o.scalar) into.scalar[k] = std::max(into.scalar[k], v);
}

/// A container's requests; with `non_zero`, cpu and memory it does not name count as
/// 100m / 200Mi (upstream NonMissingContainerRequests: a request of 0 stays 0).
Resources container_request(const api::Container& c, bool non_zero) {
  auto r = Resources::from_list(c.resources.requests);
  if (non_zero) {
    auto& req = c.resources.requests;
    if (!req.contains("cpu")) r.milli_cpu = kDefaultMilliCpuRequest;
    if (!req.contains("memory")) r.memory = kDefaultMemoryRequest;
  }
  return r;
}

/// Upstream PodRequests (1.32): app containers and sidecars summed; each init container
/// runs beside the sidecars started before it, so the pod needs at least the largest
/// of (init container + earlier sidecars); then the pod overhead.
Resources pod_request(const api::Pod& pod, bool non_zero) {
  Resources sum;
  for (auto& c : pod.spec.containers) sum.add(container_request(c, non_zero));
  Resources sidecars;   // restartable init containers started so far
  Resources init_peak;  // the most any init step needs
  for (auto& c : pod.spec.init_containers) {
    auto r = container_request(c, non_zero);
    if (c.is_sidecar()) {
      sum.add(r);
      sidecars.add(r);
      max_into(init_peak, sidecars);
    } else {
      r.add(sidecars);
      max_into(init_peak, r);
    }
  }
  max_into(sum, init_peak);
  sum.add(Resources::from_list(pod.spec.overhead));
  return sum;
}

}  // namespace

PodResources compute_pod_resources(const api::Pod& pod) {
  PodResources out;
  out.request = pod_request(pod, false);
  out.non_zero = pod_request(pod, true);
  for (auto& c : pod.spec.containers) {
    for (auto& p : c.ports) {
      if (p.host_port <= 0) continue;
      out.ports.push_back({p.host_ip == "0.0.0.0" ? "" : p.host_ip,
                           p.protocol.empty() ? "TCP" : p.protocol, p.host_port});
    }
  }
  return out;
}

const std::string* NodeInfo::label(const std::string& key) const {
  if (!node) return nullptr;
  if (key == kHostnameLabel) return hostname_label;
  if (key == kZoneLabel) return zone_label;
  auto it = node->metadata.labels.find(key);
  return it == node->metadata.labels.end() ? nullptr : &it->second;
}

const std::string& NodeInfo::name() const {
  static const std::string empty;
  return node ? node->metadata.name : empty;
}

void NodeInfo::set_node(std::shared_ptr<const api::Node> n) {
  if (!node || node->status.images != n->status.images) {
    auto sizes = std::make_shared<ImageSizes>();
    for (auto& image : n->status.images)
      for (auto& name : image.names) (*sizes)[name] = image.size_bytes;
    image_sizes = std::move(sizes);
  }
  node = std::move(n);
  auto label_in = [&](std::string_view key) -> const std::string* {
    auto it = node->metadata.labels.find(std::string(key));
    return it == node->metadata.labels.end() ? nullptr : &it->second;
  };
  hostname_label = label_in(kHostnameLabel);
  zone_label = label_in(kZoneLabel);
  unschedulable = node->spec.unschedulable;
  has_schedule_taints = has_prefer_no_schedule_taints = false;
  for (auto& taint : node->spec.taints) {
    if (taint.effect == "NoSchedule" || taint.effect == "NoExecute") has_schedule_taints = true;
    if (taint.effect == "PreferNoSchedule") has_prefer_no_schedule_taints = true;
  }
  allocatable = Resources::from_list(node->status.allocatable);
  auto pods = node->status.allocatable.find("pods");
  allowed_pods = pods == node->status.allocatable.end() ? 0 : pods->second.value();
}

std::shared_ptr<const PodInfo> PodInfo::make(std::shared_ptr<const api::Pod> pod) {
  auto info = std::make_shared<PodInfo>();
  info->resources = compute_pod_resources(*pod);
  if (const auto& a = pod->spec.affinity) {
    const auto& aff = a->pod_affinity;
    const auto& anti = a->pod_anti_affinity;
    bool affinity_terms =
        aff && (!aff->required_during_scheduling_ignored_during_execution.empty() ||
                !aff->preferred_during_scheduling_ignored_during_execution.empty());
    bool anti_required = anti && !anti->required_during_scheduling_ignored_during_execution.empty();
    bool anti_terms =
        anti_required ||
        (anti && !anti->preferred_during_scheduling_ignored_during_execution.empty());
    info->has_affinity = affinity_terms || anti_terms;
    info->has_required_anti_affinity = anti_required;
    if (info->has_affinity)
      info->compiled_affinity =
          std::make_shared<const PodAffinityTerms>(compile_affinity_terms(*pod));
  }
  info->pod = std::move(pod);
  return info;
}

const PodAffinityTerms& PodInfo::affinity_terms() const {
  static const PodAffinityTerms none;
  return compiled_affinity ? *compiled_affinity : none;
}

namespace {

void erase_uid(std::vector<PodInfoPtr>& v, const std::string& uid) {
  auto it = std::find_if(v.begin(), v.end(), [&](const PodInfoPtr& p) { return p->uid() == uid; });
  if (it != v.end()) v.erase(it);
}

}  // namespace

void NodeInfo::add_pod(PodInfoPtr p) {
  const auto& r = p->resources;
  requested.add(r.request);
  non_zero_requested.add(r.non_zero);
  ++pod_count;
  used_ports.insert(used_ports.end(), r.ports.begin(), r.ports.end());
  if (p->has_affinity) pods_with_affinity.push_back(p);
  if (p->has_required_anti_affinity) pods_with_required_anti_affinity.push_back(p);
  pods.push_back(std::move(p));
}

void NodeInfo::remove_pod(const PodInfo& p) {
  auto it = std::find_if(pods.begin(), pods.end(),
                         [&](const PodInfoPtr& q) { return q->uid() == p.uid(); });
  if (it == pods.end()) return;
  const auto& r = (*it)->resources;
  requested.subtract(r.request);
  non_zero_requested.subtract(r.non_zero);
  --pod_count;
  for (auto& hp : r.ports) {
    auto port = std::find(used_ports.begin(), used_ports.end(), hp);
    if (port != used_ports.end()) used_ports.erase(port);
  }
  if ((*it)->has_affinity) erase_uid(pods_with_affinity, p.uid());
  if ((*it)->has_required_anti_affinity) erase_uid(pods_with_required_anti_affinity, p.uid());
  pods.erase(it);
}

const NodeInfo* Snapshot::get(std::string_view name) const {
  auto it = std::lower_bound(nodes.begin(), nodes.end(), name,
                             [](const std::shared_ptr<const NodeInfo>& n, std::string_view want) {
                               return n->name() < want;
                             });
  return it != nodes.end() && (*it)->name() == name ? it->get() : nullptr;
}

const std::map<std::string, std::string>* Snapshot::namespace_labels(
    const std::string& name) const {
  if (!namespaces) return nullptr;
  auto it = namespaces->find(name);
  return it == namespaces->end() ? nullptr : &it->second;
}

int32_t Snapshot::nodes_with_image(const std::string& name) const {
  if (!image_nodes) return 0;
  auto it = image_nodes->find(name);
  return it == image_nodes->end() ? 0 : it->second;
}

}  // namespace kactor::scheduler
