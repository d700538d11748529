// Strategic merge patch, applied server-side the way k8s.io/apimachinery's strategicpatch
// package applies it (mergeMap with MergeParallelList and IgnoreUnmatchedNulls).
#include <algorithm>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/codec/json_guard.hpp"
#include "api/codec/limits.hpp"
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

/// The field a parallel directive ("$setElementOrder/containers") refers to, or empty when the
/// key is malformed (no "/<field>" after the prefix).
std::string_view directive_field(std::string_view key, std::string_view prefix) {
  if (key.size() <= prefix.size() + 1 || !key.starts_with(prefix) || key[prefix.size()] != '/') {
    return {};
  }
  return key.substr(prefix.size() + 1);
}

// -- merging --

/// True for the keys of a patch map that are directives about the map rather than fields.
bool is_map_directive(const std::string& key) {
  return key == kDirective || key == kRetainKeys || key.starts_with(kSetElementOrder);
}

/// The merge key values of the items of a list (`$patch: delete` items, ...), for lookups.
using ValueSet = std::unordered_set<json, detail::ValueHash>;

/// Merges a patch into a live object, in place, without recursion: the work is a stack of
/// tasks, so a patch nested as deep as limits::kMaxDepth costs no stack (a CAF worker may
/// have only 2 MiB). Each task works on its own subtree of the result; a task that must see
/// its subtrees merged first (ordering a merged list) is pushed below their tasks. Every step
/// is linear in the size of the patch and of the part of the live object it touches: lists
/// are matched through hash indexes and the patch is never copied level by level.
class Merger {
 public:
  /// Merges the patch object `patch` into `doc`, of schema type `type`. On an error `doc` is
  /// left half-merged: callers merge into a copy.
  Result<void> run(json& doc, const json& patch, std::string_view type) {
    tasks_.push_back(MergeMap{&doc, &patch, type, false, 1});
    while (!tasks_.empty()) {
      Task task = std::move(tasks_.back());
      tasks_.pop_back();
      auto done = std::visit([this](auto& t) { return step(t); }, task);
      if (!done) return done;
    }
    return {};
  }

 private:
  /// Merge the patch map `patch` into `*target` (made an object first).
  struct MergeMap {
    json* target;
    const json* patch;
    std::string_view type;
    bool ignore_directive;  // `$patch: replace` was handled already
    int depth;
  };
  /// The fields of `patch` (second half of MergeMap, after `$setElementOrder` lists).
  struct MergeFields {
    json* target;
    const json* patch;
    std::string_view type;
    int depth;
    std::shared_ptr<const std::unordered_set<std::string>> ordered;  // merged already
  };
  /// `*slot` becomes the patch value `value`, its directives resolved.
  struct Fresh {
    json* slot;
    const json* value;
    FieldMeta meta;
    int depth;
  };
  /// Merge the patch list `patch` into the list `*target` (a field with the merge strategy).
  struct MergeList {
    json* target;
    const json* patch;
    FieldMeta meta;
    int depth;
  };
  /// Work that needs its subtrees merged first.
  using Finish = std::function<Result<void>()>;
  using Task = std::variant<MergeMap, MergeFields, Fresh, MergeList, Finish>;

  /// Pushes `tasks` so that they run in their order.
  void push_in_order(std::vector<Task>& tasks) {
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) tasks_.push_back(std::move(*it));
  }

  static Result<void> check_depth(int depth) {
    // The callers bounded the patch's depth already; this keeps any input from growing the
    // task stack without bound all the same.
    if (depth > limits::kMaxDepth) return fail(detail::too_deep());
    return {};
  }

  Result<void> step(MergeMap& t) {
    if (auto r = check_depth(t.depth); !r) return r;
    json& target = *t.target;
    const json& patch = *t.patch;
    if (!target.is_object()) target = json::object();

    if (auto it = patch.find(kDirective); it != patch.end() && !t.ignore_directive) {
      // "replace": the patch's map (directives resolved) replaces the original one.
      if (*it == "replace") {
        target = json::object();
      } else if (*it == "delete") {
        target = json::object();
        return {};
      } else if (*it != "merge") {
        // "merge" asks for what happens anyway (upstream rejects it on maps; we are lenient).
        return fail(bad_patch_type(*it, patch));
      }
    }
    if (auto r = apply_retain_keys(target, patch); !r) return r;

    // `$setElementOrder/<field>` lists merge and order their fields before the other fields
    // are merged (a `$deleteFromPrimitiveList` then applies to the ordered list).
    auto ordered = std::make_shared<std::unordered_set<std::string>>();
    std::vector<Task> first;
    for (const auto& [directive, order] : patch.items()) {
      if (!directive.starts_with(kSetElementOrder)) continue;
      if (auto r = set_element_order(target, patch, directive, order, t, *ordered, first); !r) {
        return r;
      }
    }
    tasks_.push_back(MergeFields{t.target, t.patch, t.type, t.depth, std::move(ordered)});
    push_in_order(first);
    return {};
  }

  Result<void> step(MergeFields& t) {
    json& target = *t.target;
    std::vector<Task> children;
    for (const auto& [key, value] : t.patch->items()) {
      if (is_map_directive(key) || t.ordered->contains(key)) continue;
      if (key.starts_with(kDeleteFromPrimitiveList)) {
        if (auto r = delete_from_primitive_list(target, key, value); !r) return r;
        continue;
      }
      if (value.is_null()) {
        target.erase(key);  // a null deletes; a null for an absent key is ignored
        continue;
      }
      const FieldMeta meta = schema::lookup(t.type, key);
      // Pointers to the values of an object stay valid while other keys come and go.
      auto current = target.find(key);
      if (current == target.end()) {
        children.push_back(Fresh{&target[key], &value, meta, t.depth});
      } else if (current->is_object() && value.is_object()) {
        children.push_back(MergeMap{&*current, &value, meta.type, false, t.depth + 1});
      } else if (current->is_array() && value.is_array() && meta.strategy == ListStrategy::merge) {
        children.push_back(MergeList{&*current, &value, meta, t.depth + 1});
      } else {
        // Scalars, replaced lists and values whose type changed: the patch's value wins.
        children.push_back(Fresh{&*current, &value, meta, t.depth});
      }
    }
    push_in_order(children);
    return {};
  }

  /// A patch value with nothing to merge into. Upstream stores it verbatim; we resolve its
  /// directives against an empty value so no "$patch"/"$setElementOrder" keys reach the
  /// stored object.
  Result<void> step(Fresh& t) {
    if (t.value->is_object()) {
      *t.slot = json::object();
      tasks_.push_back(MergeMap{t.slot, t.value, t.meta.type, false, t.depth + 1});
    } else if (t.value->is_array() && t.meta.strategy == ListStrategy::merge) {
      *t.slot = json::array();
      tasks_.push_back(MergeList{t.slot, t.value, t.meta, t.depth + 1});
    } else {
      *t.slot = *t.value;
    }
    return {};
  }

  Result<void> step(Finish& t) { return t(); }

  /// `$retainKeys: [..]`: clears the original's keys not listed; every key the patch sets must
  /// be listed.
  static Result<void> apply_retain_keys(json& original, const json& patch) {
    auto it = patch.find(kRetainKeys);
    if (it == patch.end()) return {};
    if (!it->is_array()) return fail(bad_retain_keys());
    std::unordered_set<std::string> retained;
    for (const auto& key : *it) {
      if (key.is_string()) retained.insert(key.get<std::string>());
    }
    for (const auto& [key, value] : patch.items()) {
      if (value.is_null() || is_map_directive(key) || key.starts_with(kDeleteFromPrimitiveList)) {
        continue;
      }
      if (!retained.contains(key)) return fail(bad_retain_keys());
    }
    for (auto entry = original.begin(); entry != original.end();) {
      entry = retained.contains(entry.key()) ? std::next(entry) : original.erase(entry);
    }
    return {};
  }

  /// `$setElementOrder/<field>: [..]`: merges <field> (if the patch has it) and orders the
  /// result: listed items in the listed order, server-only items kept near their live place.
  /// Adds the tasks to `tasks` and the field (when the patch merges it) to `ordered`.
  Result<void> set_element_order(json& target, const json& patch, const std::string& directive,
                                 const json& order, const MergeMap& t,
                                 std::unordered_set<std::string>& ordered,
                                 std::vector<Task>& tasks) {
    const std::string field{directive_field(directive, kSetElementOrder)};
    if (field.empty() || !order.is_array()) return fail(bad_set_element_order());

    auto live = target.find(field);
    auto patched = patch.find(field);
    const bool has_live = live != target.end();
    const bool has_patch = patched != patch.end();
    if (has_live && !live->is_array()) return fail(bad_set_element_order());
    if (has_patch && !patched->is_array()) return fail(bad_set_element_order());
    if (!has_live && !has_patch) return {};

    const FieldMeta meta = schema::lookup(t.type, field);
    const std::string_view merge_key =
        meta.strategy == ListStrategy::merge ? meta.merge_key : std::string_view{};
    if (has_patch) {
      if (auto r = detail::validate_against_order(*patched, order, merge_key); !r) return r;
    }

    // The merged list is built aside, then ordered into the field.
    struct Lists {
      json live;
      json merged;
    };
    auto lists = std::make_shared<Lists>();
    lists->live = has_live ? *live : json::array();
    if (!has_patch) {
      lists->merged = lists->live;
    } else if (!has_live) {
      tasks.push_back(Fresh{&lists->merged, &*patched, meta, t.depth});
    } else if (meta.strategy == ListStrategy::merge) {
      lists->merged = lists->live;
      tasks.push_back(MergeList{&lists->merged, &*patched, meta, t.depth + 1});
    } else {
      lists->merged = *patched;
    }
    if (has_patch) ordered.insert(field);
    json* target_ptr = &target;
    tasks.push_back(Finish{[lists, target_ptr, field, merge_key, &order]() -> Result<void> {
      if (!merge_key.empty()) {
        for (const auto& item : lists->merged) {
          if (!item.is_object() || !item.contains(merge_key)) {
            return fail(no_merge_key(item, merge_key));
          }
        }
      }
      (*target_ptr)[field] = detail::normalize_order(lists->merged, order, lists->live, merge_key);
      return {};
    }});
    return {};
  }

  /// `$deleteFromPrimitiveList/<field>: [..]` removes those values from a primitive list.
  static Result<void> delete_from_primitive_list(json& original, const std::string& key,
                                                 const json& values) {
    const std::string field{directive_field(key, kDeleteFromPrimitiveList)};
    if (field.empty() || !values.is_array()) return fail(bad_primitive_list());
    ValueSet doomed;
    for (const auto& v : values) {
      if (v.is_structured()) return fail(bad_primitive_list());
      doomed.insert(v);
    }
    auto live = original.find(field);
    // Nothing to delete from (upstream would store the deletion list itself here).
    if (live == original.end() || !live->is_array()) return {};
    for (const auto& item : *live) {
      if (item.is_structured()) return fail(bad_primitive_list());
    }
    json kept = json::array();
    for (auto& item : *live) {
      if (!doomed.contains(item)) kept.push_back(std::move(item));
    }
    *live = std::move(kept);
    return {};
  }

  Result<void> step(MergeList& t) {
    if (auto r = check_depth(t.depth); !r) return r;
    json& original = *t.target;
    const json& patch = *t.patch;
    if (original.empty() && patch.empty()) return {};

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
    if (!any_object) {
      original = merge_scalar_set(original, patch);
      return {};
    }

    const std::string_view key = t.meta.merge_key;
    if (key.empty()) return fail(bad_request("cannot merge lists without merge key for type map"));

    // Directive items first: deletions by key, `$patch: replace` of the whole list. The
    // items to merge point into the patch, or into `owned` for the ones rewritten here.
    struct Items {
      std::deque<json> owned;  // stable addresses while tasks point into it
      std::vector<const json*> plain;
      json server_order;  // the live list before merging
      json patch_order;   // {key: value} of each plain item, for ordering
    };
    auto items = std::make_shared<Items>();
    ValueSet deleted;
    bool replace = false;
    for (const auto& item : patch) {
      auto directive = item.find(kDirective);
      if (directive == item.end()) {
        items->plain.push_back(&item);
      } else if (*directive == "delete") {
        auto value = item.find(key);
        if (value == item.end()) return fail(no_merge_key(item, key));
        deleted.insert(*value);
      } else if (*directive == "replace") {
        replace = true;
      } else if (*directive == "merge") {
        // Lists with a merge key merge anyway; an item carrying a key still merges.
        if (item.contains(key)) {
          json& copy = items->owned.emplace_back(item);
          copy.erase(kDirective);
          items->plain.push_back(&copy);
        }
      } else {
        return fail(bad_patch_type(*directive, item));
      }
    }
    if (!deleted.empty()) {
      json kept = json::array();
      for (auto& live : original) {
        const auto value = live.is_object() ? live.find(key) : live.end();
        if (!live.is_object() || value == live.end() || !deleted.contains(*value)) {
          kept.push_back(std::move(live));
        }
      }
      original = std::move(kept);
    }

    std::vector<Task> merges;
    if (replace) {
      // The patch's items, directives resolved, replace the list (already in order).
      original = json::array();
      for (std::size_t i = 0; i < items->plain.size(); ++i) original.push_back(json::object());
      for (std::size_t i = 0; i < items->plain.size(); ++i) {
        merges.push_back(MergeMap{&original[i], items->plain[i], t.meta.type, false, t.depth + 1});
      }
      merges.push_back(Finish{[items] { return Result<void>(); }});  // keeps `owned` alive
      push_in_order(merges);
      return {};
    }

    // Each patch item merges into the live item with its key (the first of duplicates, as a
    // front-to-back search finds it) or into a new item at the end.
    items->server_order = original;
    items->patch_order = json::array();
    detail::PositionIndex live_index;
    if (!items->plain.empty()) {
      for (std::size_t i = 0; i < original.size(); ++i) {
        if (!original[i].is_object()) {
          return fail(bad_request(fmt::format("value for key {} is not a map.", i)));
        }
        if (auto value = original[i].find(key); value != original[i].end()) {
          live_index.emplace(*value, i);
        }
      }
    }
    std::vector<std::size_t> positions;
    for (const json* item : items->plain) {
      auto value = item->find(key);
      if (value == item->end()) return fail(no_merge_key(*item, key));
      items->patch_order.push_back(json::object({{std::string(key), *value}}));
      auto [found, added] = live_index.emplace(*value, original.size());
      if (added) original.push_back(json::object());
      positions.push_back(found->second);
    }
    // All items exist now, so pointers to them stay valid until the list is reordered.
    for (std::size_t i = 0; i < positions.size(); ++i) {
      merges.push_back(
          MergeMap{&original[positions[i]], items->plain[i], t.meta.type, false, t.depth + 1});
    }
    json* target = t.target;
    merges.push_back(Finish{[items, target, key]() -> Result<void> {
      *target = detail::normalize_order(*target, items->patch_order, items->server_order, key);
      return {};
    }});
    push_in_order(merges);
    return {};
  }

  /// A primitive list with the merge strategy (finalizers): the union of both, no duplicates.
  static json merge_scalar_set(const json& original, const json& patch) {
    json merged = json::array();
    ValueSet seen;
    for (const json* list : {&original, &patch}) {
      for (const auto& item : *list) {
        if (seen.insert(item).second) merged.push_back(item);
      }
    }
    return detail::normalize_order(merged, patch, original, {});
  }

  std::vector<Task> tasks_;
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
    // Bounded although the merge does not recurse: copies and comparisons of its values do.
    if (json_guard::measure(patch).depth > limits::kMaxDepth) return fail(detail::too_deep());
    json result = doc;
    Merger merger;
    if (auto r = merger.run(result, patch, schema::root_type(kind)); !r) {
      return fail(std::move(r.error()));
    }
    return result;
  } catch (const std::exception& e) {
    // nlohmann only throws on misuse; keep exceptions out of the API regardless.
    return fail(internal_error(e.what()));
  }
}

}  // namespace kactor::api::patch
