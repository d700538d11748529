// Checks on untrusted JSON that must run before anything recurses over it, and excerpts of
// it for error messages. Nothing here recurses or throws, whatever the input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "api/codec/limits.hpp"

namespace kactor::api::json_guard {

/// Byte offset in JSON `text` of the bracket that opens nesting level `max_depth + 1`, or
/// std::string_view::npos. Brackets inside strings do not count; the text need not be valid
/// JSON (the parser reports that afterwards), so this runs first, in one linear pass.
std::size_t find_excess_depth(std::string_view text, int max_depth = limits::kMaxDepth);

/// The shape of a decoded JSON value.
struct Shape {
  int depth = 0;           ///< nesting levels: 0 for a scalar, 1 for `[]` or `[1]`
  std::size_t values = 0;  ///< every value, containers included
  std::size_t bytes = 0;   ///< about the size of its compact JSON text (strings unescaped)
};

/// Measures `v` with an explicit stack, so any depth is safe.
Shape measure(const nlohmann::json& v);

/// `text` if it is at most `max` bytes, else its first `max` bytes (cut between UTF-8
/// characters) followed by "...".
std::string text_excerpt(std::string_view text, std::size_t max = limits::kMaxQuotedBytes);

/// The compact JSON text of `v`, cut like text_excerpt() when longer than `max`; only the
/// part quoted is ever serialized. Invalid UTF-8 in strings is replaced by U+FFFD.
std::string json_excerpt(const nlohmann::json& v, std::size_t max = limits::kMaxQuotedBytes);

}  // namespace kactor::api::json_guard
