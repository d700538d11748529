// Core: get and list (selectors, paging, resourceVersion semantics).
#include "actors/apiserver/core.hpp"
#include "actors/apiserver/selection.hpp"
#include "api/resource_version.hpp"

namespace kactor::apiserver {
namespace {

/// Continue tokens are "<revision>:<last key>", opaque to clients.
std::string make_continue(int64_t revision, const std::string& last_key) {
  return std::to_string(revision) + ":" + last_key;
}

bool parse_continue(const std::string& token, std::string& last_key) {
  auto colon = token.find(':');
  if (colon == std::string::npos) return false;
  last_key = token.substr(colon + 1);
  return true;
}

}  // namespace

Response Core::get(const api::TypeInfo& type, const Request& req) const {
  const auto* s = tables_.get(type, table_key(type.namespaced ? req.namespace_ : "", req.name));
  if (!s) return error_response(api::not_found(type.resource, req.name, type.group));
  Response r;
  r.object = s->object();
  return r;
}

Response Core::list(const api::TypeInfo& type, const Request& req) const {
  auto selection = Selection::make(type, req.namespace_, req.label_selector, req.field_selector);
  if (!selection) return error_response(selection.error());

  const int64_t now_revision = revision();
  if (!req.resource_version.empty() && req.resource_version != "0") {
    const auto wanted = api::parse_resource_version(req.resource_version);
    if (!wanted) return error_response(api::invalid_resource_version(req.resource_version));
    if (*wanted > static_cast<uint64_t>(now_revision))
      return error_response(api::too_large_resource_version(req.resource_version, now_revision));
    // Lists are served from the latest state; an exact older revision is no longer held.
    if (req.resource_version_match == "Exact" && *wanted != static_cast<uint64_t>(now_revision))
      return error_response(api::expired("too old resource version: " + req.resource_version +
                                         " (" + std::to_string(now_revision) + ")"));
  }

  std::string after;
  if (!req.continue_token.empty() && !parse_continue(req.continue_token, after))
    return error_response(api::bad_request("continue key is not valid: " + req.continue_token));

  const auto& table = tables_.table(type);
  std::string prefix = type.namespaced && !req.namespace_.empty() ? req.namespace_ + "/" : "";
  auto it = after.empty() ? table.lower_bound(prefix) : table.upper_bound(after);
  Response r;
  r.resource_version = std::to_string(now_revision);
  for (; it != table.end() && it->first.starts_with(prefix); ++it) {
    auto obj = it->second.object();  // Events are decoded here (object_tables.hpp)
    if (!selection->matches(*obj)) continue;
    if (req.limit > 0 && static_cast<int64_t>(r.items.size()) == req.limit) {
      r.continue_token = make_continue(now_revision, r.items.empty() ? after : std::prev(it)->first);
      break;
    }
    r.items.push_back(std::move(obj));
  }
  return r;
}

}  // namespace kactor::apiserver
