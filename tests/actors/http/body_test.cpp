// Request bodies (actors/http/body.hpp): protobuf bodies go the JSON path once decoded.
#include "actors/http/body.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/http/protobuf/decode.hpp"
#include "api/types/config.hpp"
#include "api/types/namespace.hpp"
#include "tests/actors/http/protobuf/wire_builder.hpp"

using namespace kactor;
using namespace kactor::http;
using namespace kactor::http::protobuf::testing;

namespace {

const std::string kProtobuf(protobuf::kMediaType);

/// A Namespace "x" whose ObjectMeta carries field number 98, which no table knows.
std::string namespace_with_unknown_field() {
  return envelope("v1", "Namespace", bytes_field(1, bytes_field(1, "x") + number_field(98, 1)));
}

}  // namespace

TEST_CASE("body: a protobuf Namespace decodes as the JSON one does (kubectl create namespace)") {
  // Before protobuf bodies were decoded this was the 415 that made `kubectl create namespace`
  // fail.
  const auto body = envelope("v1", "Namespace", bytes_field(1, bytes_field(1, "x")));
  auto d = decode_body(api::Namespace::static_type(), kProtobuf, body, FieldValidation::strict);
  INFO((d ? std::string() : d.error().message));
  REQUIRE(d.has_value());
  CHECK(d->object->metadata.name == "x");
  CHECK(d->object->type().kind == "Namespace");
  CHECK(d->warnings.empty());
}

TEST_CASE("body: a protobuf Secret's bytes become its data, as base64 does in JSON") {
  const auto body =
      envelope("v1", "Secret", bytes_field(1, bytes_field(1, "s")) + entry(2, "k", "\x01v"));
  auto d = decode_body(api::Secret::static_type(), kProtobuf + "; charset=binary", body,
                       FieldValidation::strict);
  REQUIRE(d.has_value());
  const auto& secret = static_cast<const api::Secret&>(*d->object);
  REQUIRE(secret.data.count("k") == 1);
  CHECK(secret.data.at("k") == "AXY=");  // kactor keeps Secret data as base64
}

TEST_CASE("body: unknown protobuf field numbers follow fieldValidation as unknown JSON names") {
  const auto body = namespace_with_unknown_field();
  const auto& type = api::Namespace::static_type();

  auto strict = decode_body(type, kProtobuf, body, FieldValidation::strict);
  REQUIRE_FALSE(strict.has_value());
  CHECK(strict.error().code == 400);
  CHECK(strict.error().message ==
        "strict decoding error: unknown field number 98 of "
        "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta at \"metadata\"");

  auto warn = decode_body(type, kProtobuf, body, FieldValidation::warn);
  REQUIRE(warn.has_value());
  CHECK(warn->object->metadata.name == "x");
  REQUIRE(warn->warnings.size() == 1);
  CHECK(warn->warnings[0].find("unknown field number 98") != std::string::npos);

  auto ignore = decode_body(type, kProtobuf, body, FieldValidation::ignore);
  REQUIRE(ignore.has_value());
  CHECK(ignore->warnings.empty());
}

TEST_CASE("body: a protobuf body whose kind is not the endpoint's is refused as in JSON") {
  const auto body = envelope("v1", "ConfigMap", bytes_field(1, bytes_field(1, "c")));
  auto d = decode_body(api::Namespace::static_type(), kProtobuf, body, FieldValidation::strict);
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().code == 400);
}

TEST_CASE("body: protobuf DeleteOptions parse to JSON, an unknown number there is refused") {
  const auto opts = number_field(1, 0) + bytes_field(4, "Foreground");
  auto j = parse_body_json(kProtobuf, envelope("v1", "DeleteOptions", opts));
  REQUIRE(j.has_value());
  CHECK(*j == nlohmann::json::parse(R"({"apiVersion":"v1","kind":"DeleteOptions",
      "gracePeriodSeconds":0,"propagationPolicy":"Foreground"})"));
  auto bad = parse_body_json(kProtobuf, envelope("v1", "DeleteOptions", number_field(77, 1)));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.find("unknown field number 77") != std::string::npos);
}

TEST_CASE("body: other media types are still a 415") {
  auto d =
      decode_body(api::Namespace::static_type(), "application/cbor", "x", FieldValidation::strict);
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().code == 415);
}
