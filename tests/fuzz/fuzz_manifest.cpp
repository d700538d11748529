// load_manifest over any text: a Status or objects that survive JSON round trips (from their
// first encoding on: Time and MicroTime keep what was parsed, finer than they print, as
// upstream's metav1 types do, so the first encoding may drop sub-second or sub-microsecond
// digits; after that nothing may change).
#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace kactor::api;

KACTOR_FUZZ_TARGET(manifest) {
  auto objects = load_manifest(input);
  if (!objects) return;
  for (const auto& obj : *objects) {
    auto once = decode_json(encode_json(*obj), DecodeOptions{.strict = true});
    FUZZ_REQUIRE(once.has_value());
    auto twice = decode_json(encode_json(**once), DecodeOptions{.strict = true});
    FUZZ_REQUIRE(twice.has_value());
    FUZZ_REQUIRE(obj->type().equal(**twice, **once));
  }
}
