// Strategic merge patch, applied server-side the way k8s.io/apimachinery's strategicpatch
// package applies it (mergeMap with MergeParallelList and IgnoreUnmatchedNulls).
#include <algorithm>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/patch/detail/errors.hpp"
#include "api/patch/detail/order.hpp"
#include "api/patch/detail/schema.hpp"
#include "api/patch/patch.hpp"

namespace kactor::api::patch {
namespace {

using detail::bad_patch_type;
using detail::bad_primitive_list;
using detail::bad_retain_keys;
using detail::bad_set_element_order;
using detail::dump_for_message;
using detail::no_merge_key;
using nlohmann::json;
using schema::FieldMeta;
using schema::ListStrategy;

constexpr std::string_view kDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList";
constexpr std::string_view kSetElementOrder = "$setElementOrder";

/// Deeper patches are refused rather than risking the stack (Go's decoder stops at 10000).
constexpr int kMaxDepth = 1000;

/// The field a parallel directive ("$setElementOrder/containers") refers to, or empty when the
/// key is malformed (no "/<field>" after the prefix).
std::string_view directive_field(std::string_view key, std::string_view prefix) {
  if (key.size() <= prefix.size() + 1 || !key.starts_with(prefix) || key[prefix.size()] != '/') {
    return {};
  }
  return key.substr(prefix.size() + 1);
}

// -- merging --

class Merger {
 public:
  /// Merges the patch object `patch` into `original`, both at schema type `type`.
  Result<json> merge_map(json original, const json& patch, std::string_view type) {
    if (depth_ >= kMaxDepth) return fail(bad_request("strategic merge patch is nested too deeply"));
    ++depth_;
    auto result = merge_map_at_depth(std::move(original), patch, type);
    --depth_;
    return result;
  }

 private:
  Result<json> merge_map_at_depth(json original, const json& patch_in, std::string_view type) {
    if (!original.is_object()) original = json::object();
    json patch = patch_in;

    if (auto it = patch.find(kDirective); it != patch.end()) {
      if (*it == "replace") {
        // The patch's map (directives resolved) replaces the original one.
        patch.erase(it);
        return merge_map(json::object(), patch, type);
      }
      if (*it == "delete") return json::object();
      // "merge" asks for what happens anyway (upstream rejects it on maps; we are lenient).
      if (*it != "merge") return fail(bad_patch_type(*it, patch));
      patch.erase(it);
    }

    if (auto r = apply_retain_keys(original, patch); !r) return fail(std::move(r.error()));
    if (auto r = apply_set_element_order(original, patch, type); !r) {
      return fail(std::move(r.error()));
    }

    for (auto& [key, value] : patch.items()) {
      if (key.starts_with(kDeleteFromPrimitiveList)) {
        if (auto r = delete_from_primitive_list(original, key, value); !r) {
          return fail(std::move(r.error()));
        }
        continue;
      }
      if (value.is_null()) {
        original.erase(key);  // a null deletes; a null for an absent key is ignored
        continue;
      }
      const FieldMeta meta = schema::lookup(type, key);
      auto current = original.find(key);
      if (current == original.end()) {
        auto fresh_value = fresh(value, meta);
        if (!fresh_value) return fail(std::move(fresh_value.error()));
        original[key] = std::move(*fresh_value);
        continue;
      }
      if (current->is_object() && value.is_object()) {
        auto merged = merge_map(std::move(*current), value, meta.type);
        if (!merged) return fail(std::move(merged.error()));
        *current = std::move(*merged);
      } else if (current->is_array() && value.is_array() && meta.strategy == ListStrategy::merge) {
        auto merged = merge_list(std::move(*current), value, meta);
        if (!merged) return fail(std::move(merged.error()));
        *current = std::move(*merged);
      } else {
        // Scalars, replaced lists and values whose type changed: the patch's value wins.
        auto fresh_value = fresh(value, meta);
        if (!fresh_value) return fail(std::move(fresh_value.error()));
        *current = std::move(*fresh_value);
      }
    }
    return original;
  }

  /// A patch value with nothing to merge into. Upstream stores it verbatim; we resolve its
  /// directives against an empty value so no "$patch"/"$setElementOrder" keys reach the
  /// stored object.
  Result<json> fresh(const json& value, const FieldMeta& meta) {
    if (value.is_object()) return merge_map(json::object(), value, meta.type);
    if (value.is_array() && meta.strategy == ListStrategy::merge) {
      return merge_list(json::array(), value, meta);
    }
    return value;
  }

  /// `$retainKeys: [..]`: clears the original's keys not listed; every key the patch sets must
  /// be listed.
  static Result<void> apply_retain_keys(json& original, json& patch) {
    auto it = patch.find(kRetainKeys);
    if (it == patch.end()) return {};
    if (!it->is_array()) return fail(bad_retain_keys());
    const json retained = *it;
    patch.erase(it);
    auto listed = [&](const std::string& key) {
      return std::find(retained.begin(), retained.end(), json(key)) != retained.end();
    };
    for (const auto& [key, value] : patch.items()) {
      if (value.is_null() || key.starts_with(kDeleteFromPrimitiveList) ||
          key.starts_with(kSetElementOrder)) {
        continue;
      }
      if (!listed(key)) return fail(bad_retain_keys());
    }
    for (auto entry = original.begin(); entry != original.end();) {
      entry = listed(entry.key()) ? std::next(entry) : original.erase(entry);
    }
    return {};
  }

  /// `$setElementOrder/<field>: [..]`: merges <field> (if the patch has it) and orders the
  /// result: listed items in the listed order, server-only items kept near their live place.
  Result<void> apply_set_element_order(json& original, json& patch, std::string_view type) {
    std::vector<std::string> directives;
    for (const auto& [key, value] : patch.items()) {
      if (key.starts_with(kSetElementOrder)) directives.push_back(key);
    }
    for (const auto& directive : directives) {
      const json order = patch[directive];
      patch.erase(directive);
      const std::string field{directive_field(directive, kSetElementOrder)};
      if (field.empty() || !order.is_array()) return fail(bad_set_element_order());

      auto live = original.find(field);
      auto patched = patch.find(field);
      const bool has_live = live != original.end();
      const bool has_patch = patched != patch.end();
      if (has_live && !live->is_array()) return fail(bad_set_element_order());
      if (has_patch && !patched->is_array()) return fail(bad_set_element_order());
      if (!has_live && !has_patch) continue;

      const FieldMeta meta = schema::lookup(type, field);
      const std::string_view merge_key =
          meta.strategy == ListStrategy::merge ? meta.merge_key : std::string_view{};
      if (has_patch) {
        if (auto r = detail::validate_against_order(*patched, order, merge_key); !r) {
          return fail(std::move(r.error()));
        }
      }

      const json live_list = has_live ? *live : json::array();
      json merged;
      if (has_patch) {
        auto r = has_live
                     ? (meta.strategy == ListStrategy::merge ? merge_list(live_list, *patched, meta)
                                                             : Result<json>(*patched))
                     : fresh(*patched, meta);
        if (!r) return fail(std::move(r.error()));
        merged = std::move(*r);
        patch.erase(patched);
      } else {
        merged = live_list;
      }
      if (!merge_key.empty()) {
        for (const auto& item : merged) {
          if (!item.is_object() || !item.contains(merge_key)) {
            return fail(no_merge_key(item, merge_key));
          }
        }
      }
      original[field] = detail::normalize_order(merged, order, live_list, merge_key);
    }
    return {};
  }

  /// `$deleteFromPrimitiveList/<field>: [..]` removes those values from a primitive list.
  static Result<void> delete_from_primitive_list(json& original, const std::string& key,
                                                 const json& values) {
    const std::string field{directive_field(key, kDeleteFromPrimitiveList)};
    if (field.empty() || !values.is_array()) return fail(bad_primitive_list());
    for (const auto& v : values) {
      if (v.is_structured()) return fail(bad_primitive_list());
    }
    auto live = original.find(field);
    // Nothing to delete from (upstream would store the deletion list itself here).
    if (live == original.end() || !live->is_array()) return {};
    json kept = json::array();
    for (const auto& item : *live) {
      if (item.is_structured()) return fail(bad_primitive_list());
      if (std::find(values.begin(), values.end(), item) == values.end()) kept.push_back(item);
    }
    *live = std::move(kept);
    return {};
  }

  /// Merges the patch list into the live list of a field with the merge strategy.
  Result<json> merge_list(json original, const json& patch, const FieldMeta& meta) {
    if (original.empty() && patch.empty()) return original;

    bool any_object = false, any_scalar = false;
    for (const json* list : {static_cast<const json*>(&original), &patch}) {
      for (const auto& item : *list) {
        if (item.is_array()) return fail(detail::patch_rejected());  // lists of lists
        (item.is_object() ? any_object : any_scalar) = true;
      }
    }
    if (any_object && any_scalar) {
      return fail(bad_request(fmt::format("list element types are not identical: {} {}",
                                          dump_for_message(original), dump_for_message(patch))));
    }
    if (!any_object) return merge_scalar_set(std::move(original), patch);

    const std::string_view key = meta.merge_key;
    if (key.empty()) return fail(bad_request("cannot merge lists without merge key for type map"));

    // Directive items first: deletions by key, `$patch: replace` of the whole list.
    json plain = json::array();
    bool replace = false;
    for (const auto& item : patch) {
      auto directive = item.find(kDirective);
      if (directive == item.end()) {
        plain.push_back(item);
      } else if (*directive == "delete") {
        auto value = item.find(key);
        if (value == item.end()) return fail(no_merge_key(item, key));
        json kept = json::array();
        for (auto& live : original) {
          if (!(live.is_object() && live.contains(key) && live[key] == *value)) {
            kept.push_back(std::move(live));
          }
        }
        original = std::move(kept);
      } else if (*directive == "replace") {
        replace = true;
      } else if (*directive == "merge") {
        // Lists with a merge key merge anyway; an item carrying a key still merges.
        if (item.contains(key)) {
          json copy = item;
          copy.erase(kDirective);
          plain.push_back(std::move(copy));
        }
      } else {
        return fail(bad_patch_type(*directive, item));
      }
    }
    if (replace) {
      original = std::move(plain);
      plain = json::array();
      for (auto& item : original) {
        auto cleaned = merge_map(json::object(), item, meta.type);
        if (!cleaned) return fail(std::move(cleaned.error()));
        item = std::move(*cleaned);
      }
    }

    const json server_order = original;
    for (const auto& item : plain) {
      auto value = item.find(key);
      if (value == item.end()) return fail(no_merge_key(item, key));
      std::optional<std::size_t> found;
      for (std::size_t i = 0; i < original.size(); ++i) {
        if (!original[i].is_object()) {
          return fail(bad_request(fmt::format("value for key {} is not a map.", i)));
        }
        auto live_value = original[i].find(key);
        if (live_value != original[i].end() && *live_value == *value) {
          found = i;
          break;
        }
      }
      auto merged =
          merge_map(found ? std::move(original[*found]) : json::object(), item, meta.type);
      if (!merged) return fail(std::move(merged.error()));
      if (found) {
        original[*found] = std::move(*merged);
      } else {
        original.push_back(std::move(*merged));
      }
    }
    return detail::normalize_order(original, plain, server_order, key);
  }

  /// A primitive list with the merge strategy (finalizers): the union of both, no duplicates.
  static Result<json> merge_scalar_set(json original, const json& patch) {
    json merged = json::array();
    for (const json* list : {static_cast<const json*>(&original), &patch}) {
      for (const auto& item : *list) {
        if (std::find(merged.begin(), merged.end(), item) == merged.end()) merged.push_back(item);
      }
    }
    return detail::normalize_order(merged, patch, original, {});
  }

  int depth_ = 0;
};

}  // namespace

Result<nlohmann::json> apply_strategic_merge_patch(const nlohmann::json& doc,
                                                   const nlohmann::json& patch,
                                                   std::string_view kind) {
  try {
    // Go decodes `null` into an empty patch map: nothing to do.
    if (patch.is_null()) return doc;
    if (!patch.is_object()) {
      return fail(bad_request(
          fmt::format("json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                      detail::go_kind(patch))));
    }
    if (!doc.is_object()) return fail(internal_error("invalid JSON document"));
    Merger merger;
    return merger.merge_map(doc, patch, schema::root_type(kind));
  } catch (const std::exception& e) {
    // nlohmann only throws on misuse; keep exceptions out of the API regardless.
    return fail(internal_error(e.what()));
  }
}

}  // namespace kactor::api::patch
