// The in-tree plugins: each one's name and reason strings (upstream's Name and
// ErrReason constants) and its factory. Plugins with arguments have a header of their
// own (node_resources_fit.hpp, ...); the registry (registry.hpp) lists them all.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "actors/scheduler/framework.hpp"

namespace kactor::scheduler::plugins {

struct NodeUnschedulable {
  static constexpr std::string_view kName = "NodeUnschedulable";
  static constexpr std::string_view kReason = "node(s) were unschedulable";
};
struct NodeName {
  static constexpr std::string_view kName = "NodeName";
  static constexpr std::string_view kReason = "node(s) didn't match the requested node name";
};
struct TaintToleration {
  static constexpr std::string_view kName = "TaintToleration";
  /// Followed by "{key: value}".
  static constexpr std::string_view kReasonPrefix = "node(s) had untolerated taint ";
};
struct NodeAffinity {
  static constexpr std::string_view kName = "NodeAffinity";
  static constexpr std::string_view kReason = "node(s) didn't match Pod's node affinity/selector";
};
struct NodePorts {
  static constexpr std::string_view kName = "NodePorts";
  static constexpr std::string_view kReason =
      "node(s) didn't have free ports for the requested pod ports";
};
struct DefaultBinder {
  static constexpr std::string_view kName = "DefaultBinder";
};

std::shared_ptr<Plugin> make_node_unschedulable();
std::shared_ptr<Plugin> make_node_name();
std::shared_ptr<Plugin> make_taint_toleration();
std::shared_ptr<Plugin> make_node_affinity();
std::shared_ptr<Plugin> make_node_ports();
std::shared_ptr<Plugin> make_default_binder();

}  // namespace kactor::scheduler::plugins

// The plugins with arguments, so that including this header gives every factory.
#include "actors/scheduler/plugins/balanced_allocation.hpp"   // IWYU pragma: export
#include "actors/scheduler/plugins/image_locality.hpp"        // IWYU pragma: export
#include "actors/scheduler/plugins/node_resources_fit.hpp"    // IWYU pragma: export
#include "actors/scheduler/plugins/registry.hpp"              // IWYU pragma: export
