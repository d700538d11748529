// RFC 6902 JSON patch, applied operation by operation with the cost of each one bounded: the
// document may not grow deeper than limits::kMaxDepth, `copy` operations may not copy more
// than limits::kMaxJsonPatchCopyBytes in total (each copy of the whole document doubles it),
// and a patch has at most limits::kMaxJsonPatchOperations operations. Errors are values;
// nothing here throws.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/codec/json_guard.hpp"
#include "api/codec/limits.hpp"
#include "api/patch/detail/errors.hpp"
#include "api/patch/patch.hpp"

namespace kactor::api::patch {
namespace {

using nlohmann::json;

/// An RFC 6901 JSON pointer split into unescaped reference tokens; nullopt when malformed
/// (not empty and not starting with '/', or a '~' not followed by '0' or '1').
std::optional<std::vector<std::string>> parse_pointer(std::string_view text) {
  std::vector<std::string> tokens;
  if (text.empty()) return tokens;
  if (text[0] != '/') return std::nullopt;
  std::string token;
  for (std::size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
    } else if (text[i] == '~') {
      if (i + 1 == text.size() || (text[i + 1] != '0' && text[i + 1] != '1')) return std::nullopt;
      token += text[++i] == '0' ? '~' : '/';
    } else {
      token += text[i];
    }
  }
  return tokens;
}

/// The array index a token names: decimal digits without a leading zero, below `limit`.
std::optional<std::size_t> array_index(const std::string& token, std::size_t limit) {
  if (token.empty() || token.size() > 19 || (token.size() > 1 && token[0] == '0')) {
    return std::nullopt;
  }
  std::size_t index = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  if (index >= limit) return std::nullopt;
  return index;
}

/// The value the first `count` tokens lead to, or nullptr.
json* resolve(json& doc, const std::vector<std::string>& tokens, std::size_t count) {
  json* at = &doc;
  for (std::size_t i = 0; i < count; ++i) {
    if (at->is_object()) {
      auto it = at->find(tokens[i]);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      const auto index = array_index(tokens[i], at->size());
      if (!index) return nullptr;
      at = &(*at)[*index];
    } else {
      return nullptr;
    }
  }
  return at;
}

/// Applies the operations of one patch to `doc`, tracking an upper bound of its depth.
class Applier {
 public:
  explicit Applier(json& doc) : doc_(doc), depth_(json_guard::measure(doc).depth) {}

  Result<void> apply(const json& op) {
    const std::string* name = string_member(op, "op");
    const std::string* path_text = string_member(op, "path");
    if (!name || !path_text) return fail(detail::patch_rejected());
    auto path = parse_pointer(*path_text);
    if (!path) return fail(detail::patch_rejected());

    if (*name == "add" || *name == "replace" || *name == "test") {
      const auto value = op.find("value");
      if (value == op.end()) return fail(detail::patch_rejected());
      if (*name == "test") {
        const json* target = resolve(doc_, *path, path->size());
        if (!target || *target != *value) return fail(detail::patch_rejected());
        return {};
      }
      if (auto r = grow(*path, json_guard::measure(*value).depth); !r) return r;
      if (*name == "add") return add(*path, *value);
      json* target = resolve(doc_, *path, path->size());
      if (!target) return fail(detail::patch_rejected());
      *target = *value;
      return {};
    }
    if (*name == "remove") {
      auto removed = remove(*path);
      if (!removed) return fail(std::move(removed.error()));
      return {};
    }

    if (*name == "move" || *name == "copy") {
      const std::string* from_text = string_member(op, "from");
      if (!from_text) return fail(detail::patch_rejected());
      auto from = parse_pointer(*from_text);
      if (!from) return fail(detail::patch_rejected());
      const json* source = resolve(doc_, *from, from->size());
      if (!source) return fail(detail::patch_rejected());
      if (*name == "copy") {
        const auto shape = json_guard::measure(*source);
        copied_ += shape.bytes;
        if (copied_ > limits::kMaxJsonPatchCopyBytes) {
          return fail(detail::patch_rejected(fmt::format(
              "unable to copy: the accumulated size increased to {}, which exceeds the limit {}",
              copied_, limits::kMaxJsonPatchCopyBytes)));
        }
        if (auto r = grow(*path, shape.depth); !r) return r;
        return add(*path, json(*source));
      }
      // A value cannot move into itself; moving onto itself changes nothing.
      if (*path == *from) return {};
      if (path->size() > from->size() && std::equal(from->begin(), from->end(), path->begin())) {
        return fail(detail::patch_rejected());
      }
      // The moved value sat under from->size() containers, so it is at most that much
      // shallower than the document.
      if (auto r = grow(*path, std::max(0, depth_ - static_cast<int>(from->size()))); !r) {
        return r;
      }
      auto moved = remove(*from);
      if (!moved) return fail(std::move(moved.error()));
      return add(*path, std::move(*moved));
    }
    return fail(detail::patch_rejected());
  }

 private:
  static const std::string* string_member(const json& op, const char* member) {
    const auto it = op.find(member);
    return it != op.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
  }

  /// Accounts for a value `value_depth` deep placed at `path`; refuses a document that
  /// would nest beyond the limit.
  Result<void> grow(const std::vector<std::string>& path, int value_depth) {
    const auto depth = static_cast<std::size_t>(value_depth) + path.size();
    if (depth > static_cast<std::size_t>(limits::kMaxDepth)) return fail(detail::too_deep());
    depth_ = std::max(depth_, static_cast<int>(depth));
    return {};
  }

  /// RFC 6902 "add": the parent must be an object or an array (not a scalar, not null).
  Result<void> add(const std::vector<std::string>& path, json value) {
    if (path.empty()) {
      doc_ = std::move(value);
      return {};
    }
    json* parent = resolve(doc_, path, path.size() - 1);
    const std::string& last = path.back();
    if (parent && parent->is_object()) {
      (*parent)[last] = std::move(value);
      return {};
    }
    if (parent && parent->is_array()) {
      if (last == "-") {
        parent->push_back(std::move(value));
        return {};
      }
      if (const auto index = array_index(last, parent->size() + 1)) {
        parent->insert(parent->begin() + static_cast<std::ptrdiff_t>(*index), std::move(value));
        return {};
      }
    }
    return fail(detail::patch_rejected());
  }

  /// RFC 6902 "remove", returning the removed value.
  Result<json> remove(const std::vector<std::string>& path) {
    if (path.empty()) return fail(detail::patch_rejected());
    json* parent = resolve(doc_, path, path.size() - 1);
    if (parent && parent->is_object()) {
      auto it = parent->find(path.back());
      if (it == parent->end()) return fail(detail::patch_rejected());
      json removed = std::move(*it);
      parent->erase(it);
      return removed;
    }
    if (parent && parent->is_array()) {
      if (const auto index = array_index(path.back(), parent->size())) {
        json removed = std::move((*parent)[*index]);
        parent->erase(parent->begin() + static_cast<std::ptrdiff_t>(*index));
        return removed;
      }
    }
    return fail(detail::patch_rejected());
  }

  json& doc_;
  int depth_;
  std::size_t copied_ = 0;
};

}  // namespace

Result<nlohmann::json> apply_json_patch(const nlohmann::json& doc, const nlohmann::json& patch) {
  // Shape errors are decode errors upstream (400); everything past decoding is a 422.
  if (!patch.is_array()) {
    return fail(
        bad_request(fmt::format("json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                                detail::go_kind(patch))));
  }
  for (const auto& op : patch) {
    if (!op.is_object()) {
      return fail(bad_request(
          fmt::format("json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                      detail::go_kind(op))));
    }
  }
  if (patch.size() > limits::kMaxJsonPatchOperations) {
    return fail(detail::too_many_operations(patch.size()));
  }
  if (json_guard::measure(patch).depth > limits::kMaxDepth) return fail(detail::too_deep());
  json result = doc;
  Applier applier(result);
  for (const auto& op : patch) {
    // Unknown op, missing path or value, failed `test`: upstream answers the generic 422 and
    // does not say which operation failed.
    if (auto r = applier.apply(op); !r) return fail(std::move(r.error()));
  }
  return result;
}

}  // namespace kactor::api::patch
