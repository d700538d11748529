// Node: type information, selectable fields.
#include "api/types/node.hpp"

#include "api/defaults/node_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/validation/node_validation.hpp"

namespace kactor::api {

const NodeCondition* NodeStatus::condition(std::string_view type) const {
  for (const auto& c : conditions)
    if (c.type == type) return &c;
  return nullptr;
}

std::optional<std::string> field_value(const Node& n, std::string_view field) {
  if (field == "spec.unschedulable") return n.spec.unschedulable ? "true" : "false";
  return std::nullopt;
}

const TypeInfo& Node::static_type() {
  static const TypeInfo info = make_type_info<Node>({
      .group = "",
      .version = "v1",
      .kind = "Node",
      .resource = "nodes",
      .singular = "node",
      .namespaced = false,
      .short_names = {"no"},
      .selectable_fields = {"spec.unschedulable"},
  });
  return info;
}

}  // namespace kactor::api
