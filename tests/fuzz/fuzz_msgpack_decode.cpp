// decode_msgpack over any bytes (the first byte picks the kind): a Status or an object that
// encodes back to bytes decoding to the same object.
#include "api/codec/object_codec.hpp"
#include "api/registry.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace kactor::api;

KACTOR_FUZZ_TARGET(msgpack_decode) {
  if (input.empty()) return;
  const auto& kinds = Registry::builtin().all();
  const TypeInfo& type = *kinds[static_cast<unsigned char>(input[0]) % kinds.size()];
  auto obj = decode_msgpack(type, input.substr(1));
  if (!obj) return;
  auto again = decode_msgpack(type, encode_msgpack(**obj));
  FUZZ_REQUIRE(again.has_value());
  FUZZ_REQUIRE(type.equal(**again, **obj));
}
