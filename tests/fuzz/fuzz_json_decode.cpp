// decode_json over any text: a Status or an object that survives JSON and msgpack round trips
// (JSON from its second encoding on: metav1.Time drops fractions of a second, as upstream),
// and whose text encoding is the document its tree encoding is.
#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace kactor::api;

KACTOR_FUZZ_TARGET(json_decode) {
  for (const bool strict : {false, true}) {
    auto obj = decode_json(input, DecodeOptions{.strict = strict});
    if (!obj) continue;
    const TypeInfo& type = (*obj)->type();
    auto once = decode_json(encode_json(**obj), DecodeOptions{.strict = true});
    FUZZ_REQUIRE(once.has_value());
    auto twice = decode_json(encode_json(**once), DecodeOptions{.strict = true});
    FUZZ_REQUIRE(twice.has_value());
    FUZZ_REQUIRE(type.equal(**twice, **once));
    auto from_msgpack = decode_msgpack(type, encode_msgpack(**obj));
    FUZZ_REQUIRE(from_msgpack.has_value());
    FUZZ_REQUIRE(type.equal(**from_msgpack, **obj));
    const auto text = nlohmann::json::parse(encode_json_string(**obj), nullptr, false);
    FUZZ_REQUIRE(text == encode_json(**obj));
  }
}
