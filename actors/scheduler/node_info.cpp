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

Resources non_zero_of(const api::Container& c) {
  Resources r;
  auto& req = c.resources.requests;
  auto cpu = req.find("cpu");
  auto mem = req.find("memory");
  r.milli_cpu = cpu == req.end() ? kDefaultMilliCpuRequest : cpu->second.milli_value();
  r.memory = mem == req.end() ? kDefaultMemoryRequest : mem->second.value();
  return r;
}

}  // namespace

PodResources compute_pod_resources(const api::Pod& pod) {
  PodResources out;
  for (auto& c : pod.spec.containers) {
    out.request.add(Resources::from_list(c.resources.requests));
    auto nz = non_zero_of(c);
    out.non_zero.add(nz);
    for (auto& p : c.ports) {
      if (p.host_port <= 0) continue;
      out.ports.push_back({p.host_ip == "0.0.0.0" ? "" : p.host_ip,
                           p.protocol.empty() ? "TCP" : p.protocol, p.host_port});
    }
  }
  for (auto& c : pod.spec.init_containers) {
    max_into(out.request, Resources::from_list(c.resources.requests));
    max_into(out.non_zero, non_zero_of(c));
  }
  auto overhead = Resources::from_list(pod.spec.overhead);
  out.request.add(overhead);
  out.non_zero.add(overhead);
  return out;
}

const std::string& NodeInfo::name() const {
  static const std::string empty;
  return node ? node->metadata.name : empty;
}

void NodeInfo::set_node(std::shared_ptr<const api::Node> n) {
  node = std::move(n);
  allocatable = Resources::from_list(node->status.allocatable);
  auto pods = node->status.allocatable.find("pods");
  allowed_pods = pods == node->status.allocatable.end() ? 0 : pods->second.value();
}

void NodeInfo::add_pod(const PodResources& p) {
  requested.add(p.request);
  non_zero_requested.add(p.non_zero);
  ++pod_count;
  used_ports.insert(used_ports.end(), p.ports.begin(), p.ports.end());
}

void NodeInfo::remove_pod(const PodResources& p) {
  requested.subtract(p.request);
  non_zero_requested.subtract(p.non_zero);
  --pod_count;
  for (auto& hp : p.ports) {
    auto it = std::find(used_ports.begin(), used_ports.end(), hp);
    if (it != used_ports.end()) used_ports.erase(it);
  }
}

}  // namespace kactor::scheduler
