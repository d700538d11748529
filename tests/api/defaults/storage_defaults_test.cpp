// PersistentVolume and PersistentVolumeClaim defaulting (api/defaults/storage_defaults.cpp).
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("storage defaults as the API server fills them", "[defaults]") {
  auto pv = load(R"({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"v"}})");
  pv->type().set_defaults(*pv);
  CHECK(as<PersistentVolume>(*pv)->spec.persistent_volume_reclaim_policy == "Retain");
  CHECK(as<PersistentVolume>(*pv)->spec.volume_mode == "Filesystem");
  CHECK(as<PersistentVolume>(*pv)->status.phase == "Pending");
  auto pvc = load(R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c"}})");
  pvc->type().set_defaults(*pvc);
  CHECK(as<PersistentVolumeClaim>(*pvc)->spec.volume_mode == "Filesystem");
  CHECK(as<PersistentVolumeClaim>(*pvc)->status.phase == "Pending");
}
