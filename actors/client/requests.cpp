#include "actors/client/requests.hpp"

#include "api/types/binding.hpp"
#include "api/types/pod.hpp"

namespace kactor::client {

using apiserver::Request;
using apiserver::Verb;

Request request_for(Verb verb, const api::TypeInfo& type, const std::string& namespace_,
                    const std::string& name) {
  Request req;
  req.verb = verb;
  req.group = type.group;
  req.resource = type.resource;
  req.namespace_ = namespace_;
  req.name = name;
  return req;
}

Request request_with(Verb verb, const api::Object& obj) {
  return request_with(verb, api::ObjectPtr(obj.type().clone(obj)));
}

Request request_with(Verb verb, api::ObjectPtr obj) {
  auto req = request_for(verb, obj->type(), obj->metadata.namespace_, obj->metadata.name);
  req.object = std::move(obj);
  return req;
}

Request delete_request(const api::TypeInfo& type, const std::string& namespace_,
                       const std::string& name, const DeleteOptions& options) {
  auto req = request_for(Verb::remove, type, namespace_, name);
  req.grace_period_seconds = options.grace_period_seconds;
  req.propagation_policy = options.propagation_policy;
  req.precondition_uid = options.precondition_uid;
  req.precondition_resource_version = options.precondition_resource_version;
  req.dry_run = options.dry_run;
  return req;
}

Request list_request(const api::TypeInfo& type, const std::string& namespace_,
                     const ListOptions& options) {
  auto req = request_for(Verb::list, type, namespace_, "");
  req.label_selector = options.label_selector;
  req.field_selector = options.field_selector;
  req.limit = options.limit;
  req.continue_token = options.continue_token;
  req.resource_version = options.resource_version;
  req.resource_version_match = options.resource_version_match;
  return req;
}

Request binding_request(const std::string& namespace_, const std::string& pod,
                        const std::string& node, const std::string& pod_uid) {
  auto binding = std::make_shared<api::Binding>();
  binding->metadata.namespace_ = namespace_;
  binding->metadata.name = pod;
  binding->metadata.uid = pod_uid;
  binding->target.kind = "Node";
  binding->target.name = node;
  auto req = request_for(Verb::bind, api::Pod::static_type(), namespace_, pod);
  req.object = std::move(binding);
  return req;
}

}  // namespace kactor::client
