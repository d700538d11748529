#include "api/validation/storage_validation.hpp"

#include "api/validation/object_meta_validation.hpp"
#include "api/validation/resource_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

const std::vector<std::string> kAccessModes = {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce",
                                               "ReadWriteOncePod"};
const std::vector<std::string> kVolumeModes = {"Block", "Filesystem"};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& e : v)
    if (e == s) return true;
  return false;
}

void validate_access_modes(const std::vector<std::string>& modes, const std::string& path,
                           Causes& causes) {
  for (const auto& m : modes)
    if (!contains(kAccessModes, m))
      causes.push_back(field_not_supported(path, go_quote(m), kAccessModes));
  if (contains(modes, "ReadWriteOncePod") && modes.size() > 1)
    causes.push_back(field_forbidden(path, "may not use ReadWriteOncePod with other access modes"));
}

void validate_volume_mode(const std::optional<std::string>& mode, const std::string& path,
                          Causes& causes) {
  if (mode && !contains(kVolumeModes, *mode))
    causes.push_back(field_not_supported(path, go_quote(*mode), kVolumeModes));
}

void validate_host_path(const HostPathVolumeSource& hp, const std::string& path, Causes& causes) {
  if (hp.path.empty()) causes.push_back(field_required(child(path, "path")));
  if (hp.path == ".." || hp.path.starts_with("../") || hp.path.ends_with("/..") ||
      hp.path.find("/../") != std::string::npos)
    causes.push_back(field_invalid(child(path, "path"), go_quote(hp.path), "must not contain '..'"));
  static const std::vector<std::string> types = {
      "",       "DirectoryOrCreate", "Directory",  "FileOrCreate", "File",
      "Socket", "CharDevice",        "BlockDevice"};
  if (!contains(types, hp.type))
    causes.push_back(field_not_supported(child(path, "type"), go_quote(hp.type),
                                         {"", "BlockDevice", "CharDevice", "Directory",
                                          "DirectoryOrCreate", "File", "FileOrCreate", "Socket"}));
}

std::string storage_class_repr(const std::optional<std::string>& s) {
  return s ? go_quote(*s) : "null";
}

}  // namespace

void validate(const PersistentVolume& pv, const PersistentVolume* old,
              std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(pv.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(pv.metadata, false, name_is_dns_subdomain, "metadata", causes);
  const auto& spec = pv.spec;
  if (spec.access_modes.empty()) causes.push_back(field_required("spec.accessModes"));
  validate_access_modes(spec.access_modes, "spec.accessModes", causes);
  if (spec.capacity.empty()) causes.push_back(field_required("spec.capacity"));
  if (!spec.capacity.contains("storage") || spec.capacity.size() > 1) {
    std::string repr = "core.ResourceList{...}";
    causes.push_back(field_not_supported("spec.capacity", repr, {"storage"}));
  }
  for (const auto& [name, q] : spec.capacity)
    validate_positive_quantity(q, key("spec.capacity", name), causes);
  const auto& rp = spec.persistent_volume_reclaim_policy;
  if (!rp.empty() && rp != "Delete" && rp != "Recycle" && rp != "Retain")
    causes.push_back(field_not_supported("spec.persistentVolumeReclaimPolicy", go_quote(rp),
                                         {"Delete", "Recycle", "Retain"}));
  int sources = 0;
  if (spec.host_path) {
    ++sources;
    validate_host_path(*spec.host_path, "spec.hostPath", causes);
  }
  if (spec.local) {
    if (sources++ > 0) {
      causes.push_back(field_forbidden("spec.local", "may not specify more than 1 volume type"));
    } else if (spec.local->path.empty()) {
      causes.push_back(field_required("spec.local.path"));
    }
    if (!spec.node_affinity)
      causes.push_back(field_required("spec.nodeAffinity", "Local volume requires node affinity"));
  }
  if (sources == 0) causes.push_back(field_required("spec", "must specify a volume type"));
  if (spec.host_path && spec.host_path->path == "/" && rp == "Recycle")
    causes.push_back(field_forbidden("spec.persistentVolumeReclaimPolicy",
                                     "may not be 'recycle' for a hostPath mount of '/'"));
  if (!spec.storage_class_name.empty())
    validate_dns1123_subdomain(spec.storage_class_name, "spec.storageClassName", causes);
  validate_volume_mode(spec.volume_mode, "spec.volumeMode", causes);
  if (spec.node_affinity && spec.node_affinity->required &&
      spec.node_affinity->required->node_selector_terms.empty())
    causes.push_back(field_required("spec.nodeAffinity.required.nodeSelectorTerms",
                                    "must have at least one node selector term"));

  if (old) {
    if (spec.host_path != old->spec.host_path || spec.local != old->spec.local)
      causes.push_back(field_forbidden("spec.persistentvolumesource",
                                       "spec.persistentvolumesource is immutable after creation"));
    validate_immutable(spec.volume_mode != old->spec.volume_mode, "volumeMode",
                       storage_class_repr(spec.volume_mode), causes);
    if (old->spec.node_affinity)
      validate_immutable(spec.node_affinity != old->spec.node_affinity, "nodeAffinity",
                         "core.VolumeNodeAffinity{...}", causes);
  }
}

void validate(const PersistentVolumeClaim& pvc, const PersistentVolumeClaim* old,
              std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(pvc.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(pvc.metadata, true, name_is_dns_subdomain, "metadata", causes);
  const auto& spec = pvc.spec;
  if (spec.access_modes.empty())
    causes.push_back(field_required("spec.accessModes", "at least 1 access mode is required"));
  if (spec.selector) validate_label_selector(*spec.selector, "spec.selector", causes);
  validate_access_modes(spec.access_modes, "spec.accessModes", causes);
  auto storage = spec.resources.requests.find("storage");
  if (storage == spec.resources.requests.end()) {
    causes.push_back(field_required("spec.resources[storage]"));
  } else {
    size_t before = causes.size();
    validate_positive_quantity(storage->second, "spec.resources[storage]", causes);
    if (causes.size() == before)
      validate_resource_quantity("storage", storage->second, "spec.resources[storage]", causes);
  }
  if (spec.storage_class_name && !spec.storage_class_name->empty())
    validate_dns1123_subdomain(*spec.storage_class_name, "spec.storageClassName", causes);
  validate_volume_mode(spec.volume_mode, "spec.volumeMode", causes);

  if (old) {
    PersistentVolumeClaimSpec now_spec = spec, old_spec = old->spec;
    if (old_spec.volume_name.empty()) old_spec.volume_name = now_spec.volume_name;
    // Requests may be resized (grown) while bound; compare the rest.
    now_spec.resources.requests.erase("storage");
    old_spec.resources.requests.erase("storage");
    if (pvc.status.phase != "Bound") {
      now_spec.resources = spec.resources;
      old_spec.resources = old->spec.resources;
    }
    if (!(now_spec == old_spec))
      causes.push_back(field_forbidden(
          "spec", "spec is immutable after creation except resources.requests for bound claims"));
    auto old_storage = old->spec.resources.requests.find("storage");
    if (storage != spec.resources.requests.end() &&
        old_storage != old->spec.resources.requests.end() && storage->second < old_storage->second)
      causes.push_back(field_forbidden("spec.resources.requests.storage",
                                       "field can not be less than previous value"));
    validate_immutable(spec.volume_mode != old->spec.volume_mode, "volumeMode",
                       storage_class_repr(spec.volume_mode), causes);
  }
}

}  // namespace kactor::api
