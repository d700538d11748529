// load_manifest over any text: a Status or objects that survive a JSON round trip.
#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace kactor::api;

KACTOR_FUZZ_TARGET(manifest) {
  auto objects = load_manifest(input);
  if (!objects) return;
  for (const auto& obj : *objects) {
    auto again = decode_json(encode_json(*obj), DecodeOptions{.strict = true});
    FUZZ_REQUIRE(again.has_value());
    FUZZ_REQUIRE(obj->type().equal(**again, *obj));
  }
}
