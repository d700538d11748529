#include "api/util/go_format.hpp"

#include <fmt/format.h>

namespace kactor::api::util {
namespace {

/// Length of the valid UTF-8 sequence starting at s[i] (2-4), or 0 if it is not one.
size_t utf8_sequence(std::string_view s, size_t i, uint32_t& rune) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2, rune = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3, rune = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4, rune = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    rune = (rune << 6) | (cc & 0x3f);
  }
  // Overlong forms, surrogates and values beyond U+10FFFF are invalid, as Go decodes them.
  if ((n == 3 && rune < 0x800) || (n == 4 && rune < 0x10000) || rune > 0x10ffff ||
      (rune >= 0xd800 && rune <= 0xdfff))
    return 0;
  return n;
}

}  // namespace

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      uint32_t rune = 0;
      if (const size_t n = utf8_sequence(s, i, rune); n != 0) {
        if (rune < 0xa0)
          out += fmt::format("\\u{:04x}", rune);  // C1 controls are not printable
        else
          out.append(s.substr(i, n));
        i += n;
      } else {
        out += fmt::format("\\x{:02x}", c);
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\x{:02x}", c);
        else
          out += static_cast<char>(c);
    }
    ++i;
  }
  return out + "\"";
}

std::string go_map(const std::map<std::string, std::string>& m) {
  if (m.empty()) return "map[string]string(nil)";
  std::string out = "map[string]string{";
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ", ";
    first = false;
    out += go_quote(k) + ":" + go_quote(v);
  }
  return out + "}";
}

std::string go_strings(const std::vector<std::string>& v) {
  if (v.empty()) return "[]string(nil)";
  std::string out = "[]string{";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + go_quote(v[i]);
  return out + "}";
}

}  // namespace kactor::api::util
