// PersistentVolume and PersistentVolumeClaim: type information.
#include "api/types/storage.hpp"

#include "api/defaults/storage_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/validation/storage_validation.hpp"

namespace kactor::api {

const TypeInfo& PersistentVolume::static_type() {
  static const TypeInfo info = make_type_info<PersistentVolume>({
      .group = "",
      .version = "v1",
      .kind = "PersistentVolume",
      .resource = "persistentvolumes",
      .singular = "persistentvolume",
      .namespaced = false,
      .short_names = {"pv"},
  });
  return info;
}

const TypeInfo& PersistentVolumeClaim::static_type() {
  static const TypeInfo info = make_type_info<PersistentVolumeClaim>({
      .group = "",
      .version = "v1",
      .kind = "PersistentVolumeClaim",
      .resource = "persistentvolumeclaims",
      .singular = "persistentvolumeclaim",
      .namespaced = true,
      .short_names = {"pvc"},
  });
  return info;
}

}  // namespace kactor::api
