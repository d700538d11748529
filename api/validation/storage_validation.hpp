// PersistentVolume and PersistentVolumeClaim validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/storage.hpp"

namespace kactor::api {

/// accessModes and capacity (storage only, positive) required, exactly one volume source,
/// supported reclaim policy and volume mode; on update the source, volumeMode and a set
/// nodeAffinity are immutable.
void validate(const PersistentVolume& pv, const PersistentVolume* old,
              std::vector<StatusCause>& causes);

/// accessModes and resources.requests.storage (positive) required; on update the spec is
/// immutable except resources.requests (growing only) and a first volumeName.
void validate(const PersistentVolumeClaim& pvc, const PersistentVolumeClaim* old,
              std::vector<StatusCause>& causes);

}  // namespace kactor::api
