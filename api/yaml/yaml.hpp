// YAML manifests <-> JSON values, typed as Kubernetes (sigs.k8s.io/yaml) types them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/status.hpp"

namespace kactor::api {

/// Parses a YAML stream into one JSON value per document, as `kubectl apply -f` reads a
/// manifest: documents split on `---`, documents that are empty or null skipped.
///
/// Scalars are typed as sigs.k8s.io/yaml does (go-yaml v2, YAML 1.1 flavoured):
///  - unquoted true/false and also yes/no, on/off, y/n (any of lower/Title/UPPER case) -> bool;
///  - unquoted integers -> int64 (uint64 above int64), with YAML 1.1 octal: `mode: 0755` is 493,
///    also 0x1F, 0o17, 0b101 and `_` separators (1_000);
///  - unquoted floats (1.5, 1e3, .5) -> double; ".inf"/".nan" are an error, as JSON can't hold
///    them (Go's json.Marshal fails the same way);
///  - null, ~, Null, NULL and empty values -> null;
///  - quoted scalars, block scalars (| and >), timestamps and everything else -> string;
///  - `!!str`, `!!int`, `!!float`, `!!bool`, `!!null` tags are honoured, other tags ignored
///    (`!!binary` text is kept as written, not decoded);
///  - map keys always become strings, typed first: `yes:` becomes "true", `1:` "1",
///    quoted `"yes":` stays "yes"; null or collection keys are errors;
///  - anchors/aliases and `<<` merge keys are expanded; duplicate keys: the last one wins.
/// Errors are BadRequest: "error converting YAML to JSON: yaml: line 3: <reason>".
Result<std::vector<nlohmann::json>> yaml_to_json(std::string_view text);

/// Writes `value` as block-style YAML in kubectl's layout (sequences in maps not indented,
/// multi-line strings as `|` literals), ending with a newline. Strings that would re-read as
/// another type ("true", "yes", "0755", "1.5", "", "null", "2026-01-01", ...) or that are not
/// plain-safe are double-quoted; doubles always re-read as doubles ("1.0", ".inf").
/// yaml_to_json(json_to_yaml(v)) == {v} for every JSON value v except null (skipped as an
/// empty document) and non-finite doubles.
std::string json_to_yaml(const nlohmann::json& value);

}  // namespace kactor::api

namespace kactor {
using api::json_to_yaml;
using api::yaml_to_json;
}  // namespace kactor
