// What the tests of role processes (multi_process_test, netns_partition_test) read from the
// API over HTTP: lists polled until a condition holds, and the counts they check.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/http/client/rest_client.hpp"
#include "api/types/all.hpp"

namespace kactor::testing {

using Objects = std::vector<std::unique_ptr<api::Object>>;

/// Lists `type` over HTTP every 200 ms until `holds` is true of the list or `deadline` passes
/// (errors count as not yet: the API server may be restarting).
bool wait_list(const std::function<std::unique_ptr<http::client::RestClient>()>& client,
               const api::TypeInfo& type, const std::function<bool(const Objects&)>& holds,
               std::chrono::milliseconds deadline, const std::string& ns = "");

/// Pods of the RC `rc` that run, are not being deleted, and whose node name starts with
/// `node_prefix` (empty: any).
size_t running_pods(const Objects& pods, const std::string& rc, const std::string& node_prefix);

/// Pods of the RC `rc` bound to a node whose name starts with `node_prefix`, whatever their
/// phase or deletion.
size_t bound_pods(const Objects& pods, const std::string& rc, const std::string& node_prefix);

/// The number of addresses in the Endpoints `name` (0 when there is none).
size_t endpoint_addresses(const Objects& endpoints, const std::string& name);

/// The status of the node's Ready condition ("" when it has none).
std::string node_ready(const api::Node& n);

/// The number of nodes whose name starts with `prefix` and whose Ready condition is `status`.
size_t nodes_ready(const Objects& nodes, const std::string& prefix, const std::string& status);

}  // namespace kactor::testing
