// api::Status as the metav1.Status document kubectl reads from a failed request.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "api/status.hpp"

namespace kactor::http {

/// {kind: Status, apiVersion: v1, metadata: {}, status: Failure, message, reason, details, code}.
nlohmann::json status_json(const api::Status& status);

/// The Status kubectl prints for a successful DELETE of an object that is gone at once when the
/// client asked for no object back is not used: DELETE answers the object, as upstream does.
/// This one is a Success Status ({status: Success}), for endpoints that answer no object.
nlohmann::json success_status_json(const std::string& name, const std::string& group,
                                   const std::string& kind, const std::string& uid);

}  // namespace kactor::http
