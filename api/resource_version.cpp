#include "api/resource_version.hpp"

#include <charconv>
#include <string>

namespace kactor::api {

std::optional<uint64_t> parse_resource_version(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  uint64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

Status invalid_resource_version(std::string_view text) {
  const std::string shown(text.substr(0, 64));
  return bad_request("resourceVersion: Invalid value: \"" + shown +
                     "\": strconv.ParseUint: parsing \"" + shown + "\": invalid syntax");
}

Status too_large_resource_version(std::string_view requested, uint64_t current) {
  auto s = timeout("Too large resource version: " + std::string(requested.substr(0, 64)) +
                   ", current: " + std::to_string(current));
  s.details.causes.push_back({"ResourceVersionTooLarge", "Too large resource version", ""});
  s.details.retry_after_seconds = 1;
  return s;
}

bool is_newer_version(std::string_view rv, std::string_view than) {
  auto a = parse_resource_version(rv);
  auto b = parse_resource_version(than);
  if (!a) return false;
  return !b || *a > *b;
}

}  // namespace kactor::api
