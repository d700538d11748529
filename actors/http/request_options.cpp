#include "actors/http/request_options.hpp"

#include <charconv>

#include "actors/http/tables/table.hpp"

namespace kactor::http {
namespace {

api::Status invalid_parameter(const std::string& name, const std::string& value,
                              const std::string& why) {
  return api::bad_request("invalid value for query parameter \"" + name + "\": \"" + value +
                          "\": " + why);
}

api::Result<int64_t> parse_int(const std::string& name, const std::string& value) {
  int64_t out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size())
    return api::fail(invalid_parameter(name, value, "not an integer"));
  return out;
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

api::Result<RequestOptions> parse_request_options(const Query& q) {
  RequestOptions o;
  if (auto v = find(q, "labelSelector")) o.label_selector = *v;
  if (auto v = find(q, "fieldSelector")) o.field_selector = *v;
  if (auto v = find(q, "continue")) o.continue_token = *v;
  if (auto v = find(q, "resourceVersion")) o.resource_version = *v;
  if (auto v = find(q, "resourceVersionMatch")) o.resource_version_match = *v;
  if (auto v = find(q, "limit"); v && !v->empty()) {
    auto n = parse_int("limit", *v);
    if (!n) return api::fail(n.error());
    if (*n < 0) return api::fail(invalid_parameter("limit", *v, "must not be negative"));
    o.limit = *n;
  }
  for (auto [key, field] : {std::pair{"watch", &o.watch}, {"allowWatchBookmarks", &o.allow_bookmarks}}) {
    if (auto v = find(q, key); v && !v->empty()) {
      auto b = parse_query_bool(*v);
      if (!b) return api::fail(invalid_parameter(key, *v, "not a boolean"));
      *field = *b;
    }
  }
  if (auto v = find(q, "timeoutSeconds"); v && !v->empty()) {
    auto n = parse_int("timeoutSeconds", *v);
    if (!n) return api::fail(n.error());
    if (*n < 0) return api::fail(invalid_parameter("timeoutSeconds", *v, "must not be negative"));
    o.timeout = std::chrono::seconds(*n);
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
  if (auto v = find(q, "gracePeriodSeconds"); v && !v->empty()) {
    auto n = parse_int("gracePeriodSeconds", *v);
    if (!n) return api::fail(n.error());
    o.grace_period_seconds = *n;
  }
  if (auto v = find(q, "propagationPolicy")) o.propagation_policy = *v;
  if (auto v = find(q, "orphanDependents"); v && !v->empty() && o.propagation_policy.empty()) {
    auto b = parse_query_bool(*v);
    if (!b) return api::fail(invalid_parameter("orphanDependents", *v, "not a boolean"));
    o.propagation_policy = *b ? "Orphan" : "Background";
  }
  if (auto v = find(q, "includeObject"); v && !v->empty()) {
    if (auto ok = tables::parse_include_object(*v); !ok) return api::fail(ok.error());
    o.include_object = *v;
  }
  return o;
}

}  // namespace kactor::http
