#include "actors/remote/tls/pod_references.hpp"

#include <nlohmann/json.hpp>

namespace kactor::remote::tls {
namespace {

using nlohmann::json;

/// The string at `path` in `doc`, "" when absent or not a string.
std::string string_at(const json& doc, std::initializer_list<const char*> path) {
  const json* at = &doc;
  for (const char* key : path) {
    if (!at->is_object()) return {};
    auto it = at->find(key);
    if (it == at->end()) return {};
    at = &*it;
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

json parsed(const api::RawJson& raw) {
  if (raw.empty()) return json();
  return json::parse(raw.text(), nullptr, /*allow_exceptions=*/false);
}

void insert_nonempty(std::set<std::string>& into, std::string name) {
  if (!name.empty()) into.insert(std::move(name));
}

void add_container(PodReferences& refs, const api::Container& c) {
  for (const auto& from : c.env_from) {
    if (from.secret_ref) insert_nonempty(refs.secrets, from.secret_ref->name);
    if (from.config_map_ref) insert_nonempty(refs.config_maps, from.config_map_ref->name);
  }
  for (const auto& env : c.env) {
    if (!env.value_from) continue;
    if (env.value_from->secret_key_ref)
      insert_nonempty(refs.secrets, env.value_from->secret_key_ref->name);
    if (env.value_from->config_map_key_ref)
      insert_nonempty(refs.config_maps, env.value_from->config_map_key_ref->name);
  }
}

void add_volume(PodReferences& refs, const api::Pod& pod, const api::Volume& v) {
  if (v.secret) insert_nonempty(refs.secrets, v.secret->secret_name);
  if (v.config_map) insert_nonempty(refs.config_maps, v.config_map->name);
  if (v.persistent_volume_claim)
    insert_nonempty(refs.claims, v.persistent_volume_claim->claim_name);
  const auto& o = v.opaque;
  if (!o.ephemeral.empty()) refs.claims.insert(pod.metadata.name + "-" + v.name);
  if (!o.projected.empty()) {
    auto projected = parsed(o.projected);
    if (projected.is_object() && projected.contains("sources") && projected["sources"].is_array())
      for (const auto& source : projected["sources"]) {
        insert_nonempty(refs.secrets, string_at(source, {"secret", "name"}));
        insert_nonempty(refs.config_maps, string_at(source, {"configMap", "name"}));
      }
  }
  // The in-tree and CSI sources that carry a secret for the kubelet.
  insert_nonempty(refs.secrets, string_at(parsed(o.azure_file), {"secretName"}));
  insert_nonempty(refs.secrets, string_at(parsed(o.csi), {"nodePublishSecretRef", "name"}));
  for (const auto* raw :
       {&o.cephfs, &o.cinder, &o.flex_volume, &o.rbd, &o.scale_io, &o.iscsi, &o.storageos})
    insert_nonempty(refs.secrets, string_at(parsed(*raw), {"secretRef", "name"}));
}

}  // namespace

PodReferences references_of(const api::Pod& pod) {
  PodReferences refs;
  for (const auto& s : pod.spec.image_pull_secrets) insert_nonempty(refs.secrets, s.name);
  for (const auto& c : pod.spec.init_containers) add_container(refs, c);
  for (const auto& c : pod.spec.containers) add_container(refs, c);
  for (const auto& e : pod.spec.ephemeral_containers) add_container(refs, e.container);
  for (const auto& v : pod.spec.volumes) add_volume(refs, pod, v);
  insert_nonempty(refs.service_accounts, pod.spec.service_account_name);
  return refs;
}

bool referred_by_pod_on(const std::set<std::string>& nodes, const std::vector<api::ObjectPtr>& pods,
                        RelatedKind kind, const std::string& name) {
  for (const auto& obj : pods) {
    const auto* pod = obj ? api::as<api::Pod>(*obj) : nullptr;
    if (!pod || !nodes.contains(pod->spec.node_name)) continue;
    // A mirror pod grants its node nothing (upstream: kubelets could otherwise write
    // themselves access through a static pod).
    if (pod->metadata.annotations.contains("kubernetes.io/config.mirror")) continue;
    auto refs = references_of(*pod);
    const auto& names = kind == RelatedKind::secret       ? refs.secrets
                        : kind == RelatedKind::config_map ? refs.config_maps
                        : kind == RelatedKind::claim      ? refs.claims
                                                          : refs.service_accounts;
    if (names.contains(name)) return true;
  }
  return false;
}

}  // namespace kactor::remote::tls
