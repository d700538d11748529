// The one place API server Requests are built from client-side options: the blocking
// client, the asynchronous client and the components that talk to the API server
// directly (the scheduler's binder) all build them here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/apiserver/protocol/protocol.hpp"

namespace kactor::client {

/// A page of a list, typed.
template <class T>
struct ListResult {
  std::vector<std::shared_ptr<const T>> items;
  std::string resource_version;
  std::string continue_token;
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;
  std::string continue_token;
  std::string resource_version;
  std::string resource_version_match;
};

struct DeleteOptions {
  std::optional<int64_t> grace_period_seconds;
  std::string propagation_policy;
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;
};

/// A request about one object (or, with an empty name, a collection) of `type`.
apiserver::Request request_for(apiserver::Verb verb, const api::TypeInfo& type,
                               const std::string& namespace_, const std::string& name);
/// A request carrying `obj` (create, update, update_status): names it and takes a copy.
apiserver::Request request_with(apiserver::Verb verb, const api::Object& obj);
/// The same, sharing an object the caller no longer changes.
apiserver::Request request_with(apiserver::Verb verb, api::ObjectPtr obj);
apiserver::Request delete_request(const api::TypeInfo& type, const std::string& namespace_,
                                  const std::string& name, const DeleteOptions& options);
apiserver::Request list_request(const api::TypeInfo& type, const std::string& namespace_,
                                const ListOptions& options);
/// pods/binding: a Binding naming `node`; with `pod_uid`, bound only if the pod still has it.
apiserver::Request binding_request(const std::string& namespace_, const std::string& pod,
                                   const std::string& node, const std::string& pod_uid = "");

}  // namespace kactor::client
