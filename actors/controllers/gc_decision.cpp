#include "actors/controllers/gc_decision.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace kactor::actors::controllers::gc {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// metadata.<field> as the API server would serve it (the value a JSON patch `test` sees).
nlohmann::json metadata_field(const api::Object& obj, const char* field) {
  nlohmann::json doc;
  obj.type().to_json(obj, doc);
  auto meta = doc.find("metadata");
  if (meta == doc.end()) return nullptr;
  auto it = meta->find(field);
  return it == meta->end() ? nlohmann::json(nullptr) : *it;
}

std::string test_then_replace(const char* path, const nlohmann::json& old_value,
                              const nlohmann::json& new_value) {
  nlohmann::json patch = nlohmann::json::array();
  patch.push_back({{"op", "test"}, {"path", path}, {"value", old_value}});
  if (new_value.is_array() && new_value.empty())
    patch.push_back({{"op", "remove"}, {"path", path}});
  else
    patch.push_back({{"op", "replace"}, {"path", path}, {"value", new_value}});
  return patch.dump();
}

}  // namespace

bool has_finalizer(const api::ObjectMeta& meta, const std::string& finalizer) {
  return contains(meta.finalizers, finalizer);
}

bool deleting_dependents(const api::ObjectMeta& meta) {
  return meta.deletion_timestamp && has_finalizer(meta, kForegroundFinalizer);
}

bool orphaning_dependents(const api::ObjectMeta& meta) {
  return meta.deletion_timestamp && has_finalizer(meta, kOrphanFinalizer);
}

std::string propagation_from_finalizers(const api::ObjectMeta& meta) {
  if (has_finalizer(meta, kOrphanFinalizer)) return "Orphan";
  if (has_finalizer(meta, kForegroundFinalizer)) return "Foreground";
  return "Background";
}

Decision decide(const api::Object& item, const std::vector<ClassifiedOwner>& owners,
                bool has_dependents, bool a_dependent_deletes_dependents) {
  std::vector<std::string> dangling, waiting;
  bool solid = false;
  for (const auto& o : owners) {
    switch (o.state) {
      case OwnerState::solid: solid = true; break;
      case OwnerState::dangling: dangling.push_back(o.ref.uid); break;
      case OwnerState::waiting_for_dependents: waiting.push_back(o.ref.uid); break;
    }
  }
  Decision d;
  if (solid) {
    // Another owner keeps it alive: it only stops pointing at the owners that are gone or
    // going (so a foreground owner does not wait for it).
    d.owner_uids = dangling;
    d.owner_uids.insert(d.owner_uids.end(), waiting.begin(), waiting.end());
    d.action = d.owner_uids.empty() ? Decision::Action::keep : Decision::Action::drop_references;
    return d;
  }
  d.action = Decision::Action::remove;
  if (!waiting.empty() && has_dependents) {
    // An owner waits for it and it has dependents of its own: delete it in the foreground
    // too, so the wait covers the whole tree.
    d.propagation = "Foreground";
    if (a_dependent_deletes_dependents) d.unblock_owner_uids = waiting;
    return d;
  }
  d.propagation = propagation_from_finalizers(item.metadata);
  return d;
}

std::string drop_references_patch(const api::Object& obj,
                                  const std::vector<std::string>& owner_uids) {
  auto old_refs = metadata_field(obj, "ownerReferences");
  nlohmann::json kept = nlohmann::json::array();
  if (old_refs.is_array())
    for (const auto& r : old_refs)
      if (!contains(owner_uids, r.value("uid", ""))) kept.push_back(r);
  return test_then_replace("/metadata/ownerReferences", old_refs, kept);
}

std::string unblock_references_patch(const api::Object& obj,
                                     const std::vector<std::string>& owner_uids) {
  auto old_refs = metadata_field(obj, "ownerReferences");
  nlohmann::json next = old_refs;
  if (next.is_array())
    for (auto& r : next)
      if (contains(owner_uids, r.value("uid", ""))) r["blockOwnerDeletion"] = false;
  return test_then_replace("/metadata/ownerReferences", old_refs, next);
}

std::string remove_finalizer_patch(const api::Object& obj, const std::string& finalizer) {
  auto old_list = metadata_field(obj, "finalizers");
  nlohmann::json kept = nlohmann::json::array();
  if (old_list.is_array())
    for (const auto& f : old_list)
      if (f != finalizer) kept.push_back(f);
  return test_then_replace("/metadata/finalizers", old_list, kept);
}

std::string invalid_namespace_message(const api::Object& dependent, const api::OwnerReference& ref,
                                      bool owner_kind_namespaced) {
  if (!owner_kind_namespaced || !dependent.metadata.namespace_.empty()) return "";
  // Upstream's wording: the reference, then the (empty) namespace it was looked up in.
  return "ownerRef [" + ref.api_version + "/" + ref.kind + ", namespace: , name: " + ref.name +
         ", uid: " + ref.uid + "] does not exist in namespace \"\"";
}

}  // namespace kactor::actors::controllers::gc
