// Errors as values, shaped like Kubernetes' metav1.Status.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "api/describe.hpp"

namespace kactor::api {

/// One field-level reason inside an Invalid (or other) Status.
struct StatusCause {
  std::string reason;   // e.g. "FieldValueInvalid", "FieldValueRequired"
  std::string message;  // e.g. "Invalid value: \"x\": must be ..."
  std::string field;    // e.g. "spec.containers[0].name"
  bool operator==(const StatusCause&) const = default;
};

struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;
  std::string uid;
  std::vector<StatusCause> causes;
  int32_t retry_after_seconds = 0;
  bool operator==(const StatusDetails&) const = default;
};

/// A failed API call. `status` is always "Failure"; success is the absence of a Status.
struct Status {
  int32_t code = 500;   // HTTP code: 400, 403, 404, 409, 410, 415, 422, 500, ...
  std::string reason;   // NotFound, AlreadyExists, Conflict, Invalid, Forbidden, Expired, BadRequest, ...
  std::string message;  // the human text kubectl prints
  StatusDetails details;
  bool operator==(const Status&) const = default;
};

/// Every fallible function in kactor returns Result<T>: a value or a Status.
template <class T>
using Result = std::expected<T, Status>;

/// std::unexpected<Status> helper, so `return fail(not_found(...));` reads well.
inline std::unexpected<Status> fail(Status s) { return std::unexpected<Status>(std::move(s)); }

template <class V>
void describe(V& v, StatusCause& x) {
  v("reason", x.reason);
  v("message", x.message);
  v("field", x.field);
}
template <class V>
void describe(V& v, StatusDetails& x) {
  v("name", x.name);
  v("group", x.group);
  v("kind", x.kind);
  v("uid", x.uid);
  v("causes", x.causes);
  v("retryAfterSeconds", x.retry_after_seconds);
}
template <class V>
void describe(V& v, Status& x) {
  v("code", x.code, keep_zero);
  v("reason", x.reason);
  v("message", x.message);
  v("details", x.details);
}

// -- constructors for the upstream reasons (messages as kube-apiserver words them) --

/// `resource` is the plural lower-case resource ("pods"), `group` empty for the core group.
Status not_found(const std::string& resource, const std::string& name,
                 const std::string& group = "");
Status already_exists(const std::string& resource, const std::string& name,
                      const std::string& group = "");
Status conflict(const std::string& resource, const std::string& name,
                const std::string& detail =
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again",
                const std::string& group = "");
/// `kind` is the Kind ("Pod"); message "Pod \"x\" is invalid: [cause; cause]".
Status invalid(const std::string& kind, const std::string& name, std::vector<StatusCause> causes,
               const std::string& group = "");
Status forbidden(const std::string& resource, const std::string& name, const std::string& why,
                 const std::string& group = "");
Status bad_request(const std::string& message);
/// A resource (or subresource) nothing serves: "the server could not find the requested
/// resource".
Status resource_not_found();
Status expired(const std::string& message);
Status unsupported_media_type(const std::string& content_type);
Status internal_error(const std::string& message);
Status timeout(const std::string& message);
/// 503: what the answer needs is not reachable now (a kubelet, the metrics server, a
/// restarting API server); clients retry.
Status service_unavailable(const std::string& message);

// -- predicates, as upstream's apierrors.IsNotFound and friends: by reason, so a Status that
// crossed a process boundary answers the same --

bool is_not_found(const Status& s);
bool is_already_exists(const Status& s);
/// A stale resourceVersion or uid precondition (409 Conflict; not AlreadyExists).
bool is_conflict(const Status& s);
bool is_invalid(const Status& s);
bool is_bad_request(const Status& s);
bool is_forbidden(const Status& s);
bool is_expired(const Status& s);
bool is_timeout(const Status& s);
bool is_internal_error(const Status& s);

// -- causes, named after upstream field.Error types --

StatusCause field_required(const std::string& field, const std::string& detail = "");
StatusCause field_invalid(const std::string& field, const std::string& value_repr,
                          const std::string& detail);
StatusCause field_not_supported(const std::string& field, const std::string& value_repr,
                                const std::vector<std::string>& valid);
StatusCause field_duplicate(const std::string& field, const std::string& value_repr);
StatusCause field_forbidden(const std::string& field, const std::string& detail);
StatusCause field_too_long(const std::string& field, const std::string& value_repr, size_t max);
StatusCause field_unknown(const std::string& field);

}  // namespace kactor::api
