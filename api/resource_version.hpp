// resourceVersion: the store revision of an object's last change, as text. One strict
// parser for every place that reads one (list, watch, update preconditions, clients).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "api/status.hpp"

namespace kactor::api {

/// The revision a resourceVersion names: decimal digits only, as upstream's
/// strconv.ParseUint(rv, 10, 64) reads it (no sign, no spaces, no exponent, no overflow).
/// nullopt for anything else, including "".
std::optional<uint64_t> parse_resource_version(std::string_view text);

/// 400 BadRequest for a resourceVersion that does not parse, worded as upstream's
/// (`resourceVersion: Invalid value: "12abc": ...`).
Status invalid_resource_version(std::string_view text);

/// 504 Timeout for a read from a revision the server has not reached yet (upstream's
/// "Too large resource version", cause ResourceVersionTooLarge, retry after 1 s).
Status too_large_resource_version(std::string_view requested, uint64_t current);

/// Whether `rv` names a later revision than `than`; a version that does not parse counts as
/// older than any that does.
bool is_newer_version(std::string_view rv, std::string_view than);

}  // namespace kactor::api
