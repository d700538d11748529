// Integer fields are range-checked when decoded, whatever the encoding: a value that does not
// fit the field's type is a BadRequest naming the field, never a silently wrapped number.
#include <catch2/catch.hpp>

#include <msgpack.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "api/codec/object_codec.hpp"
#include "api/patch/patch.hpp"
#include "api/types/all.hpp"

using namespace kactor::api;
using nlohmann::json;

namespace {

std::string rc_with_replicas(const std::string& replicas) {
  return R"({"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},)"
         R"("spec":{"replicas":)" +
         replicas + "}}";
}

/// The one cause of a failed decode, after checking it is a 400 naming `field`.
StatusCause only_cause(const Result<std::unique_ptr<Object>>& r, const std::string& field) {
  REQUIRE_FALSE(r);
  CHECK(r.error().code == 400);
  CHECK(r.error().reason == "BadRequest");
  CHECK(r.error().message.find(field) != std::string::npos);
  REQUIRE(r.error().details.causes.size() == 1);
  CHECK(r.error().details.causes[0].field == field);
  return r.error().details.causes[0];
}

}  // namespace

TEST_CASE("JSON integers outside an int32 field's range are refused", "[codec][range]") {
  for (const char* n : {"4294967297", "4294967296", "2147483648", "-2147483649",
                        "18446744073709551615", "-9223372036854775808", "1e10", "2147483648.0"}) {
    INFO(n);
    const auto cause =
        only_cause(decode_json(std::string_view(rc_with_replicas(n))), "spec.replicas");
    CHECK(cause.message.starts_with("cannot unmarshal number "));
    CHECK(cause.message.ends_with(" into Go value of type int32"));
  }
  for (const auto& [text, value] :
       {std::pair{"2147483647", 2147483647}, std::pair{"-2147483648", -2147483647 - 1},
        std::pair{"3.0", 3}}) {
    INFO(text);
    auto r = decode_json(std::string_view(rc_with_replicas(text)));
    REQUIRE(r);
    CHECK(as<ReplicationController>(**r)->spec.replicas == value);
  }
  // The message quotes the number as written.
  auto r = decode_json(std::string_view(rc_with_replicas("4294967297")));
  REQUIRE_FALSE(r);
  CHECK(r.error().message ==
        "ReplicationController in version \"v1\" cannot be handled as a ReplicationController: "
        "spec.replicas: cannot unmarshal number 4294967297 into Go value of type int32");
}

TEST_CASE("int64 fields refuse numbers beyond int64", "[codec][range]") {
  const std::string pod =
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[]
         ,"activeDeadlineSeconds":18446744073709551615}})";
  only_cause(decode_json(std::string_view(pod)), "spec.activeDeadlineSeconds");
  const std::string fits =
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[]
         ,"activeDeadlineSeconds":9223372036854775807}})";
  auto r = decode_json(std::string_view(fits));
  REQUIRE(r);
  CHECK(as<Pod>(**r)->spec.active_deadline_seconds == INT64_MAX);
}

TEST_CASE("int-or-string fields refuse integers beyond int32", "[codec][range]") {
  const std::string svc =
      R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[
         {"port":80,"targetPort":4294967377}]}})";
  only_cause(decode_json(std::string_view(svc)), "spec.ports[0].targetPort");
}

TEST_CASE("a quantity given as a large unsigned number keeps its value", "[codec][range]") {
  const std::string quota =
      R"({"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},
          "spec":{"hard":{"pods":18446744073709551615}}})";
  auto r = decode_json(std::string_view(quota));
  REQUIRE(r);
  CHECK(as<ResourceQuota>(**r)->spec.hard.at("pods").to_string() == "18446744073709551615");
}

TEST_CASE("YAML manifests are range-checked like JSON", "[codec][range][manifest]") {
  auto r = load_manifest(
      "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n"
      "  replicas: 4294967297\n");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == 400);
  CHECK(r.error().message.find("spec.replicas: cannot unmarshal number 4294967297") !=
        std::string::npos);
}

TEST_CASE("patches cannot smuggle an out-of-range integer in", "[codec][range][patch]") {
  ReplicationController rc;
  rc.metadata.name = "rc";
  rc.spec.replicas = 1;
  const json doc = encode_json(rc);
  for (const auto& [type, body] : {
           std::pair{"application/merge-patch+json", R"({"spec":{"replicas":4294967296}})"},
           std::pair{"application/strategic-merge-patch+json",
                     R"({"spec":{"replicas":2147483648}})"},
           std::pair{"application/json-patch+json",
                     R"([{"op":"replace","path":"/spec/replicas","value":4294967297}])"},
       }) {
    INFO(type);
    auto patched = patch::apply_patch(type, doc, body, "ReplicationController");
    REQUIRE(patched);
    only_cause(decode_json(*patched, {}, &ReplicationController::static_type()), "spec.replicas");
  }
}

TEST_CASE("msgpack integers outside the field's range are refused with the field path",
          "[codec][range][msgpack]") {
  auto pack_rc = [](auto replicas) {
    msgpack::sbuffer buf;
    msgpack::packer<msgpack::sbuffer> p(buf);
    p.pack_map(2);
    p.pack(std::string("metadata"));
    p.pack_map(1);
    p.pack(std::string("name"));
    p.pack(std::string("rc"));
    p.pack(std::string("spec"));
    p.pack_map(1);
    p.pack(std::string("replicas"));
    p.pack(replicas);
    return std::string(buf.data(), buf.size());
  };
  const auto& type = ReplicationController::static_type();
  for (const std::string& bytes : {pack_rc(uint64_t{4294967297}), pack_rc(uint64_t{2147483648}),
                                   pack_rc(int64_t{-2147483649})}) {
    auto r = decode_msgpack(type, bytes);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("spec.replicas") != std::string::npos);
    CHECK(r.error().message.find("int32") != std::string::npos);
  }
  auto ok = decode_msgpack(type, pack_rc(int64_t{-2147483648}));
  REQUIRE(ok);
  CHECK(as<ReplicationController>(**ok)->spec.replicas == INT32_MIN);
}
