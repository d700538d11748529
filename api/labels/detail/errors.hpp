// Helpers shared by selector.cpp and parse.cpp: upstream's field-error text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kactor::api::labels::detail {

/// Upstream field.Error text for an Invalid value: "<path>: Invalid value: <repr>: <detail>".
std::string invalid_value(std::string_view path, std::string_view repr, std::string_view detail);

/// The label-key error for `key` at `path` ("<nil>" when parsing), or "" when valid.
std::string key_error(std::string_view key, std::string_view path);

/// Upstream's aggregate error text: one message bare, several as "[a, b]", duplicates once.
std::string aggregate(const std::vector<std::string>& errors);

}  // namespace kactor::api::labels::detail
