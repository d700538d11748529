#include "api/status.hpp"

#include <fmt/format.h>

namespace kactor::api {
namespace {

std::string qualified(const std::string& resource, const std::string& group) {
  return group.empty() ? resource : resource + "." + group;
}

Status make(int32_t code, std::string reason, std::string message, std::string name = "",
            std::string kind = "", std::string group = "") {
  Status s;
  s.code = code;
  s.reason = std::move(reason);
  s.message = std::move(message);
  s.details.name = std::move(name);
  s.details.kind = std::move(kind);
  s.details.group = std::move(group);
  return s;
}

}  // namespace

Status not_found(const std::string& resource, const std::string& name, const std::string& group) {
  return make(404, "NotFound", fmt::format("{} \"{}\" not found", qualified(resource, group), name),
              name, resource, group);
}

Status already_exists(const std::string& resource, const std::string& name,
                      const std::string& group) {
  return make(409, "AlreadyExists",
              fmt::format("{} \"{}\" already exists", qualified(resource, group), name), name,
              resource, group);
}

Status conflict(const std::string& resource, const std::string& name, const std::string& detail,
                const std::string& group) {
  return make(409, "Conflict",
              fmt::format("Operation cannot be fulfilled on {} \"{}\": {}",
                          qualified(resource, group), name, detail),
              name, resource, group);
}

Status invalid(const std::string& kind, const std::string& name, std::vector<StatusCause> causes,
               const std::string& group) {
  // Upstream prints one error bare and several as "[a, b]".
  std::string listed;
  for (size_t i = 0; i < causes.size(); ++i) {
    if (i > 0) listed += ", ";
    listed +=
        causes[i].field.empty() ? causes[i].message : causes[i].field + ": " + causes[i].message;
  }
  if (causes.size() != 1) listed = "[" + listed + "]";
  std::string qualified_kind = group.empty() ? kind : kind + "." + group;
  auto s =
      make(422, "Invalid", fmt::format("{} \"{}\" is invalid: {}", qualified_kind, name, listed),
           name, kind, group);
  s.details.causes = std::move(causes);
  return s;
}

Status forbidden(const std::string& resource, const std::string& name, const std::string& why,
                 const std::string& group) {
  // As upstream's NewForbidden: no quotes without a name (a list), no resource without one.
  std::string message = resource.empty() ? fmt::format("forbidden: {}", why)
                        : name.empty()
                            ? fmt::format("{} is forbidden: {}", qualified(resource, group), why)
                            : fmt::format("{} \"{}\" is forbidden: {}", qualified(resource, group),
                                          name, why);
  return make(403, "Forbidden", std::move(message), name, resource, group);
}

Status bad_request(const std::string& message) {
  return make(400, "BadRequest", message);
}
Status resource_not_found() {
  return make(404, "NotFound", "the server could not find the requested resource");
}
Status expired(const std::string& message) {
  return make(410, "Expired", message);
}
Status unsupported_media_type(const std::string& content_type) {
  return make(415, "UnsupportedMediaType",
              fmt::format("the body of the request was in an unknown format - accepted media "
                          "types include: application/json, application/yaml, "
                          "application/merge-patch+json, application/json-patch+json, "
                          "application/strategic-merge-patch+json (got {})",
                          content_type));
}
Status internal_error(const std::string& message) {
  return make(500, "InternalError", "Internal error occurred: " + message);
}
Status timeout(const std::string& message) {
  return make(504, "Timeout", message);
}
Status service_unavailable(const std::string& message) {
  return make(503, "ServiceUnavailable", message);
}

StatusCause field_required(const std::string& field, const std::string& detail) {
  return {"FieldValueRequired", detail.empty() ? "Required value" : "Required value: " + detail,
          field};
}

StatusCause field_invalid(const std::string& field, const std::string& value_repr,
                          const std::string& detail) {
  std::string msg = "Invalid value: " + value_repr;
  if (!detail.empty()) msg += ": " + detail;
  return {"FieldValueInvalid", msg, field};
}

StatusCause field_not_supported(const std::string& field, const std::string& value_repr,
                                const std::vector<std::string>& valid) {
  std::string msg = "Unsupported value: " + value_repr;
  if (!valid.empty()) {
    msg += ": supported values: ";
    for (size_t i = 0; i < valid.size(); ++i) {
      if (i > 0) msg += ", ";
      msg += "\"" + valid[i] + "\"";
    }
  }
  return {"FieldValueNotSupported", msg, field};
}

StatusCause field_duplicate(const std::string& field, const std::string& value_repr) {
  return {"FieldValueDuplicate", "Duplicate value: " + value_repr, field};
}

StatusCause field_forbidden(const std::string& field, const std::string& detail) {
  return {"FieldValueForbidden", "Forbidden: " + detail, field};
}

StatusCause field_too_long(const std::string& field, const std::string& value_repr, size_t max) {
  return {"FieldValueTooLong", fmt::format("Too long: may not be more than {} bytes", max), field};
}

StatusCause field_unknown(const std::string& field) {
  return {"FieldValueUnknown", fmt::format("unknown field \"{}\"", field), field};
}

}  // namespace kactor::api

namespace kactor::api {
namespace {

/// As upstream's ReasonForError: the reason decides; a Status without one falls back to its
/// code.
bool has_reason(const Status& s, std::string_view reason, int32_t code) {
  return s.reason.empty() ? s.code == code : s.reason == reason;
}

}  // namespace

bool is_not_found(const Status& s) { return has_reason(s, "NotFound", 404); }
bool is_already_exists(const Status& s) { return s.reason == "AlreadyExists"; }
bool is_conflict(const Status& s) { return has_reason(s, "Conflict", 409); }
bool is_invalid(const Status& s) { return has_reason(s, "Invalid", 422); }
bool is_bad_request(const Status& s) { return has_reason(s, "BadRequest", 400); }
bool is_forbidden(const Status& s) { return has_reason(s, "Forbidden", 403); }
bool is_expired(const Status& s) { return has_reason(s, "Expired", 410) || s.reason == "Gone"; }
bool is_timeout(const Status& s) { return has_reason(s, "Timeout", 504); }
bool is_internal_error(const Status& s) { return has_reason(s, "InternalError", 500); }

}  // namespace kactor::api
