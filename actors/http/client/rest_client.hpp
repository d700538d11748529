// Typed calls on the Kubernetes REST API of a served cluster, over an HttpsClient: objects go
// out and come back through the kinds' JSON codecs, failures come back as the Status the server
// answered (metav1.Status), so callers test them with api::is_not_found and friends exactly as
// they do in process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/http/client/https_client.hpp"
#include "api/object.hpp"

namespace kactor::http::client {

class RestClient {
 public:
  explicit RestClient(ClusterAccess access,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

  api::Result<std::unique_ptr<api::Object>> get(const api::TypeInfo& type,
                                                const std::string& namespace_,
                                                const std::string& name);
  api::Result<std::unique_ptr<api::Object>> create(const api::Object& obj);
  /// PUT with the object's resourceVersion (409 Conflict when stale).
  api::Result<std::unique_ptr<api::Object>> update(const api::Object& obj);
  /// `propagation_policy`: empty (the kind's default), Orphan, Background or Foreground.
  api::Result<void> remove(const api::TypeInfo& type, const std::string& namespace_,
                           const std::string& name, const std::string& propagation_policy = "");
  api::Result<std::vector<std::unique_ptr<api::Object>>> list(const api::TypeInfo& type,
                                                             const std::string& namespace_,
                                                             const std::string& label_selector = "");

  const ClusterAccess& access() const { return http_.access(); }

 private:
  api::Result<std::string> call(const std::string& method, const std::string& target,
                                const std::string& body = "");
  HttpsClient http_;
};

/// The REST path of a kind's collection in a namespace, or of one object when `name` is given:
/// /api/v1/namespaces/default/pods/web-1, /apis/apps/v1/namespaces/x/deployments.
std::string resource_path(const api::TypeInfo& type, const std::string& namespace_,
                          const std::string& name = "");

/// A failed answer as the Status it carries, or one made from the code when it carries none.
api::Status status_from_response(int code, const std::string& body);

/// Query-string escaping (RFC 3986 unreserved characters kept).
std::string url_escape(const std::string& text);

}  // namespace kactor::http::client
