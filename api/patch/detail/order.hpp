// List order after a strategic merge, following upstream's normalizeElementOrder and
// validatePatchWithSetOrderList, and the hashed lookups that keep merging lists linear.
// Internal to api/patch*.cpp.
#pragma once

#include <cstddef>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "api/status.hpp"

namespace kactor::api::patch::detail {

/// Hashes JSON values consistently with their operator==: numbers by value whatever their
/// representation (1 and 1.0 are equal, as Go decodes both to float64). Iterative.
struct ValueHash {
  std::size_t operator()(const nlohmann::json& v) const;
};

/// Values to their first position in a list.
using PositionIndex = std::unordered_map<nlohmann::json, std::size_t, ValueHash>;

/// What identifies a list element: its merge key's value, or the element itself for lists
/// without a merge key. A missing key identifies as null (as upstream's lookup does).
nlohmann::json identity(const nlohmann::json& item, std::string_view merge_key);

/// The identities of `list`'s elements to the position of their first occurrence.
PositionIndex index_by_identity(const nlohmann::json& list, std::string_view merge_key);

/// Orders the list `merged`: items named in `patch_order` (the patch's list or a
/// `$setElementOrder` list) in that order; the others ("server-only") in their order in
/// `server_order` (the live list), interleaved as upstream's mergeSortedSlice does. Items are
/// identified by `merge_key`'s value, or by their whole value when merge_key is empty.
/// Linear in the lists' lengths (plus the sort).
nlohmann::json normalize_order(const nlohmann::json& merged, const nlohmann::json& patch_order,
                               const nlohmann::json& server_order, std::string_view merge_key);

/// The items of a patch list (deletions and other `$patch` items aside) must all appear in the
/// `$setElementOrder` list `order`, in the same relative order; BadRequest otherwise.
Result<void> validate_against_order(const nlohmann::json& patch_list, const nlohmann::json& order,
                                    std::string_view merge_key);

}  // namespace kactor::api::patch::detail
