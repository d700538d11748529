#include "actors/kubelet/request_load.hpp"

#include <algorithm>
#include <regex>

#include "actors/kubelet/image_catalog.hpp"

namespace kactor::kubelet {

namespace {

/// `while sleep S; do (wget|curl) ... scheme://HOST[:PORT]...; done`, anywhere in the text.
const std::regex& loop_pattern() {
  static const std::regex re(
      R"(while\s+sleep\s+([0-9]*\.?[0-9]+)\s*;\s*do\s+(?:wget|curl)\s[^;]*?\bhttps?://([A-Za-z0-9.-]+)(?::[0-9]+)?[^\s;]*[^;]*;\s*done)",
      std::regex::optimize);
  return re;
}

/// HOST as a Service: "name", "name.ns", "name.ns.svc", "name.ns.svc.cluster.local".
std::optional<std::pair<std::string, std::string>> service_of(const std::string& host,
                                                              const std::string& pod_namespace) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    auto dot = host.find('.', start);
    parts.push_back(host.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() == 1) return std::pair{parts[0], pod_namespace};
  if (parts.size() == 2) return std::pair{parts[0], parts[1]};
  if (parts[2] != "svc") return std::nullopt;  // an outside name: no Service of ours
  if (parts.size() == 3 || (parts.size() == 5 && parts[3] == "cluster" && parts[4] == "local"))
    return std::pair{parts[0], parts[1]};
  return std::nullopt;
}

}  // namespace

bool idles_between_requests(const std::string& image) {
  auto ref = normalize_image(image);
  ref = ref.substr(0, ref.find_first_of(":@", ref.rfind('/')));
  return ref == "registry.k8s.io/hpa-example" || ref == "k8s.gcr.io/hpa-example" ||
         ref == "gcr.io/google_containers/hpa-example";
}

std::optional<RequestLoop> request_loop(const api::Container& container,
                                        const std::string& pod_namespace) {
  std::string text;
  for (const auto* list : {&container.command, &container.args})
    for (const auto& word : *list) text += word + " ";
  // Most pods run no loop: skip the pattern for them.
  if (text.find("while") == std::string::npos) return std::nullopt;
  std::smatch m;
  if (!std::regex_search(text, m, loop_pattern())) return std::nullopt;
  const double sleep = std::stod(m[1].str());
  auto service = service_of(m[2].str(), pod_namespace);
  // A loop without a pause (sleep 0) would be bounded by the server's answers, which are
  // not modelled: it is not recognised either.
  if (!service || sleep <= 0) return std::nullopt;
  return RequestLoop{service->first, service->second, 1.0 / sleep};
}

std::vector<RequestLoop> request_loops(const api::Pod& pod) {
  std::vector<RequestLoop> out;
  for (const auto& c : pod.spec.containers)
    if (auto loop = request_loop(c, pod.metadata.namespace_)) out.push_back(std::move(*loop));
  return out;
}

bool sends_requests(const api::Pod& pod) {
  return pod.status.phase == "Running" && !pod.metadata.deletion_timestamp;
}

int serving_container(const api::PodSpec& pod, const std::vector<int32_t>& ports) {
  for (size_t i = 0; i < pod.containers.size(); ++i)
    for (const auto& p : pod.containers[i].ports)
      if (std::find(ports.begin(), ports.end(), p.container_port) != ports.end())
        return static_cast<int>(i);
  return pod.containers.empty() ? -1 : 0;
}

void add_demand(ServedDemand& out, const api::Endpoints& endpoints, double nano_cores) {
  size_t ready = 0;
  for (const auto& s : endpoints.subsets) ready += s.addresses.size();
  if (ready == 0) return;  // nobody answers: the requests fail and cost nothing
  const auto share = static_cast<uint64_t>(nano_cores / static_cast<double>(ready));
  for (const auto& s : endpoints.subsets)
    for (const auto& a : s.addresses) {
      if (!a.target_ref || a.target_ref->kind != "Pod") continue;
      auto& served = out[endpoints.metadata.namespace_ + "/" + a.target_ref->name];
      served.nano_cores += share;
      for (const auto& p : s.ports)
        if (std::find(served.ports.begin(), served.ports.end(), p.port) == served.ports.end())
          served.ports.push_back(p.port);
    }
}

std::vector<std::string> serving_nodes(const api::Endpoints& endpoints) {
  std::vector<std::string> nodes;
  for (const auto& subset : endpoints.subsets)
    for (const auto& address : subset.addresses) {
      // Only an address naming its pod is charged (add_demand); one without a node may
      // name a pod on any node.
      const bool names_pod = address.target_ref && address.target_ref->kind == "Pod";
      if (!address.node_name && !names_pod) continue;
      const std::string& node = address.node_name ? *address.node_name : kAnyServingNode;
      if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) nodes.push_back(node);
    }
  return nodes;
}

}  // namespace kactor::kubelet
