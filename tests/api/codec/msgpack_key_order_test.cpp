// The msgpack decoder reads a struct's keys in one walk when they come in the writer's order
// (describe() order) and falls back to a lookup per key otherwise: both paths must give the
// same object, and keys it does not know are skipped.
#include <catch2/catch.hpp>

#include <msgpack.hpp>

#include <string>
#include <utility>
#include <vector>

#include "api/codec/object_codec.hpp"
#include "api/types/all.hpp"

using namespace kactor::api;

namespace {

using Field = std::pair<std::string, std::string>;  // key, string value

/// A ReplicationController's bytes with `metadata` as given (string fields only) and
/// spec.replicas = 3, keys in the order given.
std::string pack_rc(const std::vector<Field>& metadata) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> p(buf);
  p.pack_map(2);
  p.pack(std::string("metadata"));
  p.pack_map(static_cast<uint32_t>(metadata.size()));
  for (const auto& [k, v] : metadata) {
    p.pack(k);
    p.pack(v);
  }
  p.pack(std::string("spec"));
  p.pack_map(1);
  p.pack(std::string("replicas"));
  p.pack(3);
  return std::string(buf.data(), buf.size());
}

ReplicationController decoded(const std::string& bytes) {
  auto r = decode_msgpack(ReplicationController::static_type(), bytes);
  REQUIRE(r);
  return *as<ReplicationController>(**r);
}

}  // namespace

TEST_CASE("msgpack keys in the writer's order, reversed, or with unknown keys decode alike",
          "[codec][msgpack]") {
  // describe() order of ObjectMeta: name, generateName, namespace, ..., uid, resourceVersion.
  const std::vector<Field> in_order{
      {"name", "rc"}, {"namespace", "ns"}, {"uid", "u-1"}, {"resourceVersion", "7"}};
  const std::vector<Field> reversed(in_order.rbegin(), in_order.rend());
  const std::vector<Field> with_unknown{{"name", "rc"},      {"fromANewerWriter", "x"},
                                        {"namespace", "ns"}, {"uid", "u-1"},
                                        {"zzz", "y"},        {"resourceVersion", "7"}};
  for (const std::vector<Field>* fields : {&in_order, &reversed, &with_unknown}) {
    const auto rc = decoded(pack_rc(*fields));
    CHECK(rc.metadata.name == "rc");
    CHECK(rc.metadata.namespace_ == "ns");
    CHECK(rc.metadata.uid == "u-1");
    CHECK(rc.metadata.resource_version == "7");
    CHECK(rc.spec.replicas == 3);
  }
}

TEST_CASE("a repeated msgpack key keeps its last value, in order or not", "[codec][msgpack]") {
  CHECK(decoded(pack_rc({{"name", "first"}, {"name", "last"}})).metadata.name == "last");
  CHECK(
      decoded(pack_rc({{"name", "first"}, {"namespace", "ns"}, {"name", "last"}})).metadata.name ==
      "last");
}

TEST_CASE("a key that is a prefix or an extension of a field name is not that field",
          "[codec][msgpack]") {
  const auto rc =
      decoded(pack_rc({{"nam", "a"}, {"names", "b"}, {std::string("name\0x", 6), "c"}}));
  CHECK(rc.metadata.name.empty());
}

TEST_CASE("a type error found by the in-order walk names the field", "[codec][msgpack]") {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> p(buf);
  p.pack_map(1);
  p.pack(std::string("metadata"));
  p.pack_map(2);
  p.pack(std::string("name"));
  p.pack(std::string("rc"));
  p.pack(std::string("namespace"));
  p.pack(42);
  auto r = decode_msgpack(ReplicationController::static_type(),
                          std::string_view(buf.data(), buf.size()));
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("metadata.namespace") != std::string::npos);
}
