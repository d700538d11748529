// Nodes: NAME STATUS ROLES AGE VERSION; wide: INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
// CONTAINER-RUNTIME.
#include <set>
#include <string>
#include <vector>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/node.hpp"

namespace kactor::http::tables {

namespace {

/// "node-role.kubernetes.io/<role>" labels name roles, as does the older "kubernetes.io/role".
constexpr std::string_view kRoleLabelPrefix = "node-role.kubernetes.io/";
constexpr std::string_view kLegacyRoleLabel = "kubernetes.io/role";

std::string roles(const api::Node& node) {
  std::set<std::string> found;  // sorted and de-duplicated, as upstream's string set
  for (const auto& [key, value] : node.metadata.labels) {
    if (key.starts_with(kRoleLabelPrefix)) {
      if (key.size() > kRoleLabelPrefix.size()) found.insert(key.substr(kRoleLabelPrefix.size()));
    } else if (key == kLegacyRoleLabel && !value.empty()) {
      found.insert(value);
    }
  }
  auto text = join({found.begin(), found.end()}, ",");
  return text.empty() ? "<none>" : text;
}

/// "Ready" / "NotReady" / "Unknown" (no Ready condition), then ",SchedulingDisabled".
std::string node_status(const api::Node& node) {
  std::vector<std::string> parts;
  if (const auto* ready = node.status.condition("Ready"))
    parts.push_back(ready->status == "True" ? "Ready" : "NotReady");
  else
    parts.push_back("Unknown");
  if (node.spec.unschedulable) parts.push_back("SchedulingDisabled");
  return join(parts, ",");
}

std::string first_address(const api::Node& node, std::string_view type) {
  for (const auto& a : node.status.addresses)
    if (a.type == type) return a.address;
  return "<none>";
}

void print_node(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& node = static_cast<const api::Node&>(object);
  const auto& info = node.status.node_info;
  auto or_unknown = [](const std::string& s) { return s.empty() ? std::string("<unknown>") : s; };
  row.cells = {node.metadata.name,
               node_status(node),
               roles(node),
               age(node.metadata.creation_timestamp, now),
               info.kubelet_version,
               first_address(node, "InternalIP"),
               first_address(node, "ExternalIP"),
               or_unknown(info.os_image),
               or_unknown(info.kernel_version),
               or_unknown(info.container_runtime_version)};
}

}  // namespace

Printer node_printer() {
  const char* addresses = "List of addresses reachable to the node.";
  return {{name_column(),
           {"Status", "string", "", "The status of the node"},
           {"Roles", "string", "", "The roles of the node"},
           age_column(),
           {"Version", "string", "", "Kubelet Version reported by the node."},
           {"Internal-IP", "string", "", addresses, 1},
           {"External-IP", "string", "", addresses, 1},
           {"OS-Image", "string", "",
            "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
            "(wheezy)).",
            1},
           {"Kernel-Version", "string", "",
            "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1},
           {"Container-Runtime", "string", "",
            "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
            "containerd://1.4.2).",
            1}},
          &print_node};
}

}  // namespace kactor::http::tables
