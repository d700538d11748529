#include "actors/client/scale.hpp"

#include <nlohmann/json.hpp>

#include "api/labels/selector.hpp"
#include "api/types/workloads.hpp"

namespace kactor::client {

namespace {

std::string selector_text(const std::optional<api::LabelSelector>& selector) {
  if (!selector) return "";
  auto s = api::labels::Selector::from_label_selector(*selector);
  return s ? s->to_string() : "";
}

template <class T>
Scale scale_from(const T& obj) {
  return Scale{obj.spec.replicas.value_or(1), obj.status.replicas, selector_text(obj.spec.selector)};
}

}  // namespace

bool scalable(const api::TypeInfo& type) {
  if (type.group.empty()) return type.resource == "replicationcontrollers";
  return type.group == "apps" &&
         (type.resource == "replicasets" || type.resource == "deployments" ||
          type.resource == "statefulsets");
}

std::optional<Scale> scale_of(const api::Object& obj) {
  if (const auto* rc = api::as<api::ReplicationController>(obj))
    return Scale{rc->spec.replicas.value_or(1), rc->status.replicas,
                 rc->spec.selector.empty()
                     ? ""
                     : api::labels::Selector::from_set(rc->spec.selector).to_string()};
  if (const auto* rs = api::as<api::ReplicaSet>(obj)) return scale_from(*rs);
  if (const auto* d = api::as<api::Deployment>(obj)) return scale_from(*d);
  return std::nullopt;
}

apiserver::Request scale_update(const api::TypeInfo& type, const std::string& namespace_,
                                const std::string& name, int64_t replicas,
                                const std::string& resource_version, bool dry_run) {
  nlohmann::json patch = {{"spec", {{"replicas", replicas}}}};
  if (!resource_version.empty()) patch["metadata"] = {{"resourceVersion", resource_version}};
  apiserver::Request r;
  r.verb = apiserver::Verb::patch;
  r.group = type.group;
  r.resource = type.resource;
  r.namespace_ = namespace_;
  r.name = name;
  r.patch_type = "application/merge-patch+json";
  r.patch_body = patch.dump();
  r.dry_run = dry_run;
  return r;
}

}  // namespace kactor::client
