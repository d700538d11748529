// Strict reading of configuration JSON (a decoded KubeSchedulerConfiguration or a
// plugin's args): unknown fields are errors, as upstream's strict decoding, and every
// error names the field by its path ("profiles[0].plugins.score.enabled[1].weight").
// Errors are BadRequest Statuses whose message starts with the path.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/status.hpp"

namespace kactor::scheduler::config {

/// "a.b" from "a" and "b"; just "b" under the root.
std::string child_path(const std::string& path, std::string_view key);
/// "a[3]".
std::string index_path(const std::string& path, size_t i);

/// "<path>: <message>".
api::Status field_error(const std::string& path, const std::string& message);
/// "<path>: Invalid value: <value>: <message>" (upstream field.Invalid).
api::Status invalid(const std::string& path, const nlohmann::json& value, const std::string& message);

/// `j` must be an object (null counts as empty) whose keys are all in `known`.
api::Result<void> check_object(const nlohmann::json& j, const std::string& path,
                               std::initializer_list<std::string_view> known);

/// The member `key` of object `j` read into `out` when present and not null; a value of
/// the wrong type is an error naming the field. Absent members leave `out` untouched.
api::Result<void> read_int(const nlohmann::json& j, std::string_view key, const std::string& path,
                           int64_t& out);
api::Result<void> read_int(const nlohmann::json& j, std::string_view key, const std::string& path,
                           std::optional<int64_t>& out);
api::Result<void> read_string(const nlohmann::json& j, std::string_view key,
                              const std::string& path, std::string& out);
api::Result<void> read_strings(const nlohmann::json& j, std::string_view key,
                               const std::string& path, std::vector<std::string>& out);
/// The member `key` as an array (null/absent: empty); anything else is an error.
api::Result<const nlohmann::json*> read_array(const nlohmann::json& j, std::string_view key,
                                              const std::string& path);

}  // namespace kactor::scheduler::config
