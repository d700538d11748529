// Ordering of merged lists for strategic merge patch (see api/patch/detail/order.hpp).
#include "api/patch/detail/order.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "api/patch/detail/errors.hpp"

namespace kactor::api::patch::detail {
namespace {

using nlohmann::json;

constexpr std::string_view kDirective = "$patch";

/// "Not in the list" for index_of.
constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

/// What identifies a list element: its merge key's value, or the element itself for lists
/// without a merge key. A missing key identifies as null (as upstream's lookup does).
json identity(const json& item, std::string_view merge_key) {
  if (merge_key.empty()) return item;
  if (!item.is_object()) return nullptr;
  auto it = item.find(merge_key);
  return it == item.end() ? json(nullptr) : *it;
}

/// Index of the element with `item`'s identity in `list`, or kNotFound.
std::size_t index_of(const json& list, const json& item, std::string_view merge_key) {
  const json id = identity(item, merge_key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (identity(list[i], merge_key) == id) return i;
  }
  return kNotFound;
}

/// Stable-sorts `items` by their position in `order`; items `order` lacks go last.
std::vector<json> sort_by_order(std::vector<json> items, const json& order,
                                std::string_view merge_key) {
  std::vector<std::pair<std::size_t, json>> ranked;
  ranked.reserve(items.size());
  for (auto& item : items) {
    std::size_t rank = index_of(order, item, merge_key);
    ranked.emplace_back(rank, std::move(item));
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<json> out;
  out.reserve(ranked.size());
  for (auto& [rank, item] : ranked) out.push_back(std::move(item));
  return out;
}

/// Interleaves server-only items (`left`) into the patch's items (`right`), keeping each
/// side's order: a server-only item goes first only when both items were in the live list and
/// it came earlier there. Items new to the list therefore come before later server-only items,
/// exactly as upstream's mergeSortedSlice orders them.
json merge_sorted(const std::vector<json>& left, const std::vector<json>& right,
                  const json& server_order, std::string_view merge_key) {
  json out = json::array();
  std::size_t i = 0, j = 0;
  while (i < left.size() || j < right.size()) {
    if (i >= left.size()) {
      out.push_back(right[j++]);
    } else if (j >= right.size()) {
      out.push_back(left[i++]);
    } else {
      std::size_t li = index_of(server_order, left[i], merge_key);
      std::size_t ri = index_of(server_order, right[j], merge_key);
      if (li != kNotFound && ri != kNotFound && li < ri) {
        out.push_back(left[i++]);
      } else {
        out.push_back(right[j++]);
      }
    }
  }
  return out;
}

bool has_directive(const json& item) {
  return item.is_object() && item.contains(kDirective);
}

}  // namespace

json normalize_order(const json& merged, const json& patch_order, const json& server_order,
                     std::string_view merge_key) {
  std::vector<json> patch_items, server_only;
  for (const auto& item : merged) {
    if (index_of(patch_order, item, merge_key) != kNotFound) {
      patch_items.push_back(item);
    } else {
      server_only.push_back(item);
    }
  }
  patch_items = sort_by_order(std::move(patch_items), patch_order, merge_key);
  server_only = sort_by_order(std::move(server_only), server_order, merge_key);
  return merge_sorted(server_only, patch_items, server_order, merge_key);
}

Result<void> validate_against_order(const json& patch_list, const json& order,
                                    std::string_view merge_key) {
  if (order.empty() || patch_list.empty()) return {};
  std::vector<const json*> items;
  for (const auto& item : patch_list) {
    if (!has_directive(item)) items.push_back(&item);
  }
  std::size_t pi = 0, oi = 0;
  while (pi < items.size() && oi < order.size()) {
    const json& item = *items[pi];
    if (!merge_key.empty()) {
      if (!item.is_object() || !item.contains(merge_key)) {
        return fail(no_merge_key(item, merge_key));
      }
      if (!order[oi].is_object() || !order[oi].contains(merge_key)) {
        return fail(no_merge_key(order[oi], merge_key));
      }
    }
    if (identity(item, merge_key) == identity(order[oi], merge_key)) ++pi;
    ++oi;
  }
  if (pi < items.size()) {
    return fail(bad_request(
        fmt::format("The order in patch list:\n{}\n doesn't match $setElementOrder list:\n{}\n",
                    dump_for_message(patch_list), dump_for_message(order))));
  }
  return {};
}

}  // namespace kactor::api::patch::detail
