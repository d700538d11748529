// Core: construction, loading, bootstrap, dispatch and the shared write helper.
#include "actors/apiserver/core.hpp"

#include <fmt/format.h>

#include "actors/apiserver/protocol/eviction_request.hpp"
#include "actors/apiserver/protocol/token_request.hpp"
#include "actors/apiserver/request_options.hpp"
#include "api/codec/object_codec.hpp"
#include "api/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::apiserver {
namespace {

/// This start's generator. It depends on the seed and on how often the store has been
/// opened, so a fresh cluster with a given seed is reproducible, while a cluster restarted
/// on its data directory draws a new stream: the UIDs (and generated names) it hands out
/// are not those of the objects it already has.
Random random_for_this_start(const Random& seeded, const store::Store& store) {
  return seeded.fork("start-" + std::to_string(store.open_count()));
}

}  // namespace

Response error_response(api::Status status) {
  Response r;
  r.error = std::move(status);
  return r;
}

Core::Core(store::Store& store, const Clock& clock, Random random, AdmissionChain admission,
           allocators::ServiceAllocatorOptions services, TokenOptions tokens)
    : store_(store),
      clock_(clock),
      random_(random_for_this_start(random, store)),
      admission_(std::move(admission)),
      tables_(&store),
      services_(services, random_.fork("service-allocators")),
      tokens_(std::move(tokens)) {
  staged_.batch = store_.begin(clock_.now().time_since_epoch().count() / 1000000);
}

std::optional<api::Status> Core::load() {
  std::string after;
  for (;;) {
    auto page = store_.range("", after, 1000);
    if (!page) return api::internal_error("loading the store: " + page.error().message);
    for (auto& rec : page->records) {
      auto [type, key] = parse_store_key(rec.key);
      if (!type) continue;  // a resource this build does not know: keep it, don't serve it
      auto obj = type->from_msgpack(rec.value);
      if (!obj) return api::internal_error("decoding " + rec.key + ": " + obj.error().message);
      (*obj)->metadata.resource_version = std::to_string(rec.mod_revision);
      if (auto* pod = api::as<api::Pod>(**obj)) pod_specs_.share(*pod);
      tables_.put(*type, key, api::ObjectPtr(std::move(*obj)), nullptr, rec.mod_revision);
      // Durable, as loaded: a kind the tables do not keep decoded is read from the store.
      tables_.committed(*type, key, rec.mod_revision);
    }
    if (!page->more || page->records.empty()) break;
    after = page->records.back().key;
  }
  // Service allocations are rebuilt from the stored Services, so they survive restarts.
  return services_.restore(tables_);
}

void Core::committed(const std::vector<Change>& changes) {
  for (const auto& change : changes) {
    const auto& ev = *change.event;
    // Only the kinds the tables do not keep decoded have anything to drop: no key is built
    // for the rest, which are nearly every write.
    if (ev.type == WatchEvent::Type::deleted || !keeps_encoded(ev.object->type())) continue;
    const auto& meta = ev.object->metadata;
    tables_.committed(ev.object->type(), table_key(meta.namespace_, meta.name),
                      static_cast<int64_t>(ev.revision));
  }
}

void Core::bootstrap() {
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    if (tables_.find(api::Namespace::static_type(), "", name)) {
      // A data directory written before namespaces came with their ServiceAccount.
      create_default_service_account(name);
      continue;
    }
    auto ns = std::make_shared<api::Namespace>();
    ns->metadata.name = name;
    Request req;
    req.verb = Verb::create;
    req.resource = "namespaces";
    req.object = ns;
    handle(req);
  }
  // The two system priority classes every cluster has.
  struct SystemClass {
    const char* name;
    int32_t value;
    const char* description;
  };
  for (auto c : {SystemClass{"system-node-critical", 2000001000,
                             "Used for system critical pods that must not be moved from their "
                             "current node."},
                 SystemClass{"system-cluster-critical", 2000000000,
                             "Used for system critical pods that must run in the cluster, but "
                             "can be moved to another node if necessary."}}) {
    if (tables_.find(api::PriorityClass::static_type(), "", c.name)) continue;
    auto pc = std::make_shared<api::PriorityClass>();
    pc->metadata.name = c.name;
    pc->value = c.value;
    pc->description = c.description;
    Request req;
    req.verb = Verb::create;
    req.group = "scheduling.k8s.io";
    req.resource = "priorityclasses";
    req.object = pc;
    handle(req);
  }
}

const api::TypeInfo* Core::resolve(const Request& req, std::optional<api::Status>& error) const {
  const auto* type = api::Registry::builtin().by_resource(req.group, req.resource);
  if (!type) error = api::resource_not_found();
  return type;
}

Response Core::handle(const Request& req) {
  std::optional<api::Status> error;
  // serviceaccounts/<name>/token answers with a TokenRequest, which is no stored kind.
  if (is_token_request(req)) return token(req);
  // pods/<name>/eviction answers with a Status, deleting the pod if its budget allows.
  if (is_eviction_request(req)) return evict(req);
  const auto* type = resolve(req, error);
  if (!type) return error_response(*error);
  if ((req.verb == Verb::update_status || req.verb == Verb::patch_status) && !type->has_status)
    return error_response(api::resource_not_found());
  // Binding and finalizing are subresources of one kind each (pods/binding,
  // namespaces/finalize): asked of another resource, they would act on whatever pod or
  // namespace the body names (a node allowed to write its own Node could bind any pod).
  const bool core_kind = type->group.empty();
  if ((req.verb == Verb::bind && !(core_kind && type->resource == "pods")) ||
      (req.verb == Verb::finalize && !(core_kind && type->resource == "namespaces")))
    return error_response(api::resource_not_found());
  switch (req.verb) {
    case Verb::get: return get(*type, req);
    case Verb::list: return list(*type, req);
    case Verb::create: return create(*type, req);
    case Verb::update: return update(*type, req, false);
    case Verb::update_status: return update(*type, req, true);
    case Verb::patch: return patch(*type, req, false);
    case Verb::patch_status: return patch(*type, req, true);
    case Verb::remove: return remove(*type, req);
    case Verb::bind: return bind(req);
    case Verb::finalize: return finalize(req);
  }
  return error_response(api::bad_request("unknown verb"));
}

PendingCommit Core::take_commit() {
  PendingCommit out = std::move(staged_);
  staged_ = PendingCommit{};
  staged_.batch = store_.begin(clock_.now().time_since_epoch().count() / 1000000);
  return out;
}

api::Time Core::now_seconds() const {
  return api::Time{std::chrono::floor<std::chrono::seconds>(clock_.now())};
}

api::Result<api::ObjectPtr> Core::stage_put(const api::TypeInfo& type,
                                            std::unique_ptr<api::Object> obj,
                                            const StoredObject* current) {
  const int64_t revision = store_.prepared_revision() + 1;
  obj->metadata.resource_version = std::to_string(revision);
  std::string key = table_key(obj->metadata.namespace_, obj->metadata.name);
  if (auto* pod = api::as<api::Pod>(*obj)) pod_specs_.share(*pod);
  std::string bytes;
  type.to_msgpack(*obj, bytes);
  if (bytes.size() > kMaxObjectBytes)
    return api::fail(request_entity_too_large(
        fmt::format("the object is {} bytes, over the {} the store keeps", bytes.size(),
                    kMaxObjectBytes)));
  auto pre = current ? store::Precondition::mod_revision_equals(current->revision())
                     : store::Precondition::must_not_exist();
  auto encoded = std::make_shared<const std::string>(bytes);
  auto outcome = staged_.batch.put(store_key(type, key), std::move(bytes), pre);
  if (!outcome) return api::fail(api::internal_error("store: " + outcome.error().message));
  api::ObjectPtr stored(std::move(obj));
  auto ev = std::make_shared<WatchEvent>();
  ev->encoded = std::move(encoded);
  ev->type = current ? WatchEvent::Type::modified : WatchEvent::Type::added;
  ev->revision = outcome->revision;
  ev->object = stored;
  staged_.changes.push_back(Change{ev, current ? current->object() : nullptr});
  tables_.put(type, key, stored, ev->encoded, outcome->revision, current);
  return stored;
}

}  // namespace kactor::apiserver
