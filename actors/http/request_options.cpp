#include "actors/http/request_options.hpp"

#include <charconv>

#include "actors/http/tables/table.hpp"

namespace kactor::http {
namespace {

api::Status invalid_parameter(std::string_view name, const std::string& value,
                              const std::string& why) {
  return api::bad_request("invalid value for query parameter \"" + std::string(name) + "\": \"" +
                          value + "\": " + why);
}

const std::string* find(const Query& q, std::string_view key) {
  auto it = q.find(key);
  return it == q.end() ? nullptr : &it->second;
}

}  // namespace

std::optional<bool> parse_query_bool(std::string_view t) {
  if (t == "1" || t == "t" || t == "T" || t == "true" || t == "TRUE" || t == "True") return true;
  if (t == "0" || t == "f" || t == "F" || t == "false" || t == "FALSE" || t == "False")
    return false;
  return std::nullopt;
}

api::Result<std::optional<int64_t>> query_int(const Query& q, std::string_view name) {
  const auto* v = find(q, name);
  if (!v || v->empty()) return std::optional<int64_t>();
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size())
    return api::fail(invalid_parameter(name, *v, "not an integer"));
  return std::optional<int64_t>(out);
}

api::Result<std::optional<bool>> query_bool(const Query& q, std::string_view name) {
  const auto* v = find(q, name);
  if (!v || v->empty()) return std::optional<bool>();
  auto b = parse_query_bool(*v);
  if (!b) return api::fail(invalid_parameter(name, *v, "not a boolean"));
  return b;
}

api::Result<RequestOptions> parse_request_options(const Query& q) {
  RequestOptions o;
  if (auto v = find(q, "labelSelector")) o.label_selector = *v;
  if (auto v = find(q, "fieldSelector")) o.field_selector = *v;
  if (auto v = find(q, "continue")) o.continue_token = *v;
  if (auto v = find(q, "resourceVersion")) o.resource_version = *v;
  if (auto v = find(q, "resourceVersionMatch")) o.resource_version_match = *v;
  auto limit = query_int(q, "limit");
  if (!limit) return api::fail(limit.error());
  if (*limit) {
    if (**limit < 0) return api::fail(invalid_parameter("limit", *find(q, "limit"), "must not be negative"));
    o.limit = **limit;
  }
  for (auto [key, field] : {std::pair{"watch", &o.watch}, {"allowWatchBookmarks", &o.allow_bookmarks}}) {
    auto b = query_bool(q, key);
    if (!b) return api::fail(b.error());
    if (*b) *field = **b;
  }
  auto timeout = query_int(q, "timeoutSeconds");
  if (!timeout) return api::fail(timeout.error());
  if (*timeout) {
    if (**timeout < 0)
      return api::fail(invalid_parameter("timeoutSeconds", *find(q, "timeoutSeconds"), "must not be negative"));
    o.timeout = std::chrono::seconds(**timeout);
  }
  if (auto v = find(q, "dryRun"); v && !v->empty()) {
    if (*v != "All")
      return api::fail(api::bad_request("Invalid dryRun value: \"" + *v +
                                        "\": supported values: \"All\""));
    o.dry_run = true;
  }
  if (auto v = find(q, "fieldValidation"); v && !v->empty()) {
    if (*v == "Strict")
      o.field_validation = FieldValidation::strict;
    else if (*v == "Warn")
      o.field_validation = FieldValidation::warn;
    else if (*v == "Ignore")
      o.field_validation = FieldValidation::ignore;
    else
      return api::fail(api::bad_request("fieldValidation must be one of \"Ignore\", \"Warn\" or "
                                        "\"Strict\", not \"" + *v + "\""));
  }
  auto grace = query_int(q, "gracePeriodSeconds");
  if (!grace) return api::fail(grace.error());
  o.grace_period_seconds = *grace;
  if (auto v = find(q, "propagationPolicy")) o.propagation_policy = *v;
  auto orphan = query_bool(q, "orphanDependents");
  if (!orphan) return api::fail(orphan.error());
  if (*orphan && o.propagation_policy.empty()) o.propagation_policy = **orphan ? "Orphan" : "Background";
  if (auto v = find(q, "includeObject"); v && !v->empty()) {
    if (auto ok = tables::parse_include_object(*v); !ok) return api::fail(ok.error());
    o.include_object = *v;
  }
  return o;
}

}  // namespace kactor::http
