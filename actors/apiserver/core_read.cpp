// Core: get and list (selectors, paging, resourceVersion semantics).
#include <charconv>

#include "actors/apiserver/core.hpp"
#include "actors/apiserver/selection.hpp"

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

bool parse_revision(const std::string& s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

}  // namespace

Response Core::get(const api::TypeInfo& type, const Request& req) const {
  const auto* s = tables_.get(type, table_key(type.namespaced ? req.namespace_ : "", req.name));
  if (!s) return error_response(api::not_found(type.resource, req.name, type.group));
  Response r;
  r.object = s->object;
  return r;
}

Response Core::list(const api::TypeInfo& type, const Request& req) const {
  auto selection = Selection::make(type, req.namespace_, req.label_selector, req.field_selector);
  if (!selection) return error_response(selection.error());

  const int64_t now_revision = revision();
  if (!req.resource_version.empty() && req.resource_version != "0") {
    int64_t wanted = 0;
    if (!parse_revision(req.resource_version, wanted))
      return error_response(api::bad_request("invalid resource version: " + req.resource_version));
    if (wanted > now_revision) {
      auto s = api::timeout("Too large resource version: " + req.resource_version +
                            ", current: " + std::to_string(now_revision));
      s.details.causes.push_back({"ResourceVersionTooLarge", "Too large resource version", ""});
      s.details.retry_after_seconds = 1;
      return error_response(s);
    }
    // Lists are served from the latest state; an exact older revision is no longer held.
    if (req.resource_version_match == "Exact" && wanted != now_revision)
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
    if (!selection->matches(*it->second.object)) continue;
    if (req.limit > 0 && static_cast<int64_t>(r.items.size()) == req.limit) {
      r.continue_token = make_continue(now_revision, r.items.empty() ? after : std::prev(it)->first);
      break;
    }
    r.items.push_back(it->second.object);
  }
  return r;
}

}  // namespace kactor::apiserver
