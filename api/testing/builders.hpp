// Builders of API objects for tests, examples and benchmarks: the common shapes in one
// place, so that a test states only what matters to it.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "api/quantity/quantity.hpp"
#include "api/types/config.hpp"
#include "api/types/namespace.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"
#include "api/types/service.hpp"
#include "api/types/workloads.hpp"

namespace kactor::api::testing {

using Labels = std::map<std::string, std::string>;

/// A quantity from its text; the text must parse (a test's typo fails loudly).
Quantity qty(std::string_view text);

/// A pod with one container "app" running "nginx:1.25".
Pod make_pod(const std::string& ns, const std::string& name, Labels labels = {});

/// make_pod() whose container requests `cpu` and `memory` (nullptr: no request).
Pod make_pod_requesting(const std::string& ns, const std::string& name, const char* cpu,
                        const char* memory);

/// A Ready node with capacity = allocatable = cpu, memory and pods.
Node make_node(const std::string& name, const char* cpu = "4", const char* memory = "16Gi",
               const char* pods = "110");

Namespace make_namespace(const std::string& name);

/// A ClusterIP Service selecting `selector`, one TCP port `port` → `target_port`.
Service make_service(const std::string& ns, const std::string& name, Labels selector,
                     int32_t port = 80, int32_t target_port = 8080);

/// A ReplicationController of `replicas` make_pod()-shaped pods labelled `labels`.
ReplicationController make_replication_controller(const std::string& ns, const std::string& name,
                                                  int32_t replicas, Labels labels);

/// An empty ConfigMap: the simplest namespaced object, for tests about objects in general.
ConfigMap make_config_map(const std::string& ns, const std::string& name);

}  // namespace kactor::api::testing
