// Syntax checks for names, label keys/values, ports and identifiers, worded as upstream.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kactor::api {

// Every check returns upstream's error strings (k8s.io/apimachinery/pkg/util/validation);
// an empty vector means valid. Callers wrap them into field causes.

/// RFC 1123 label (most object names in a namespace): at most 63 characters of [-a-z0-9],
/// starting and ending alphanumeric.
std::vector<std::string> is_dns1123_label(std::string_view value);
/// RFC 1123 subdomain (most object names): at most 253 characters, dot-separated labels.
std::vector<std::string> is_dns1123_subdomain(std::string_view value);
/// RFC 1035 label (Service names): like an RFC 1123 label but starting with a letter.
std::vector<std::string> is_dns1035_label(std::string_view value);
/// A label or annotation key: `[prefix/]name`, prefix a DNS subdomain, name at most 63
/// characters of [-A-Za-z0-9_.] starting and ending alphanumeric.
std::vector<std::string> is_qualified_name(std::string_view value);
/// A label value: empty, or at most 63 characters shaped like a qualified name's name part.
std::vector<std::string> is_valid_label_value(std::string_view value);
/// A port number in 1..65535.
std::vector<std::string> is_valid_port_num(int64_t port);
/// An IANA_SVC_NAME: at most 15 characters of [-a-z0-9], at least one letter, no "--", no
/// hyphen at either end.
std::vector<std::string> is_valid_port_name(std::string_view port);
/// A C identifier: [A-Za-z_][A-Za-z0-9_]*.
std::vector<std::string> is_c_identifier(std::string_view value);
/// An environment variable name: [-._a-zA-Z][-._a-zA-Z0-9]*, not "." / ".." / "..*".
std::vector<std::string> is_env_var_name(std::string_view value);
/// A ConfigMap or Secret key: at most 253 characters of [-._a-zA-Z0-9], not "." / "..*".
std::vector<std::string> is_config_map_key(std::string_view value);
/// `value` in [min, max].
std::vector<std::string> is_in_range(int64_t value, int64_t min, int64_t max);

// -- upstream's message builders, for callers composing their own checks --

/// "must be no more than N characters"
std::string max_len_error(size_t length);
/// msg + " (e.g. 'a',  or 'b', regex used for validation is 'fmt')"
std::string regex_error(std::string_view msg, std::string_view fmt,
                        const std::vector<std::string_view>& examples = {});
/// "must be non-empty"
std::string empty_error();
/// "must be between LO and HI, inclusive"
std::string inclusive_range_error(int64_t lo, int64_t hi);

}  // namespace kactor::api
