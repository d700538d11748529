// YAML -> JSON with libyaml's event parser (the parser go-yaml was ported from, fuzzed
// continuously upstream) and our own go-yaml-compatible typing; JSON -> YAML with a small
// hand-written block emitter.
//
// libyaml replaced yaml-cpp 0.7, whose LoadAll looped for ever (allocating ~1 GB/s) on inputs
// as small as `"",`, and whose recursive parser overflowed the stack on deep nesting.
#include "api/yaml/yaml.hpp"

#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/codec/json_guard.hpp"
#include "api/codec/limits.hpp"
#include "api/yaml/detail/scalar.hpp"

namespace kactor::api {

namespace {

using nlohmann::json;
using yaml::detail::PlainValue;
using yaml::detail::YamlNull;

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";
/// Upper bound on values produced per document, against alias bombs ("billion laughs").
constexpr size_t kMaxValues = 2'000'000;

Status yaml_error(size_t line, std::string_view reason) {
  // libyaml's marks are 0-based; messages count lines from 1.
  return bad_request("error converting YAML to JSON: yaml: line " + std::to_string(line + 1) +
                     ": " + std::string(reason));
}

std::string short_tag(std::string_view tag) {
  return tag.starts_with(kTagPrefix) ? "!!" + std::string(tag.substr(kTagPrefix.size()))
                                     : std::string(tag);
}

std::string_view type_tag(const PlainValue& v) {
  switch (v.index()) {
    case 0:
      return "!!null";
    case 1:
      return "!!bool";
    case 2:
    case 3:
      return "!!int";
    case 4:
      return "!!float";
    default:
      return "!!str";
  }
}

json to_json(const PlainValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, YamlNull>) {
          return nullptr;
        } else {
          return x;
        }
      },
      v);
}

/// A libyaml parser over a string, released on every path.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_encoding(&parser_, YAML_UTF8_ENCODING);
    // libyaml asserts a non-null input: an empty view may have none (found by fuzzing).
    static const unsigned char kEmpty[1] = {0};
    const auto* input = text.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(text.data());
    yaml_parser_set_input_string(&parser_, input, text.size());
  }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  /// The next event, or the parse error worded as go-yaml (a port of libyaml) words it.
  Result<void> next(yaml_event_t& event) {
    if (yaml_parser_parse(&parser_, &event)) return {};
    const char* problem =
        parser_.problem ? parser_.problem : "unknown problem parsing YAML content";
    return fail(yaml_error(parser_.problem_mark.line, problem));
  }

 private:
  yaml_parser_t parser_;
};

/// One event, released when it goes out of scope.
struct Event {
  yaml_event_t event{};
  ~Event() { yaml_event_delete(&event); }
};

/// Builds the JSON values of a YAML stream from libyaml's events, with an explicit stack of
/// open collections: no recursion, whatever the nesting, which stops at limits::kMaxDepth as
/// go-yaml's does.
class Builder {
 public:
  Result<std::vector<json>> build(std::string_view text) {
    Parser parser(text);
    std::vector<json> documents;
    for (bool done = false; !done;) {
      Event e;
      if (auto r = parser.next(e.event); !r) return fail(std::move(r.error()));
      const yaml_event_t& ev = e.event;
      const size_t line = ev.start_mark.line;
      Result<void> r;
      switch (ev.type) {
        case YAML_STREAM_END_EVENT:
          done = true;
          break;
        case YAML_DOCUMENT_START_EVENT:
          anchors_.clear();  // anchors do not reach across documents
          produced_ = 0;
          root_ = json(nullptr);
          break;
        case YAML_DOCUMENT_END_EVENT:
          if (!root_.is_null()) documents.push_back(std::move(root_));  // kubectl skips empties
          break;
        case YAML_SCALAR_EVENT:
          r = scalar(ev, line);
          break;
        case YAML_ALIAS_EVENT:
          r = alias(reinterpret_cast<const char*>(ev.data.alias.anchor), line);
          break;
        case YAML_SEQUENCE_START_EVENT:
          r = open(json::array(), ev.data.sequence_start.anchor, line);
          break;
        case YAML_MAPPING_START_EVENT:
          r = open(json::object(), ev.data.mapping_start.anchor, line);
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          r = close();
          break;
        default:
          break;
      }
      if (!r) return fail(std::move(r.error()));
    }
    return documents;
  }

 private:
  /// A value that an anchor named, for its aliases.
  struct Anchored {
    json value;
    size_t values = 0;  // how many values it holds, itself included
    int height = 0;     // its nesting levels
  };

  /// An open sequence or mapping.
  struct Frame {
    json value;
    size_t line = 0;
    std::string anchor;
    size_t produced_before = 0;
    int child_height = 0;  // the tallest value added to it so far
    // Mappings alternate keys and values:
    bool have_key = false;
    bool merge = false;  // the pending key is `<<`
    std::string key;
  };

  /// A scalar key or value the event gives.
  Result<void> scalar(const yaml_event_t& ev, size_t line) {
    const auto& sc = ev.data.scalar;
    const std::string_view text(reinterpret_cast<const char*>(sc.value), sc.length);
    const std::string_view tag = sc.tag ? reinterpret_cast<const char*>(sc.tag) : "";
    const bool plain = sc.style == YAML_PLAIN_SCALAR_STYLE;
    auto typed = type_scalar(text, tag, plain, line);
    if (!typed) return fail(std::move(typed.error()));
    if (const double* d = std::get_if<double>(&*typed); d && !std::isfinite(*d)) {
      // JSON has no infinities or NaN; Go's json.Marshal rejects them too.
      return fail(bad_request(std::string("error converting YAML to JSON: json: ") +
                              "unsupported value: " +
                              (std::isnan(*d) ? "NaN"
                               : *d > 0       ? "+Inf"
                                              : "-Inf")));
    }
    json value = to_json(*typed);
    ++produced_;
    if (sc.anchor) anchors_[reinterpret_cast<const char*>(sc.anchor)] = {value, 1, 0};
    const bool merge_key =
        text == "<<" && ((plain && tag.empty()) || tag == std::string(kTagPrefix) + "merge");
    return add(std::move(value), 0, line, merge_key);
  }

  /// Types a scalar by its tag: none on a plain scalar resolves it, none on a quoted or block
  /// one (or the non-specific "!") makes a string.
  static Result<PlainValue> type_scalar(std::string_view text, std::string_view tag, bool plain,
                                        size_t line) {
    if (tag.empty())
      return plain ? yaml::detail::resolve_plain(text) : PlainValue(std::string(text));
    const std::string want = short_tag(tag);
    if (tag == "!" || want == "!!str" || want == "!!binary" || want == "!!timestamp") {
      return PlainValue(std::string(text));
    }
    if (!tag.starts_with(kTagPrefix)) return PlainValue(std::string(text));  // unknown tags

    // A core-schema tag: the text must resolve to that type (ints widen to floats).
    PlainValue v = yaml::detail::resolve_plain(text);
    if (want == "!!float") {
      if (const auto* i = std::get_if<int64_t>(&v)) return PlainValue(static_cast<double>(*i));
      if (const auto* u = std::get_if<uint64_t>(&v)) return PlainValue(static_cast<double>(*u));
    }
    if (type_tag(v) == want) return v;
    if (want != "!!int" && want != "!!float" && want != "!!bool" && want != "!!null") {
      return PlainValue(std::string(text));  // e.g. !!map on a scalar: go-yaml leaves it alone
    }
    return fail(yaml_error(line, "cannot decode " + std::string(type_tag(v)) + " `" +
                                     json_guard::text_excerpt(text) + "` as a " + want));
  }

  Result<void> alias(const char* name, size_t line) {
    const auto it = anchors_.find(name);
    if (it == anchors_.end()) return fail(yaml_error(line, "the referenced anchor is not defined"));
    const Anchored& a = it->second;
    produced_ += a.values;
    if (produced_ > kMaxValues)
      return fail(yaml_error(line, "document contains excessive aliasing"));
    if (frames_.size() + static_cast<size_t>(a.height) > static_cast<size_t>(limits::kMaxDepth)) {
      return fail(too_deep(line));
    }
    return add(a.value, a.height, line, false);
  }

  Result<void> open(json empty, const yaml_char_t* anchor, size_t line) {
    if (expecting_key()) {
      return fail(yaml_error(line, "invalid map key: a mapping or sequence"));
    }
    if (frames_.size() >= static_cast<size_t>(limits::kMaxDepth)) return fail(too_deep(line));
    ++produced_;
    Frame frame;
    frame.value = std::move(empty);
    frame.line = line;
    if (anchor) frame.anchor = reinterpret_cast<const char*>(anchor);
    frame.produced_before = produced_ - 1;
    frames_.push_back(std::move(frame));
    return {};
  }

  Result<void> close() {
    Frame frame = std::move(frames_.back());
    frames_.pop_back();
    const int height = frame.child_height + 1;
    if (!frame.anchor.empty()) {
      anchors_[frame.anchor] = {frame.value, produced_ - frame.produced_before, height};
    }
    return add(std::move(frame.value), height, frame.line, false);
  }

  bool expecting_key() const {
    return !frames_.empty() && frames_.back().value.is_object() && !frames_.back().have_key;
  }

  /// Adds a finished value to the open collection (or makes it the document).
  Result<void> add(json value, int height, size_t line, bool merge_key) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return {};
    }
    Frame& top = frames_.back();
    top.child_height = std::max(top.child_height, height);
    if (top.value.is_array()) {
      top.value.push_back(std::move(value));
      return {};
    }
    if (!top.have_key) {
      auto key = key_string(value, line);
      if (!key) return fail(std::move(key.error()));
      top.key = std::move(*key);
      top.merge = merge_key;
      top.have_key = true;
      return {};
    }
    top.have_key = false;
    if (top.merge) return merge(top.value, std::move(value), line);
    top.value[top.key] = std::move(value);  // duplicate keys: the last one wins, as in go-yaml
    return {};
  }

  /// The JSON object key for a YAML key: typed like any scalar, then printed as go-yaml does.
  static Result<std::string> key_string(const json& key, size_t line) {
    switch (key.type()) {
      case json::value_t::null:
        return fail(yaml_error(line, "unsupported map key: null"));
      case json::value_t::object:
      case json::value_t::array:
        return fail(yaml_error(line, "invalid map key: a mapping or sequence"));
      case json::value_t::boolean:
        return std::string(key.get<bool>() ? "true" : "false");
      case json::value_t::number_float:
        return yaml::detail::float_key_string(key.get<double>());
      case json::value_t::number_integer:
        return std::to_string(key.get<int64_t>());
      case json::value_t::number_unsigned:
        return std::to_string(key.get<uint64_t>());
      default:
        return key.get<std::string>();
    }
  }

  /// `<<: *base` or `<<: [*a, *b]`: copies the merged maps' entries into `out`, earlier maps
  /// winning, keys written later in `out` overriding them.
  static Result<void> merge(json& out, json value, size_t line) {
    const auto bad = [line] {
      return fail(yaml_error(line, "map merge requires map or sequence of maps as the value"));
    };
    if (value.is_object()) {
      for (auto& [k, v] : value.items()) out[k] = std::move(v);
      return {};
    }
    if (!value.is_array() || value.empty()) return bad();
    for (const auto& source : value) {
      if (!source.is_object()) return bad();
    }
    for (auto source = value.rbegin(); source != value.rend(); ++source) {
      for (auto& [k, v] : source->items()) out[k] = std::move(v);
    }
    return {};
  }

  static Status too_deep(size_t line) {
    return yaml_error(line, "exceeded max depth of " + std::to_string(limits::kMaxDepth));
  }

  std::vector<Frame> frames_;
  std::unordered_map<std::string, Anchored> anchors_;
  json root_;
  size_t produced_ = 0;
};

// ---- JSON -> YAML ----

void indent_to(std::string& out, int n) {
  out.append(static_cast<size_t>(n), ' ');
}

std::string double_quoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\r':
        out += "\\r";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else if (const size_t n = yaml::detail::special_unicode_at(s, i); n != 0) {
      // Escaped so they don't read back as line breaks (or vanish, for the BOM).
      const auto b = static_cast<unsigned char>(s[i + n - 1]);
      // \u escapes, which every YAML reader decodes alike.
      out += n == 2 ? "\\u0085" : b == 0xa8 ? "\\u2028" : b == 0xa9 ? "\\u2029" : "\\uFEFF";
      i += n - 1;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

/// Multi-line text can be a `|` literal unless it needs escapes, starts with whitespace (would
/// confuse indentation detection) or has trailing whitespace on a line (easily mangled).
bool literal_ok(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
    if ((c == ' ' || c == '\t') && (i + 1 == s.size() || s[i + 1] == '\n')) return false;
    if (yaml::detail::special_unicode_at(s, i) != 0) return false;
  }
  return true;
}

void write_literal(std::string& out, std::string_view s, int indent) {
  size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
  out += "\n";
  std::string_view body = trailing == 0 ? s : s.substr(0, s.size() - 1);
  size_t start = 0;
  while (true) {
    const size_t nl = body.find('\n', start);
    const std::string_view line =
        body.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (!line.empty()) indent_to(out, indent);
    out += line;
    out += "\n";
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
}

std::string format_double(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, r.ptr);
  // "1" would re-read as an int.
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

/// A scalar (or empty collection) written after "key: " or "- "; block scalars end the line
/// themselves. `indent` is where a literal's content lines go.
void write_scalar(std::string& out, const json& v, int indent) {
  switch (v.type()) {
    case json::value_t::object:
      out += "{}\n";
      return;
    case json::value_t::array:
      out += "[]\n";
      return;
    case json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      if (yaml::detail::plain_safe(s)) {
        out += s;
      } else if (literal_ok(s)) {
        write_literal(out, s, indent);
        return;
      } else {
        out += double_quoted(s);
      }
      break;
    }
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case json::value_t::number_integer:
      out += std::to_string(v.get<int64_t>());
      break;
    case json::value_t::number_unsigned:
      out += std::to_string(v.get<uint64_t>());
      break;
    case json::value_t::number_float:
      out += format_double(v.get<double>());
      break;
    default:
      out += "null";
      break;
  }
  out += "\n";
}

bool is_block(const json& v) {
  return (v.is_object() || v.is_array()) && !v.empty();
}

/// YAML readers take an implicit ("key: value") key only when the key and its ':' are
/// within 1024 characters; longer keys are written as explicit "? key" entries.
constexpr size_t kMaxImplicitKey = 1000;

void write_block(std::string& out, const json& v, int indent);

/// The value after "- ": a nested block starts on the dash's line ("- name: x").
void write_item(std::string& out, const json& item, int indent) {
  if (!is_block(item)) {
    out += " ";
    write_scalar(out, item, indent + 2);
    return;
  }
  std::string nested;
  write_block(nested, item, indent + 2);
  out += " ";
  out.append(nested, static_cast<size_t>(indent + 2));
}

void write_block(std::string& out, const json& v, int indent) {
  if (v.is_array()) {
    for (const auto& item : v) {
      indent_to(out, indent);
      out += "-";
      write_item(out, item, indent);
    }
    return;
  }
  for (const auto& [key, value] : v.items()) {
    const std::string key_text = yaml::detail::plain_safe(key) ? key : double_quoted(key);
    indent_to(out, indent);
    if (key_text.size() <= kMaxImplicitKey) {
      out += key_text;
    } else {
      // Too long for an implicit key: an explicit one, "? key" then ": value".
      out += "? " + key_text + "\n";
      indent_to(out, indent);
    }
    out += ":";
    if (value.is_object() && !value.empty()) {
      out += "\n";
      write_block(out, value, indent + 2);
    } else if (value.is_array() && !value.empty()) {
      out += "\n";
      write_block(out, value, indent);  // kubectl style: "- " level with the key
    } else {
      out += " ";
      write_scalar(out, value, indent + 2);
    }
  }
}

}  // namespace

Result<std::vector<json>> yaml_to_json(std::string_view text) {
  // go-yaml accepts only UTF-8 (we skip its UTF-16 support); checking up front also keeps
  // invalid strings out of the JSON values, whose dump() would throw on them.
  if (const size_t bad = yaml::detail::invalid_utf8_offset(text); bad != std::string_view::npos) {
    const auto line =
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    return fail(yaml_error(static_cast<size_t>(line), "invalid leading UTF-8 octet"));
  }
  Builder builder;
  return builder.build(text);
}

std::string json_to_yaml(const json& value) {
  std::string out;
  if (is_block(value)) {
    write_block(out, value, 0);
  } else {
    write_scalar(out, value, 2);
  }
  return out;
}

}  // namespace kactor::api
