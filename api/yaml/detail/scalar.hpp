// How a plain (unquoted, untagged) YAML scalar is typed, as sigs.k8s.io/yaml does it.
// Internal to api/yaml/yaml.cpp; exposed for its tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace kactor::api::yaml::detail {

struct YamlNull {
  bool operator==(const YamlNull&) const = default;
};

/// The typed value of a plain scalar. Floats include ±inf and nan (.inf, .nan).
using PlainValue = std::variant<YamlNull, bool, int64_t, uint64_t, double, std::string>;

/// Types a plain scalar the way go-yaml v2 (YAML 1.1 flavoured), which sigs.k8s.io/yaml uses,
/// resolves it when decoding into interface{}:
///  - null:  "", "~", "null", "Null", "NULL"
///  - bool:  true/True/TRUE, false/..., and the YAML 1.1 forms yes/Yes/YES, no/No/NO,
///           on/On/ON, off/Off/OFF, y/Y, n/N
///  - int:   after deleting every "_": Go's ParseInt base 0, so "0755" is octal 493, "0x1F" 31,
///           "0o17" 15, "0b101" 5, "+7" 7; beyond int64 but within uint64 -> uint64
///  - float: "1.5", "1e3", "1.", ".5", "-.5", "08" (not valid octal, so a float 8.0), .inf/.nan
///           (overflowing literals such as "1e999" stay strings)
///  - everything else, timestamps ("2026-01-02") included, is a string.
PlainValue resolve_plain(std::string_view text);

/// True if `s` may be written as a plain scalar and read back as the same string: it resolves
/// to a string, looks like neither a timestamp nor a merge key, and is syntactically safe in
/// block context (no indicators at the start, no ": " or " #", no leading/trailing space,
/// no control characters or newlines).
bool plain_safe(std::string_view s);

/// Length of a NEL (U+0085), LINE/PARAGRAPH SEPARATOR (U+2028/9) or BOM (U+FEFF) UTF-8
/// sequence starting at s[i], else 0. YAML treats the first three as line breaks, so they
/// can't appear raw in plain or literal scalars.
size_t special_unicode_at(std::string_view s, size_t i);

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if the bytes there are invalid.
size_t utf8_sequence_at(std::string_view s, size_t i);

/// Offset of the first invalid UTF-8 byte in `s`, or std::string_view::npos.
size_t invalid_utf8_offset(std::string_view s);

/// Formats a float as go-yaml/sigs.k8s.io/yaml turn float map keys into strings
/// (strconv.FormatFloat(f, 'g', -1, 32): shortest float32 digits, "1e+06" style exponents).
std::string float_key_string(double f);

}  // namespace kactor::api::yaml::detail
