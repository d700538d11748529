// Storage kinds: PersistentVolume (cluster-scoped) and PersistentVolumeClaim (v1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/quantity/quantity.hpp"
#include "api/types/pod.hpp"  // HostPathVolumeSource, NodeSelector

namespace kactor::api {

struct LocalVolumeSource {
  std::string path;
  std::optional<std::string> fs_type;
  bool operator==(const LocalVolumeSource&) const = default;
};
template <class V>
void describe(V& v, LocalVolumeSource& x) {
  v("path", x.path, keep_zero);
  v("fsType", x.fs_type);
}

struct VolumeNodeAffinity {
  std::optional<NodeSelector> required;
  bool operator==(const VolumeNodeAffinity&) const = default;
};
template <class V>
void describe(V& v, VolumeNodeAffinity& x) {
  v("required", x.required);
}

struct PersistentVolumeSpec {
  ResourceList capacity;
  // The volume sources kactor understands (upstream's inline PersistentVolumeSource).
  std::optional<HostPathVolumeSource> host_path;
  std::optional<LocalVolumeSource> local;
  std::vector<std::string>
      access_modes;  // ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod
  std::optional<ObjectReference> claim_ref;
  std::string persistent_volume_reclaim_policy;  // Retain (default), Delete, Recycle
  std::string storage_class_name;
  std::vector<std::string> mount_options;
  std::optional<std::string> volume_mode;  // Filesystem (default), Block
  std::optional<VolumeNodeAffinity> node_affinity;
  bool operator==(const PersistentVolumeSpec&) const = default;
};
template <class V>
void describe(V& v, PersistentVolumeSpec& x) {
  v("capacity", x.capacity);
  v("hostPath", x.host_path);
  v("local", x.local);
  v("accessModes", x.access_modes);
  v("claimRef", x.claim_ref);
  v("persistentVolumeReclaimPolicy", x.persistent_volume_reclaim_policy);
  v("storageClassName", x.storage_class_name);
  v("mountOptions", x.mount_options);
  v("volumeMode", x.volume_mode);
  v("nodeAffinity", x.node_affinity);
}

struct PersistentVolumeStatus {
  std::string phase;  // Pending (default), Available, Bound, Released, Failed
  std::string message;
  std::string reason;
  std::optional<Time> last_phase_transition_time;
  bool operator==(const PersistentVolumeStatus&) const = default;
};
template <class V>
void describe(V& v, PersistentVolumeStatus& x) {
  v("phase", x.phase);
  v("message", x.message);
  v("reason", x.reason);
  v("lastPhaseTransitionTime", x.last_phase_transition_time);
}

struct PersistentVolume : ObjectBase<PersistentVolume> {
  PersistentVolumeSpec spec;
  PersistentVolumeStatus status;
  static const TypeInfo& static_type();
  bool operator==(const PersistentVolume&) const = default;
};
template <class V>
void describe(V& v, PersistentVolume& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

// -- PersistentVolumeClaim ------------------------------------------------------------

struct PersistentVolumeClaimSpec {
  std::vector<std::string> access_modes;
  std::optional<LabelSelector> selector;
  ResourceRequirements resources;  // requests.storage is required
  std::string volume_name;
  std::optional<std::string> storage_class_name;  // "" = no class, unset = the default class
  std::optional<std::string> volume_mode;         // Filesystem (default), Block
  bool operator==(const PersistentVolumeClaimSpec&) const = default;
};
template <class V>
void describe(V& v, PersistentVolumeClaimSpec& x) {
  v("accessModes", x.access_modes);
  v("selector", x.selector);
  v("resources", x.resources, keep_zero);
  v("volumeName", x.volume_name);
  v("storageClassName", x.storage_class_name);
  v("volumeMode", x.volume_mode);
}

struct PersistentVolumeClaimStatus {
  std::string phase;  // Pending (default), Bound, Lost
  std::vector<std::string> access_modes;
  ResourceList capacity;
  bool operator==(const PersistentVolumeClaimStatus&) const = default;
};
template <class V>
void describe(V& v, PersistentVolumeClaimStatus& x) {
  v("phase", x.phase);
  v("accessModes", x.access_modes);
  v("capacity", x.capacity);
}

struct PersistentVolumeClaim : ObjectBase<PersistentVolumeClaim> {
  PersistentVolumeClaimSpec spec;
  PersistentVolumeClaimStatus status;
  static const TypeInfo& static_type();
  bool operator==(const PersistentVolumeClaim&) const = default;
};
template <class V>
void describe(V& v, PersistentVolumeClaim& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

}  // namespace kactor::api
