#include "api/defaults/storage_defaults.hpp"

namespace kactor::api {

void set_defaults(PersistentVolume& pv) {
  if (pv.status.phase.empty()) pv.status.phase = "Pending";
  if (pv.spec.persistent_volume_reclaim_policy.empty())
    pv.spec.persistent_volume_reclaim_policy = "Retain";
  if (!pv.spec.volume_mode) pv.spec.volume_mode = "Filesystem";
}

void set_defaults(PersistentVolumeClaim& pvc) {
  if (pvc.status.phase.empty()) pvc.status.phase = "Pending";
  if (!pvc.spec.volume_mode) pvc.spec.volume_mode = "Filesystem";
}

}  // namespace kactor::api
