// PersistentVolumes (NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS
// VOLUMEATTRIBUTESCLASS REASON AGE; wide: VOLUMEMODE) and PersistentVolumeClaims (NAME STATUS
// VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE; wide: VOLUMEMODE).
#include <algorithm>
#include <string>
#include <vector>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/storage.hpp"

namespace kactor::http::tables {

namespace {

/// The annotation that named the class before storageClassName existed; it still wins.
constexpr const char* kBetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

/// "RWO,ROX,RWX,RWOP": the modes present, in that fixed order.
std::string access_modes(const std::vector<std::string>& modes) {
  static const std::pair<const char*, const char*> kOrder[] = {{"ReadWriteOnce", "RWO"},
                                                               {"ReadOnlyMany", "ROX"},
                                                               {"ReadWriteMany", "RWX"},
                                                               {"ReadWriteOncePod", "RWOP"}};
  std::vector<std::string> out;
  for (const auto& [mode, short_name] : kOrder)
    if (std::find(modes.begin(), modes.end(), mode) != modes.end()) out.emplace_back(short_name);
  return join(out, ",");
}

std::string storage(const api::ResourceList& list) {
  auto it = list.find("storage");
  return it == list.end() ? api::Quantity().to_string() : it->second.to_string();
}

std::string class_of(const api::ObjectMeta& meta, const std::string& spec_class) {
  auto it = meta.annotations.find(kBetaStorageClassAnnotation);
  return it != meta.annotations.end() ? it->second : spec_class;
}

void print_persistent_volume(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& pv = static_cast<const api::PersistentVolume&>(object);
  std::string claim;
  if (pv.spec.claim_ref) claim = pv.spec.claim_ref->namespace_ + "/" + pv.spec.claim_ref->name;
  row.cells = {pv.metadata.name,
               storage(pv.spec.capacity),
               access_modes(pv.spec.access_modes),
               pv.spec.persistent_volume_reclaim_policy,
               pv.metadata.deletion_timestamp ? "Terminating" : pv.status.phase,
               claim,
               class_of(pv.metadata, pv.spec.storage_class_name),
               "<unset>",  // kactor has no VolumeAttributesClass
               pv.status.reason,
               age(pv.metadata.creation_timestamp, now),
               pv.spec.volume_mode.value_or("<unset>")};
}

void print_persistent_volume_claim(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& pvc = static_cast<const api::PersistentVolumeClaim&>(object);
  // Capacity and modes are the bound volume's: empty until the claim is bound.
  std::string capacity, modes;
  if (!pvc.spec.volume_name.empty()) {
    capacity = storage(pvc.status.capacity);
    modes = access_modes(pvc.status.access_modes);
  }
  row.cells = {pvc.metadata.name,
               pvc.metadata.deletion_timestamp ? "Terminating" : pvc.status.phase,
               pvc.spec.volume_name,
               capacity,
               modes,
               class_of(pvc.metadata, pvc.spec.storage_class_name.value_or("")),
               "<unset>",  // kactor has no VolumeAttributesClass
               age(pvc.metadata.creation_timestamp, now),
               pvc.spec.volume_mode.value_or("<unset>")};
}

}  // namespace

Printer persistent_volume_printer() {
  return {
      {name_column(),
       {"Capacity", "string", "",
        "capacity is the description of the persistent volume's "
        "resources and capacity."},
       {"Access Modes", "string", "", "accessModes contains all ways the volume can be mounted."},
       {"Reclaim Policy", "string", "",
        "persistentVolumeReclaimPolicy defines what happens to a persistent volume when "
        "released from its claim."},
       {"Status", "string", "",
        "phase indicates if a volume is available, bound to a claim, "
        "or released by a claim."},
       {"Claim", "string", "",
        "claimRef is part of a bi-directional binding between "
        "PersistentVolume and PersistentVolumeClaim."},
       {"StorageClass", "string", "", "StorageClass of the pv"},
       {"VolumeAttributesClass", "string", "", "VolumeAttributesClass of the pv"},
       {"Reason", "string", "",
        "reason is a brief CamelCase string that describes any "
        "failure and is meant for machine parsing and tidy display "
        "in the CLI."},
       age_column(),
       {"VolumeMode", "string", "",
        "volumeMode defines if a volume is intended to be used "
        "with a formatted filesystem or to remain in raw block "
        "state.",
        1}},
      &print_persistent_volume};
}

Printer persistent_volume_claim_printer() {
  return {{name_column(),
           {"Status", "string", "", "phase represents the current phase of PersistentVolumeClaim."},
           {"Volume", "string", "",
            "volumeName is the binding reference to the PersistentVolume "
            "backing this claim."},
           {"Capacity", "string", "",
            "capacity represents the actual resources of the "
            "underlying volume."},
           {"Access Modes", "string", "",
            "accessModes contains the actual access modes the "
            "volume backing the PVC has."},
           {"StorageClass", "string", "", "StorageClass of the pvc"},
           {"VolumeAttributesClass", "string", "", "VolumeAttributesClass of the pvc"},
           age_column(),
           {"VolumeMode", "string", "",
            "volumeMode defines what type of volume is required by "
            "the claim.",
            1}},
          &print_persistent_volume_claim};
}

}  // namespace kactor::http::tables
