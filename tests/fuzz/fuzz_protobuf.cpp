// protobuf_to_json over any bytes: a 400 or 415 Status, or a JSON object with the envelope's
// apiVersion and kind that serializes (every string valid UTF-8) and that the JSON decoder
// then takes or refuses with a Status, as it does a JSON body.
#include <nlohmann/json.hpp>

#include "actors/http/protobuf/decode.hpp"
#include "api/codec/object_codec.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace kactor;

KACTOR_FUZZ_TARGET(protobuf) {
  auto decoded = http::protobuf::protobuf_to_json(input);
  if (!decoded) {
    FUZZ_REQUIRE(decoded.error().code == 400 || decoded.error().code == 415);
    return;
  }
  FUZZ_REQUIRE(decoded->object.is_object());
  FUZZ_REQUIRE(decoded->object.contains("apiVersion") && decoded->object.contains("kind"));
  const auto text = decoded->object.dump();  // throws on invalid UTF-8
  FUZZ_REQUIRE(!text.empty());
  if (!decoded->unknown.empty())
    FUZZ_REQUIRE(http::protobuf::unknown_fields_error(decoded->unknown).code == 400);
  auto obj = api::decode_json(decoded->object, api::DecodeOptions{.strict = false});
  if (obj) FUZZ_REQUIRE((*obj)->type().kind == decoded->object["kind"].get<std::string>());
}
