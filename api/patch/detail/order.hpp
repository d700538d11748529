// List order after a strategic merge, following upstream's normalizeElementOrder and
// validatePatchWithSetOrderList. Internal to api/patch*.cpp.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/status.hpp"

namespace kactor::api::patch::detail {

/// Orders the list `merged`: items named in `patch_order` (the patch's list or a
/// `$setElementOrder` list) in that order; the others ("server-only") in their order in
/// `server_order` (the live list), interleaved as upstream's mergeSortedSlice does. Items are
/// identified by `merge_key`'s value, or by their whole value when merge_key is empty.
nlohmann::json normalize_order(const nlohmann::json& merged, const nlohmann::json& patch_order,
                               const nlohmann::json& server_order, std::string_view merge_key);

/// The items of a patch list (deletions and other `$patch` items aside) must all appear in the
/// `$setElementOrder` list `order`, in the same relative order; BadRequest otherwise.
Result<void> validate_against_order(const nlohmann::json& patch_list, const nlohmann::json& order,
                                    std::string_view merge_key);

}  // namespace kactor::api::patch::detail
