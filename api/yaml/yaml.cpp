// YAML -> JSON with yaml-cpp's parser and our own go-yaml-compatible typing; JSON -> YAML with
// a small hand-written block emitter (yaml-cpp's emitter can't express `|-` chomping).
#include "api/yaml/yaml.hpp"

#include <yaml-cpp/yaml.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <nlohmann/json.hpp>

#include "api/yaml/detail/scalar.hpp"

namespace kactor::api {

namespace {

using nlohmann::json;
using yaml::detail::PlainValue;
using yaml::detail::YamlNull;

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";
/// Upper bound on values produced per document, against alias bombs ("billion laughs").
constexpr size_t kMaxValues = 2'000'000;
constexpr int kMaxDepth = 1000;

Status yaml_error(int line, std::string_view reason) {
  std::string msg = "error converting YAML to JSON: yaml: ";
  if (line >= 0) msg += "line " + std::to_string(line + 1) + ": ";  // marks are 0-based
  return bad_request(msg + std::string(reason));
}

/// go-yaml's wording for the parse errors kubectl users see most.
std::string go_yaml_reason(const std::string& yaml_cpp_msg) {
  if (yaml_cpp_msg == YAML::ErrorMsg::MAP_VALUE) {
    return "mapping values are not allowed in this context";
  }
  if (yaml_cpp_msg == YAML::ErrorMsg::END_OF_MAP) return "did not find expected key";
  if (yaml_cpp_msg == YAML::ErrorMsg::END_OF_SEQ) return "did not find expected '-' indicator";
  if (yaml_cpp_msg == YAML::ErrorMsg::END_OF_MAP_FLOW) return "did not find expected ',' or '}'";
  if (yaml_cpp_msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) return "did not find expected ',' or ']'";
  if (yaml_cpp_msg == YAML::ErrorMsg::TAB_IN_INDENTATION) {
    return "found character that cannot start any token";
  }
  return yaml_cpp_msg;
}

std::string short_tag(const std::string& tag) {
  return tag.starts_with(kTagPrefix) ? "!!" + tag.substr(kTagPrefix.size()) : tag;
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

class Converter {
 public:
  Result<json> convert(const YAML::Node& node, int depth) {
    if (++produced_ > kMaxValues) {
      return fail(yaml_error(line_of(node), "document contains excessive aliasing"));
    }
    if (depth > kMaxDepth) return fail(yaml_error(line_of(node), "exceeded max depth"));
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return json(nullptr);
      case YAML::NodeType::Scalar: {
        auto v = scalar(node);
        if (!v) return fail(std::move(v.error()));
        if (const double* d = std::get_if<double>(&*v); d && !std::isfinite(*d)) {
          // JSON has no infinities or NaN; Go's json.Marshal rejects them too.
          return fail(bad_request(std::string("error converting YAML to JSON: json: ") +
                                  "unsupported value: " +
                                  (std::isnan(*d) ? "NaN"
                                   : *d > 0       ? "+Inf"
                                                  : "-Inf")));
        }
        return to_json(*v);
      }
      case YAML::NodeType::Sequence: {
        json out = json::array();
        for (const auto& item : node) {
          auto v = convert(item, depth + 1);
          if (!v) return v;
          out.push_back(std::move(*v));
        }
        return out;
      }
      case YAML::NodeType::Map:
        return mapping(node, depth);
    }
    return json(nullptr);
  }

 private:
  static int line_of(const YAML::Node& node) { return node.Mark().line; }

  /// Types a scalar node by its tag: "?" is plain (resolve it), "!" quoted or block (string).
  Result<PlainValue> scalar(const YAML::Node& node) {
    const std::string& tag = node.Tag();
    std::string text = node.Scalar();
    yaml::detail::repair_escaped_bytes(text);
    if (tag == "!" || tag == std::string(kTagPrefix) + "str" ||
        tag == std::string(kTagPrefix) + "binary" || tag == std::string(kTagPrefix) + "timestamp") {
      return PlainValue(text);
    }
    if (tag.empty() || tag == "?") return yaml::detail::resolve_plain(text);
    if (!tag.starts_with(kTagPrefix)) return PlainValue(text);  // unknown tags: keep the text

    // A core-schema tag: the text must resolve to that type (ints widen to floats).
    PlainValue v = yaml::detail::resolve_plain(text);
    const std::string want = short_tag(tag);
    if (want == "!!float") {
      if (const auto* i = std::get_if<int64_t>(&v)) return PlainValue(static_cast<double>(*i));
      if (const auto* u = std::get_if<uint64_t>(&v)) return PlainValue(static_cast<double>(*u));
    }
    if (type_tag(v) == want) return v;
    if (want != "!!int" && want != "!!float" && want != "!!bool" && want != "!!null") {
      return PlainValue(text);  // e.g. !!map on a scalar: go-yaml leaves such text alone
    }
    return fail(yaml_error(line_of(node), "cannot decode " + std::string(type_tag(v)) + " `" +
                                              text + "` as a " + want));
  }

  /// The JSON object key for a YAML key: typed like any scalar, then printed as go-yaml does.
  Result<std::string> key_string(const YAML::Node& key) {
    if (!key.IsScalar()) {
      if (key.IsNull()) return fail(yaml_error(line_of(key), "unsupported map key: null"));
      return fail(yaml_error(line_of(key), "invalid map key: a mapping or sequence"));
    }
    auto v = scalar(key);
    if (!v) return fail(std::move(v.error()));
    return std::visit(
        [&](const auto& x) -> Result<std::string> {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, YamlNull>) {
            return fail(yaml_error(line_of(key), "unsupported map key: null"));
          } else if constexpr (std::is_same_v<T, bool>) {
            return std::string(x ? "true" : "false");
          } else if constexpr (std::is_same_v<T, double>) {
            return yaml::detail::float_key_string(x);
          } else if constexpr (std::is_same_v<T, std::string>) {
            return x;
          } else {
            return std::to_string(x);
          }
        },
        *v);
  }

  static bool is_merge_key(const YAML::Node& key) {
    return key.IsScalar() && key.Scalar() == "<<" &&
           (key.Tag() == "?" || key.Tag() == std::string(kTagPrefix) + "merge");
  }

  /// `<<: *base` or `<<: [*a, *b]`: copy the merged maps' entries (earlier maps win).
  Result<void> merge(const YAML::Node& value, json& out, int depth) {
    std::vector<YAML::Node> sources;
    if (value.IsMap()) {
      sources.push_back(value);
    } else if (value.IsSequence()) {
      for (auto it = value.begin(); it != value.end(); ++it) sources.insert(sources.begin(), *it);
    }
    if (sources.empty()) {
      return fail(
          yaml_error(line_of(value), "map merge requires map or sequence of maps as the value"));
    }
    for (const auto& source : sources) {
      if (!source.IsMap()) {
        return fail(
            yaml_error(line_of(source), "map merge requires map or sequence of maps as the value"));
      }
      auto merged = mapping(source, depth + 1);
      if (!merged) return fail(std::move(merged.error()));
      for (auto& [k, v] : merged->items()) out[k] = std::move(v);
    }
    return {};
  }

  Result<json> mapping(const YAML::Node& node, int depth) {
    json out = json::object();
    for (const auto& entry : node) {
      if (is_merge_key(entry.first)) {
        if (auto merged = merge(entry.second, out, depth); !merged) {
          return fail(std::move(merged.error()));
        }
        continue;
      }
      auto key = key_string(entry.first);
      if (!key) return fail(std::move(key.error()));
      auto value = convert(entry.second, depth + 1);
      if (!value) return value;
      out[*key] = std::move(*value);  // duplicate keys: the last one wins, as in go-yaml
    }
    return out;
  }

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
      // \u escapes rather than \N: yaml-cpp decodes \N to a bare (invalid UTF-8) 0x85 byte.
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
    indent_to(out, indent);
    out += yaml::detail::plain_safe(key) ? key : double_quoted(key);
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
    return fail(yaml_error(static_cast<int>(line), "invalid leading UTF-8 octet"));
  }
  try {
    const std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    std::vector<json> out;
    out.reserve(docs.size());
    for (const auto& doc : docs) {
      Converter converter;
      auto value = converter.convert(doc, 0);
      if (!value) return fail(std::move(value.error()));
      if (value->is_null()) continue;  // empty documents, as kubectl skips them
      out.push_back(std::move(*value));
    }
    return out;
  } catch (const YAML::ParserException& e) {
    return fail(yaml_error(e.mark.line, go_yaml_reason(e.msg)));
  } catch (const YAML::Exception& e) {
    return fail(yaml_error(e.mark.line, e.msg));
  } catch (const std::exception& e) {
    return fail(yaml_error(-1, e.what()));
  }
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
