// Core: create, update, update_status, patch, bind, finalize.
#include <nlohmann/json.hpp>

#include "actors/apiserver/core.hpp"
#include "api/codec/object_codec.hpp"
#include "api/patch/patch.hpp"
#include "api/resource_version.hpp"
#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::apiserver {
namespace {

/// What the API server resets on create, as upstream's pod strategy does (PrepareForCreate,
/// which runs after mutating admission: the QoS class reflects requests and limits that
/// admission defaulted).
void prepare_pod_for_create(api::Pod& pod) {
  pod.status = api::PodStatus{};
  pod.status.phase = "Pending";
  pod.status.qos_class = api::qos_class(pod.spec);
}

std::unique_ptr<api::Object> clone_request_object(const api::TypeInfo& type, const Request& req,
                                                  std::optional<api::Status>& error) {
  if (!req.object) {
    error = api::bad_request("the request has no object");
    return nullptr;
  }
  if (&req.object->type() != &type) {
    error = api::bad_request("the object is a " + req.object->type().kind + ", not a " +
                             type.kind);
    return nullptr;
  }
  return type.clone(*req.object);
}

Response invalid_response(const api::TypeInfo& type, const std::string& name,
                          std::vector<api::StatusCause> causes) {
  return error_response(api::invalid(type.kind, name, std::move(causes), type.group));
}

}  // namespace

Response Core::create(const api::TypeInfo& type, const Request& req) {
  std::optional<api::Status> error;
  auto obj = clone_request_object(type, req, error);
  if (!obj) return error_response(*error);
  auto& meta = obj->metadata;
  // What is stored is the object's name: a request naming another one is a mistake (or a
  // node's attempt to pass the gate with its own name on another's object).
  if (!req.name.empty() && !meta.name.empty() && meta.name != req.name)
    return error_response(api::bad_request("the name of the object (" + meta.name +
                                           ") does not match the name on the URL (" + req.name +
                                           ")"));
  if (type.namespaced) {
    if (meta.namespace_.empty()) meta.namespace_ = req.namespace_;
    else if (!req.namespace_.empty() && meta.namespace_ != req.namespace_)
      return error_response(api::bad_request(
          "the namespace of the provided object does not match the namespace sent on the "
          "request"));
    if (meta.namespace_.empty()) meta.namespace_ = "default";
  } else {
    meta.namespace_.clear();
  }
  // A generated name found free here is not looked up again below.
  std::string free_name;
  if (meta.name.empty() && !meta.generate_name.empty()) {
    // Retry a few suffixes on collision, as the names are random.
    for (int attempt = 0; attempt < 8; ++attempt) {
      meta.name = meta.generate_name + random_.name_suffix(5);
      if (!tables_.get(type, table_key(meta.namespace_, meta.name))) {
        free_name = meta.name;
        break;
      }
    }
  }
  // Server-managed metadata.
  meta.uid = random_.uuid();
  meta.creation_timestamp = now_seconds();
  meta.resource_version.clear();
  meta.deletion_timestamp.reset();
  meta.deletion_grace_period_seconds.reset();
  meta.generation = type.tracks_generation ? 1 : 0;

  type.set_defaults(*obj);

  AdmissionRequest admission{Operation::create, type, meta.namespace_, meta.name, obj.get(),
                             nullptr, false, clock_.now()};
  if (auto refused = admission_.admit(admission, tables_)) return error_response(*refused);
  if (auto* pod = api::as<api::Pod>(*obj)) prepare_pod_for_create(*pod);

  if (auto causes = type.validate(*obj, nullptr); !causes.empty())
    return invalid_response(type, meta.name, std::move(causes));

  std::string key = table_key(meta.namespace_, meta.name);
  if (meta.name != free_name && tables_.get(type, key))
    return error_response(api::already_exists(type.resource, meta.name, type.group));
  ExtraWrites extra;  // e.g. the quotas this create is charged to
  if (auto refused = admission_.validate(admission, tables_, extra))
    return error_response(*refused);

  // Service ClusterIP/NodePorts (allocators/): taken here, given back unless stored.
  auto taken = services_.on_create(*obj);
  if (!taken) return error_response(taken.error());
  Response r;
  if (req.dry_run) {
    services_.release(*taken);
    r.object = api::ObjectPtr(std::move(obj));
    return r;
  }
  auto stored = stage_put(type, std::move(obj), nullptr);
  if (!stored) {
    services_.release(*taken);
    return error_response(stored.error());
  }
  if (auto failed = stage_extra(std::move(extra))) return error_response(*failed);
  r.object = *stored;
  if (&type == &api::Namespace::static_type()) create_default_service_account(r.object->metadata.name);
  return r;
}

void Core::create_default_service_account(const std::string& namespace_) {
  if (tables_.find(api::ServiceAccount::static_type(), namespace_, "default")) return;
  auto sa = std::make_shared<api::ServiceAccount>();
  sa->metadata.name = "default";
  sa->metadata.namespace_ = namespace_;
  Request req;
  req.verb = Verb::create;
  req.resource = "serviceaccounts";
  req.namespace_ = namespace_;
  req.object = std::move(sa);
  create(api::ServiceAccount::static_type(), req);
}

Response Core::update(const api::TypeInfo& type, const Request& req, bool status) {
  std::optional<api::Status> error;
  auto obj = clone_request_object(type, req, error);
  if (!obj) return error_response(*error);
  auto& meta = obj->metadata;
  const std::string ns = type.namespaced ? (meta.namespace_.empty() ? req.namespace_ : meta.namespace_) : "";
  if (!req.name.empty() && meta.name != req.name)
    return error_response(api::bad_request("the name of the object (" + meta.name +
                                           ") does not match the name on the URL (" + req.name +
                                           ")"));
  if (type.namespaced && !req.namespace_.empty() && ns != req.namespace_)
    return error_response(api::bad_request(
        "the namespace of the provided object does not match the namespace sent on the request"));
  const auto* current = tables_.get(type, table_key(ns, meta.name));
  if (!current) return error_response(api::not_found(type.resource, meta.name, type.group));
  const api::ObjectPtr before = current->object();
  const int64_t before_revision = current->revision();
  const auto& old = *before;
  if (!meta.resource_version.empty() && !api::parse_resource_version(meta.resource_version))
    return error_response(api::invalid_resource_version(meta.resource_version));
  if (!meta.resource_version.empty() && meta.resource_version != old.metadata.resource_version)
    return error_response(api::conflict(type.resource, meta.name,
                                        "the object has been modified; please apply your "
                                        "changes to the latest version and try again",
                                        type.group));
  meta.namespace_ = ns;

  if (status) {
    // The status subresource changes status only: spec and metadata stay as stored.
    type.copy_spec(old, *obj);
    obj->metadata = old.metadata;
  } else {
    if (type.has_status) type.copy_status(old, *obj);
    // A namespace's finalizers change only through namespaces/finalize.
    if (auto* ns_obj = api::as<api::Namespace>(*obj))
      ns_obj->spec.finalizers = static_cast<const api::Namespace&>(old).spec.finalizers;
    // Server-managed metadata cannot be changed through an update.
    meta.creation_timestamp = old.metadata.creation_timestamp;
    meta.deletion_timestamp = old.metadata.deletion_timestamp;
    meta.deletion_grace_period_seconds = old.metadata.deletion_grace_period_seconds;
    meta.generation = old.metadata.generation;
    if (meta.uid.empty()) meta.uid = old.metadata.uid;
    // Service (allocators/): an update omitting clusterIP/nodePorts keeps the stored ones.
    services_.prepare_update(*obj, old);
    type.set_defaults(*obj);
    if (type.tracks_generation && !type.spec_equal(*obj, old)) meta.generation += 1;
  }
  obj->metadata.resource_version = old.metadata.resource_version;

  AdmissionRequest admission{Operation::update, type, ns, obj->metadata.name, obj.get(), &old,
                             status, clock_.now()};
  if (auto refused = admission_.admit(admission, tables_)) return error_response(*refused);
  if (auto causes = status ? type.validate_status(*obj, old) : type.validate(*obj, &old);
      !causes.empty())
    return invalid_response(type, obj->metadata.name, std::move(causes));
  ExtraWrites extra;  // e.g. the quotas a grown Service or claim is charged to
  if (auto refused = admission_.validate(admission, tables_, extra))
    return error_response(*refused);
  // Service (allocators/): take NodePorts/ClusterIP the update adds; afterwards give back
  // what it took if nothing was stored, else what the old object held and the new does not.
  auto taken = services_.on_update(*obj, old);
  if (!taken) return error_response(taken.error());
  const bool is_service = api::as<api::Service>(*obj) != nullptr;
  // What is stored afterwards is looked up again (`current` is gone if a last finalizer
  // went), only when something depends on it.
  const bool needs_now = is_service || !extra.empty();
  const std::string key = needs_now ? table_key(ns, obj->metadata.name) : std::string();
  auto r = commit_update(type, *current, std::move(obj), req.dry_run);
  const auto* now = needs_now ? tables_.get(type, key) : nullptr;
  if (is_service) {
    if (r.error || req.dry_run || !now) services_.release(*taken);
    else
      services_.release_difference(*before, *now->object());
  }
  // Charge only what was stored (a no-op update stages nothing and charges nothing).
  if (!r.error && !req.dry_run && now && now->revision() != before_revision)
    if (auto failed = stage_extra(std::move(extra))) return error_response(*failed);
  return r;
}

std::optional<api::Status> Core::stage_extra(ExtraWrites extra) {
  for (auto& obj : extra) {
    const auto& type = obj->type();
    const auto* current = tables_.get(type, table_key(obj->metadata.namespace_, obj->metadata.name));
    // The plugin read the object in this same request: anything else is a bug, not a race.
    if (!current || std::to_string(current->revision()) != obj->metadata.resource_version)
      return api::internal_error("admission wrote a stale " + type.kind + " " +
                                 obj->metadata.name);
    auto stored = stage_put(type, std::move(obj), current);
    if (!stored) return stored.error();
  }
  return std::nullopt;
}

Response Core::commit_update(const api::TypeInfo& type, const StoredObject& current,
                             std::unique_ptr<api::Object> next, bool dry_run) {
  // An object being deleted goes once its last finalizer is gone (and, for a pod, once
  // its grace period has been cut to zero by the kubelet).
  const auto& m = next->metadata;
  bool namespace_finalizers_pending = false;
  if (const auto* ns = api::as<api::Namespace>(*next))
    namespace_finalizers_pending = !ns->spec.finalizers.empty();
  if (m.deletion_timestamp && m.finalizers.empty() && !namespace_finalizers_pending &&
      m.deletion_grace_period_seconds.value_or(0) == 0)
    return remove_now(type, current, dry_run);

  Response r;
  auto current_object = current.object();
  if (type.equal(*next, *current_object)) {
    r.object = std::move(current_object);  // no change, no new revision
    return r;
  }
  if (dry_run) {
    r.object = api::ObjectPtr(std::move(next));
    return r;
  }
  auto stored = stage_put(type, std::move(next), &current);
  if (!stored) return error_response(stored.error());
  r.object = *stored;
  return r;
}

Response Core::patch(const api::TypeInfo& type, const Request& req, bool status) {
  const auto* current =
      tables_.get(type, table_key(type.namespaced ? req.namespace_ : "", req.name));
  if (!current) return error_response(api::not_found(type.resource, req.name, type.group));
  auto doc = api::encode_json(*current->object());
  auto patched = api::patch::apply_patch(req.patch_type, doc, req.patch_body, type.kind);
  if (!patched) return error_response(patched.error());
  auto obj = api::decode_json(*patched, api::DecodeOptions{.strict = req.strict}, &type);
  if (!obj) return error_response(obj.error());
  // A patch may carry a resourceVersion precondition; without one it applies to the
  // current object.
  if ((*obj)->metadata.resource_version.empty())
    (*obj)->metadata.resource_version = std::to_string(current->revision());
  Request update_req = req;
  update_req.object = api::ObjectPtr(std::move(*obj));
  return update(type, update_req, status);
}

Response Core::bind(const Request& req) {
  const auto& pod_type = api::Pod::static_type();
  auto* binding = req.object ? api::as<api::Binding>(*req.object) : nullptr;
  if (!binding) return error_response(api::bad_request("a Binding object is required"));
  std::string name = binding->metadata.name.empty() ? req.name : binding->metadata.name;
  std::string ns = req.namespace_.empty() ? binding->metadata.namespace_ : req.namespace_;
  const auto* current = tables_.get(pod_type, table_key(ns, name));
  if (!current) return error_response(api::not_found("pods", name));
  if (binding->target.name.empty())
    return error_response(api::invalid("Binding", name,
                                       {api::field_required("target.name")}));
  const auto pod_ptr = current->object();
  const auto& pod = static_cast<const api::Pod&>(*pod_ptr);
  if (pod.metadata.deletion_timestamp)
    return error_response(api::conflict("pods/binding", name,
                                        "pod " + name + " is being deleted, cannot be assigned to a host"));
  if (!pod.spec.node_name.empty())
    return error_response(api::conflict(
        "pods/binding", name,
        "pod " + name + " is already assigned to node \"" + pod.spec.node_name + "\""));
  auto next = std::make_unique<api::Pod>(pod);
  next->spec.node_name = binding->target.name;
  api::PodCondition scheduled;
  scheduled.type = "PodScheduled";
  scheduled.status = "True";
  scheduled.last_transition_time = now_seconds();
  bool replaced = false;
  for (auto& c : next->status.conditions)
    if (c.type == "PodScheduled") {
      c = scheduled;
      replaced = true;
    }
  if (!replaced) next->status.conditions.push_back(scheduled);
  return commit_update(pod_type, *current, std::move(next), req.dry_run);
}

Response Core::finalize(const Request& req) {
  const auto& ns_type = api::Namespace::static_type();
  auto* wanted = req.object ? api::as<api::Namespace>(*req.object) : nullptr;
  if (!wanted) return error_response(api::bad_request("a Namespace object is required"));
  const auto* current = tables_.get(ns_type, req.name.empty() ? wanted->metadata.name : req.name);
  if (!current)
    return error_response(api::not_found("namespaces", req.name.empty() ? wanted->metadata.name : req.name));
  auto next =
      std::make_unique<api::Namespace>(static_cast<const api::Namespace&>(*current->object()));
  next->spec.finalizers = wanted->spec.finalizers;
  return commit_update(ns_type, *current, std::move(next), req.dry_run);
}

}  // namespace kactor::apiserver
