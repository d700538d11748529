// The in-tree plugins (one file each) and the single list that registers them.
#pragma once

#include <memory>
#include <vector>

#include "actors/scheduler/framework.hpp"

namespace kactor::scheduler::plugins {

std::shared_ptr<Plugin> make_node_unschedulable();
std::shared_ptr<Plugin> make_node_name();
std::shared_ptr<Plugin> make_taint_toleration();
std::shared_ptr<Plugin> make_node_affinity();
std::shared_ptr<Plugin> make_node_ports();
std::shared_ptr<Plugin> make_node_resources_fit();
std::shared_ptr<Plugin> make_balanced_allocation();
std::shared_ptr<Plugin> make_default_binder();

/// The default profile, in upstream's MultiPoint order, with upstream's score weights.
std::vector<PluginEntry> default_plugins();

}  // namespace kactor::scheduler::plugins
