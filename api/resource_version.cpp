#include "api/resource_version.hpp"

#include <charconv>

namespace kactor::api {

std::optional<uint64_t> parse_resource_version(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  uint64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

bool is_newer_version(std::string_view rv, std::string_view than) {
  auto a = parse_resource_version(rv);
  auto b = parse_resource_version(than);
  if (!a) return false;
  return !b || *a > *b;
}

}  // namespace kactor::api
