#include "actors/kubelet/node_status.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "actors/kubelet/kubelet.hpp"
#include "actors/kubelet/stats.hpp"
#include "api/version.hpp"

namespace kactor::kubelet {

std::string node_address(const KubeletOptions& opts) {
  if (!opts.node_ip.empty()) return opts.node_ip;
  uint32_t n = 0;
  if (opts.node_index >= 0) {
    n = static_cast<uint32_t>(opts.node_index);
  } else {
    // FNV-1a: stable across runs and platforms, unlike std::hash.
    uint32_t h = 2166136261u;
    for (unsigned char ch : opts.node_name) h = (h ^ ch) * 16777619u;
    n = h % (254 * 254);
  }
  // 172.18.0.2, 172.18.0.3, ... (.0, .1 and .255 never used, as on a kind network).
  uint32_t third = (n / 253) % 256;
  uint32_t fourth = n % 253 + 2;
  return "172.18." + std::to_string(third) + "." + std::to_string(fourth);
}

api::ResourceList node_capacity(const KubeletOptions& opts) {
  auto cap = opts.capacity;
  if (!cap.contains("pods"))
    cap["pods"] = api::Quantity::from_value(110, api::Quantity::Format::DecimalSI);
  if (!cap.contains("ephemeral-storage"))
    cap["ephemeral-storage"] =
        api::Quantity::from_value(kDefaultEphemeralStorageBytes, api::Quantity::Format::BinarySI);
  return cap;
}

api::ResourceList node_allocatable(const KubeletOptions& opts,
                                   const std::vector<Threshold>& thresholds) {
  auto capacity = node_capacity(opts);
  auto allocatable = capacity;
  auto subtract = [&](const std::string& name, const api::Quantity& q) {
    auto it = allocatable.find(name);
    if (it == allocatable.end()) return;
    it->second -= q;
    if (it->second.sign() < 0) it->second -= it->second;  // zero, in its format
  };
  for (const auto* reserved : {&opts.kube_reserved, &opts.system_reserved})
    for (const auto& [name, q] : *reserved) subtract(name, q);
  for (const auto& t : thresholds) {
    if (!t.hard()) continue;
    const char* resource = t.signal == Signal::memory_available   ? "memory"
                           : t.signal == Signal::nodefs_available ? "ephemeral-storage"
                                                                  : nullptr;
    if (!resource || !capacity.contains(resource)) continue;
    auto amount = t.value.amount(capacity.at(resource).value());
    subtract(resource, api::Quantity::from_value(amount, api::Quantity::Format::BinarySI));
  }
  return allocatable;
}

void initial_node_spec(api::Node& node, const KubeletOptions& opts) {
  for (const auto& [k, v] : opts.labels) node.metadata.labels[k] = v;
  node.metadata.labels["kubernetes.io/hostname"] = opts.node_name;
  node.metadata.labels["kubernetes.io/os"] = "linux";
  node.metadata.labels["kubernetes.io/arch"] = "amd64";
  node.spec.taints = opts.taints;
}

std::string default_labels_patch(const api::Node& existing, const KubeletOptions& opts) {
  static const char* const kDefaultLabels[] = {
      "kubernetes.io/hostname",
      "topology.kubernetes.io/zone",
      "topology.kubernetes.io/region",
      "failure-domain.beta.kubernetes.io/zone",
      "failure-domain.beta.kubernetes.io/region",
      "node.kubernetes.io/instance-type",
      "beta.kubernetes.io/instance-type",
      "kubernetes.io/os",
      "kubernetes.io/arch",
      "node.kubernetes.io/windows-build",
      "beta.kubernetes.io/os",
      "beta.kubernetes.io/arch",
  };
  api::Node initial;
  initial_node_spec(initial, opts);
  const auto& labels = existing.metadata.labels;
  nlohmann::json changes = nlohmann::json::object();
  for (const char* key : kDefaultLabels) {
    auto want = initial.metadata.labels.find(key);
    if (want == initial.metadata.labels.end()) continue;
    auto have = labels.find(key);
    if (want->second.empty()) {
      if (have != labels.end()) changes[key] = nullptr;
    } else if (have == labels.end() || have->second != want->second) {
      changes[key] = want->second;
    }
  }
  if (changes.empty()) return {};
  return nlohmann::json{{"metadata", {{"labels", changes}}}}.dump();
}

namespace {

void set_condition(std::vector<api::NodeCondition>& out, const api::NodeStatus& old,
                   const std::string& type, const std::string& status, const std::string& reason,
                   const std::string& message, TimePoint now) {
  api::NodeCondition c;
  c.type = type;
  c.status = status;
  c.reason = reason;
  c.message = message;
  c.last_heartbeat_time = api::Time{now};
  const auto* prev = old.condition(type);
  c.last_transition_time =
      prev && prev->status == status ? prev->last_transition_time : api::Time{now};
  out.push_back(std::move(c));
}

}  // namespace

api::NodeStatus build_node_status(const KubeletOptions& opts, const std::string& node_ip,
                                  const std::string& machine_id, const api::NodeStatus& old,
                                  TimePoint now, bool network_ready,
                                  const api::ResourceList& allocatable, NodePressure pressure) {
  api::NodeStatus s;
  s.capacity = node_capacity(opts);
  s.allocatable = allocatable;
  s.addresses = {{"InternalIP", node_ip}};
  if (!opts.external_ip.empty()) s.addresses.push_back({"ExternalIP", opts.external_ip});
  s.addresses.push_back({"Hostname", opts.node_name});
  s.daemon_endpoints.kubelet_endpoint.port = opts.kubelet_port;
  s.node_info.machine_id = machine_id;
  s.node_info.system_uuid = machine_id;
  s.node_info.boot_id = machine_id;
  s.node_info.kernel_version = "6.1.0-kactor";
  s.node_info.os_image = "kactor simulated node";
  s.node_info.container_runtime_version = fmt::format("kactor-sim://{}", kKubernetesVersion);
  s.node_info.kubelet_version = kKubernetesVersion;
  s.node_info.kube_proxy_version = kKubernetesVersion;
  s.node_info.operating_system = "linux";
  s.node_info.architecture = "amd64";
  s.images = old.images;
  // Upstream's reasons and messages (pkg/kubelet/nodestatus/setters.go).
  if (pressure.memory)
    set_condition(s.conditions, old, "MemoryPressure", "True", "KubeletHasInsufficientMemory",
                  "kubelet has insufficient memory available", now);
  else
    set_condition(s.conditions, old, "MemoryPressure", "False", "KubeletHasSufficientMemory",
                  "kubelet has sufficient memory available", now);
  if (pressure.disk)
    set_condition(s.conditions, old, "DiskPressure", "True", "KubeletHasDiskPressure",
                  "kubelet has disk pressure", now);
  else
    set_condition(s.conditions, old, "DiskPressure", "False", "KubeletHasNoDiskPressure",
                  "kubelet has no disk pressure", now);
  if (pressure.pid)
    set_condition(s.conditions, old, "PIDPressure", "True", "KubeletHasInsufficientPID",
                  "kubelet has insufficient PID available", now);
  else
    set_condition(s.conditions, old, "PIDPressure", "False", "KubeletHasSufficientPID",
                  "kubelet has sufficient PID available", now);
  if (network_ready)
    set_condition(s.conditions, old, "Ready", "True", "KubeletReady",
                  "kubelet is posting ready status", now);
  else
    set_condition(s.conditions, old, "Ready", "False", "KubeletNotReady", kNetworkNotReadyMessage,
                  now);
  // Conditions other components set (NetworkUnavailable, ...) stay.
  for (const auto& c : old.conditions)
    if (!s.condition(c.type)) s.conditions.push_back(c);
  return s;
}

api::Lease build_lease(const KubeletOptions& opts, const std::string& node_uid, TimePoint now) {
  api::Lease l;
  l.metadata.namespace_ = kNodeLeaseNamespace;
  l.metadata.name = opts.node_name;
  if (!node_uid.empty()) {
    api::OwnerReference ref;
    ref.api_version = "v1";
    ref.kind = "Node";
    ref.name = opts.node_name;
    ref.uid = node_uid;
    l.metadata.owner_references.push_back(ref);
  }
  l.spec.holder_identity = opts.node_name;
  l.spec.lease_duration_seconds = opts.lease_duration_seconds;
  l.spec.renew_time = api::MicroTime{now};
  return l;
}

std::vector<api::ContainerImage> reported_images(std::vector<api::ContainerImage> images) {
  constexpr size_t kMaxImages = 50;
  std::stable_sort(images.begin(), images.end(),
                   [](const api::ContainerImage& a, const api::ContainerImage& b) {
                     return a.size_bytes > b.size_bytes;
                   });
  if (images.size() > kMaxImages) images.resize(kMaxImages);
  return images;
}

}  // namespace kactor::kubelet
