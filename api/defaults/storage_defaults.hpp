// Defaulting as the API server applies it on create and update (upstream SetDefaults_*).
#pragma once

#include "api/types/storage.hpp"

namespace kactor::api {

/// status.phase Pending, reclaim policy Retain, volumeMode Filesystem.
void set_defaults(PersistentVolume& pv);
/// status.phase Pending, volumeMode Filesystem.
void set_defaults(PersistentVolumeClaim& pvc);

}  // namespace kactor::api
