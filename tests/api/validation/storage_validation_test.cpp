// PersistentVolume and PersistentVolumeClaim validation.
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of storage kinds: upstream field paths and messages", "[validation]") {
  check_cases({
      {"pvc without storage request",
       R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c","namespace":"default"},
          "spec":{"accessModes":["ReadWriteSometimes"]}})",
       "",
       {{"spec.accessModes",
         "Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", "
         "\"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""},
        {"spec.resources[storage]", "Required value"}}},
      {"pv without source",
       R"({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"v"},
          "spec":{"capacity":{"storage":"0"},"accessModes":["ReadWriteOnce"]}})",
       "",
       {{"spec.capacity[storage]", "Invalid value: \"0\": must be greater than zero"},
        {"spec", "Required value: must specify a volume type"}}},
  });
}
