// Shared pieces of the per-kind validators: value printing as upstream's
// field errors print values, and the small checks every kind uses.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.hpp"
#include "api/types/meta.hpp"
#include "api/types/values.hpp"
#include "api/util/go_format.hpp"

namespace kactor::api::validation {

using Causes = std::vector<StatusCause>;

/// upstream's FieldImmutableErrorMsg.
inline constexpr std::string_view kFieldImmutable = "field is immutable";
/// upstream's IsNegativeErrorMsg.
inline constexpr std::string_view kIsNegative = "must be greater than or equal to 0";

// -- printing values as upstream's field.Error does ----------------------------------

using util::go_map;
using util::go_quote;
using util::go_strings;
/// An int-or-string as upstream prints it (its String(): `8080`, `25%`).
std::string go_int_or_string(const IntOrString& v);
/// metav1.Time's String(): `2024-01-02 03:04:05 +0000 UTC`.
std::string go_time(const Time& t);
/// A metav1.LabelSelector as %#v prints it.
std::string go_label_selector(const LabelSelector& s);

/// "a.b" joined, and "a[3]" / "a[key]" children, as field.Path prints them.
inline std::string child(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}
inline std::string index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}
inline std::string key(const std::string& path, std::string_view k) {
  return path + "[" + std::string(k) + "]";
}

// -- common checks -----------------------------------------------------------------------

/// Appends one Invalid cause per message (upstream's `for _, msg := range ...` idiom).
void add_invalid(Causes& causes, const std::string& path, const std::string& repr,
                 const std::vector<std::string>& messages);
/// "must be greater than or equal to 0".
void validate_nonnegative(int64_t value, const std::string& path, Causes& causes);
/// Invalid(path, repr, "field is immutable") when `changed`.
void validate_immutable(bool changed, const std::string& path, const std::string& new_repr,
                        Causes& causes);
/// DNS-1123 label / subdomain checks of a value at `path`.
void validate_dns1123_label(std::string_view value, const std::string& path, Causes& causes);
void validate_dns1123_subdomain(std::string_view value, const std::string& path, Causes& causes);
/// A label or annotation key (`[prefix/]name`).
void validate_qualified_name(std::string_view value, const std::string& path, Causes& causes);
/// The operator rule label selectors and node selectors share for a requirement at `path`:
/// In/NotIn need values, Exists/DoesNotExist forbid them. Returns false for any other
/// operator and adds nothing: the caller knows which others it allows (Gt/Lt on nodes).
bool validate_set_operator_values(std::string_view op, size_t value_count,
                                  const std::string& path, Causes& causes);
/// Valid IPv4 or IPv6 literal.
bool is_valid_ip(std::string_view ip);
/// upstream's IsValidIP message.
std::string invalid_ip_message();
/// `s` is a percentage: digits followed by '%' (upstream's `[0-9]+%`).
bool is_percent(const std::string& s);
/// The int or percentage an IntOrString holds (upstream getIntOrPercentValue): 0 for a
/// string that is no percentage; a percentage too long for int32 is INT32_MAX.
int64_t int_or_percent_value(const std::optional<IntOrString>& v);
/// upstream's apps ValidatePositiveIntOrPercent: an int must be >= 0, a string a percentage.
void validate_positive_int_or_percent(const std::optional<IntOrString>& v, const std::string& path,
                                      Causes& causes);
/// upstream's IsNotMoreThan100Percent: a percentage over 100 is invalid.
void validate_not_more_than_100_percent(const std::optional<IntOrString>& v,
                                        const std::string& path, Causes& causes);
/// An Invalid cause whose reason is NotFound (upstream field.NotFound).
StatusCause field_not_found(const std::string& path, const std::string& repr);

}  // namespace kactor::api::validation
