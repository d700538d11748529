#include "api/codec/json_guard.hpp"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kactor::api::json_guard {
namespace {

using nlohmann::json;

/// The length of the longest prefix of `s` that is at most `max` bytes and does not end in
/// the middle of a UTF-8 sequence.
std::size_t utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t n = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  return n;
}

/// `s` as a JSON string, of which only about `room` bytes are quoted: quoting a huge string
/// costs no more than the excerpt.
std::string quoted(std::string_view s, std::size_t room) {
  const json shortened(std::string(s.substr(0, utf8_prefix(s, room))));
  return shortened.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// A scalar's compact JSON text (strings shortened to about `room` bytes).
std::string scalar_text(const json& v, std::size_t room) {
  if (v.is_string()) return quoted(v.get_ref<const std::string&>(), room);
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::size_t find_excess_depth(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return i;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return std::string_view::npos;
}

Shape measure(const json& v) {
  Shape shape;
  // Pending values with their depth (the number of containers around them).
  std::vector<std::pair<const json*, int>> pending{{&v, 0}};
  while (!pending.empty()) {
    const auto [value, outer] = pending.back();
    pending.pop_back();
    ++shape.values;
    if (value->is_object()) {
      if (outer + 1 > shape.depth) shape.depth = outer + 1;
      shape.bytes += 2 + (value->empty() ? 0 : value->size() - 1);  // {} and commas
      for (auto it = value->begin(); it != value->end(); ++it) {
        shape.bytes += it.key().size() + 3;  // "key":
        pending.emplace_back(&it.value(), outer + 1);
      }
    } else if (value->is_array()) {
      if (outer + 1 > shape.depth) shape.depth = outer + 1;
      shape.bytes += 2 + (value->empty() ? 0 : value->size() - 1);
      for (const auto& item : *value) pending.emplace_back(&item, outer + 1);
    } else if (value->is_string()) {
      shape.bytes += value->get_ref<const std::string&>().size() + 2;
    } else if (value->is_number()) {
      shape.bytes += value->dump().size();
    } else {
      shape.bytes += value->is_boolean() && !value->get<bool>() ? 5 : 4;  // false, true, null
    }
  }
  return shape;
}

std::string text_excerpt(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, utf8_prefix(text, max))) + "...";
}

std::string json_excerpt(const json& v, std::size_t max) {
  // Serializes depth-first with an explicit stack of open containers, stopping as soon as
  // the text is longer than `max`.
  struct Open {
    const json* container;
    json::const_iterator next;
  };
  std::string out;
  std::vector<Open> open;
  auto emit = [&](const json& value) {
    if (value.is_structured()) {
      out += value.is_object() ? '{' : '[';
      open.push_back({&value, value.cbegin()});
    } else {
      out += scalar_text(value, max + 1 - std::min(out.size(), max));
    }
  };
  emit(v);
  while (!open.empty() && out.size() <= max) {
    Open& top = open.back();
    if (top.next == top.container->cend()) {
      out += top.container->is_object() ? '}' : ']';
      open.pop_back();
      continue;
    }
    if (top.next != top.container->cbegin()) out += ',';
    const auto it = top.next++;
    if (top.container->is_object()) {
      out += quoted(it.key(), max + 1);
      out += ':';
    }
    emit(*it);  // may push, invalidating `top`
  }
  return text_excerpt(out, max);
}

}  // namespace kactor::api::json_guard
