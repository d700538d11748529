// Ordering of merged lists for strategic merge patch (see api/patch/detail/order.hpp).
#include "api/patch/detail/order.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "api/patch/detail/errors.hpp"

namespace kactor::api::patch::detail {
namespace {

using nlohmann::json;

constexpr std::string_view kDirective = "$patch";

/// "Not in the list": sorts after every position.
constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

std::size_t position_in(const PositionIndex& index, const json& item, std::string_view merge_key) {
  const auto it = index.find(identity(item, merge_key));
  return it == index.end() ? kNotFound : it->second;
}

/// Stable-sorts `items` by their position in `order`; items `order` lacks go last.
std::vector<json> sort_by_order(std::vector<json> items, const PositionIndex& order,
                                std::string_view merge_key) {
  std::vector<std::pair<std::size_t, json>> ranked;
  ranked.reserve(items.size());
  for (auto& item : items) {
    const std::size_t rank = position_in(order, item, merge_key);
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
json merge_sorted(std::vector<json> left, std::vector<json> right, const PositionIndex& server,
                  std::string_view merge_key) {
  json out = json::array();
  std::size_t i = 0, j = 0;
  while (i < left.size() || j < right.size()) {
    if (i >= left.size()) {
      out.push_back(std::move(right[j++]));
    } else if (j >= right.size()) {
      out.push_back(std::move(left[i++]));
    } else {
      const std::size_t li = position_in(server, left[i], merge_key);
      const std::size_t ri = position_in(server, right[j], merge_key);
      if (li != kNotFound && ri != kNotFound && li < ri) {
        out.push_back(std::move(left[i++]));
      } else {
        out.push_back(std::move(right[j++]));
      }
    }
  }
  return out;
}

bool has_directive(const json& item) {
  return item.is_object() && item.contains(kDirective);
}

}  // namespace

std::size_t ValueHash::operator()(const json& v) const {
  // Hashes the pre-order walk of the value: types, keys and scalars in sequence.
  std::size_t h = 0;
  auto mix = [&h](std::size_t x) { h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  std::vector<const json*> pending{&v};
  while (!pending.empty()) {
    const json* at = pending.back();
    pending.pop_back();
    if (at->is_number()) {
      mix(std::hash<double>{}(at->get<double>()));
      continue;
    }
    mix(static_cast<std::size_t>(at->type()));
    if (at->is_object()) {
      mix(at->size());
      for (auto it = at->begin(); it != at->end(); ++it) {
        mix(std::hash<std::string>{}(it.key()));
        pending.push_back(&it.value());
      }
    } else if (at->is_array()) {
      mix(at->size());
      for (const auto& item : *at) pending.push_back(&item);
    } else if (at->is_string()) {
      mix(std::hash<std::string>{}(at->get_ref<const std::string&>()));
    } else if (at->is_boolean()) {
      mix(at->get<bool>() ? 1 : 2);
    }
  }
  return h;
}

json identity(const json& item, std::string_view merge_key) {
  if (merge_key.empty()) return item;
  if (!item.is_object()) return nullptr;
  auto it = item.find(merge_key);
  return it == item.end() ? json(nullptr) : *it;
}

PositionIndex index_by_identity(const json& list, std::string_view merge_key) {
  PositionIndex index;
  index.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) index.emplace(identity(list[i], merge_key), i);
  return index;
}

json normalize_order(const json& merged, const json& patch_order, const json& server_order,
                     std::string_view merge_key) {
  const PositionIndex patch_index = index_by_identity(patch_order, merge_key);
  const PositionIndex server_index = index_by_identity(server_order, merge_key);
  std::vector<json> patch_items, server_only;
  for (const auto& item : merged) {
    if (position_in(patch_index, item, merge_key) != kNotFound) {
      patch_items.push_back(item);
    } else {
      server_only.push_back(item);
    }
  }
  patch_items = sort_by_order(std::move(patch_items), patch_index, merge_key);
  server_only = sort_by_order(std::move(server_only), server_index, merge_key);
  return merge_sorted(std::move(server_only), std::move(patch_items), server_index, merge_key);
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
