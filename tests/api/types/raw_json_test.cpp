// RawJson: shared, immutable text; the kube-api-access projection interned however it is made.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

using namespace kactor::api;

namespace {

Pod pod_with_projection(RawJson projection) {
  Pod pod = testing::make_pod("default", "p");
  Volume v;
  v.name = "kube-api-access-abcde";
  v.opaque.projected = std::move(projection);
  pod.spec.volumes.push_back(std::move(v));
  return pod;
}

const RawJson& projection_of(const Object& obj) {
  return as<Pod>(obj)->spec.volumes.at(0).opaque.projected;
}

}  // namespace

TEST_CASE("an absent RawJson is empty and equal to another absent one", "[raw_json]") {
  RawJson none;
  CHECK(none.empty());
  CHECK(none.text().empty());
  CHECK(none == RawJson());
  CHECK(RawJson("").empty());
}

TEST_CASE("RawJson copies share one text and compare by text", "[raw_json]") {
  RawJson a(R"({"server":"nfs.example","path":"/x"})");
  RawJson b = a;
  CHECK(&a.text() == &b.text());
  RawJson c(R"({"server":"nfs.example","path":"/x"})");
  CHECK(&c.text() != &a.text());  // not interned: its own copy
  CHECK(c == a);
  CHECK_FALSE(c == RawJson(R"({"server":"other"})"));
}

TEST_CASE("the kube-api-access projection is one text per process, decoded or built",
          "[raw_json]") {
  const RawJson built = kube_api_access_projection();
  CHECK(RawJson::interned(built.text()));
  CHECK(nlohmann::json::parse(built.text())["sources"].size() == 3);

  const Pod pod = pod_with_projection(built);
  auto from_msgpack = decode_msgpack(Pod::static_type(), encode_msgpack(pod));
  REQUIRE(from_msgpack);
  CHECK(&projection_of(**from_msgpack).text() == &built.text());

  auto from_json = decode_json(encode_json(pod));
  REQUIRE(from_json);
  CHECK(&projection_of(**from_json).text() == &built.text());
  CHECK(Pod::static_type().equal(pod, **from_json));
}

TEST_CASE("msgpack decoding still refuses a malformed JSON text that is not interned",
          "[raw_json]") {
  Pod pod = pod_with_projection(RawJson(R"({"placeholder":1})"));
  std::string bytes = encode_msgpack(pod);
  // Corrupt the text inside the bytes, keeping its length (and so the msgpack framing).
  const std::string placeholder = R"({"placeholder":1})";
  auto at = bytes.find(placeholder);
  REQUIRE(at != std::string::npos);
  std::string bad_text = R"({"placeholder":1!)";
  REQUIRE(bad_text.size() == placeholder.size());
  bytes.replace(at, placeholder.size(), bad_text);
  auto decoded = decode_msgpack(Pod::static_type(), bytes);
  REQUIRE_FALSE(decoded);
  CHECK(decoded.error().message.find("malformed JSON object") != std::string::npos);
}

TEST_CASE("msgpack decoding keeps a JSON text compact, as the JSON decoder does", "[raw_json]") {
  // What a peer or an older store might hold: spaces, a line break, a repeated key.
  const std::string loose = "{ \"b\":1,\n\"a\":[1, 2],\"b\":3 }";
  Pod pod = pod_with_projection(RawJson(R"({"placeholder":1})"));
  std::string bytes = encode_msgpack(pod);
  // Swap the text for the loose one: the msgpack string's length prefix changes with it.
  const std::string placeholder = R"({"placeholder":1})";
  auto at = bytes.find(placeholder);
  REQUIRE(at != std::string::npos);
  REQUIRE(placeholder.size() < 32);  // a fixstr: its length is the low bits of the byte before
  REQUIRE(loose.size() < 32);
  bytes[at - 1] = static_cast<char>(0xa0 | loose.size());
  bytes.replace(at, placeholder.size(), loose);
  auto decoded = decode_msgpack(Pod::static_type(), bytes);
  REQUIRE(decoded);
  CHECK(projection_of(**decoded).text() == R"({"a":[1,2],"b":3})");
  CHECK(encode_json_string(**decoded).find('\n') == std::string::npos);
}

namespace {

/// The msgpack string of `text` (a str 16 header for texts of 256 bytes to 64 KiB).
std::string msgpack_str16(const std::string& text) {
  REQUIRE(text.size() >= 256);
  REQUIRE(text.size() < 65536);
  return std::string("\xda", 1) + static_cast<char>(text.size() >> 8) +
         static_cast<char>(text.size() & 0xff) + text;
}

/// The ext the msgpack codec writes for interned text `number`: fixext 1 of type 1.
std::string interned_ext(uint8_t number, char type = 1) {
  return std::string("\xd4", 1) + type + static_cast<char>(number);
}

}  // namespace

TEST_CASE("msgpack stores the kube-api-access projection as its number, and reads both forms",
          "[raw_json]") {
  const RawJson built = kube_api_access_projection();
  const std::string text_form = msgpack_str16(built.text());
  const std::string number_form = interned_ext(0);

  const Pod pod = pod_with_projection(built);
  const std::string bytes = encode_msgpack(pod);
  // Written as three bytes, not its ~300: the text is nowhere in the encoding.
  CHECK(bytes.find(built.text()) == std::string::npos);
  CHECK(bytes.find(number_form) != std::string::npos);
  auto decoded = decode_msgpack(Pod::static_type(), bytes);
  REQUIRE(decoded);
  CHECK(&projection_of(**decoded).text() == &built.text());

  // What a store written before holds (the text itself) still reads, interned.
  std::string old_bytes = bytes;
  old_bytes.replace(old_bytes.find(number_form), number_form.size(), text_form);
  auto from_old = decode_msgpack(Pod::static_type(), old_bytes);
  REQUIRE(from_old);
  CHECK(&projection_of(**from_old).text() == &built.text());
  CHECK(Pod::static_type().equal(pod, **from_old));

  // A text that is not interned is still written as text.
  const Pod other = pod_with_projection(RawJson(R"({"placeholder":1})"));
  CHECK(encode_msgpack(other).find(R"({"placeholder":1})") != std::string::npos);
}

TEST_CASE("msgpack refuses an interned-text number it does not know, or another ext type",
          "[raw_json]") {
  const Pod pod = pod_with_projection(kube_api_access_projection());
  const std::string bytes = encode_msgpack(pod);
  const auto at = bytes.find(interned_ext(0));
  REQUIRE(at != std::string::npos);

  std::string unknown = bytes;
  unknown.replace(at, 3, interned_ext(200));
  auto decoded = decode_msgpack(Pod::static_type(), unknown);
  REQUIRE_FALSE(decoded);
  INFO(decoded.error().message);
  CHECK(decoded.error().message.find("spec.volumes[0].projected: unknown interned JSON text") !=
        std::string::npos);

  std::string other_type = bytes;
  other_type.replace(at, 3, interned_ext(0, 7));
  decoded = decode_msgpack(Pod::static_type(), other_type);
  REQUIRE_FALSE(decoded);
  INFO(decoded.error().message);
  CHECK(decoded.error().message.find("expected JSON text or an interned text's number") !=
        std::string::npos);

  // The right type with two bytes (fixext 2) instead of one.
  std::string too_long = bytes;
  too_long.replace(at, 3, std::string("\xd5\x01\x00\x00", 4));
  decoded = decode_msgpack(Pod::static_type(), too_long);
  REQUIRE_FALSE(decoded);
  INFO(decoded.error().message);
  CHECK(decoded.error().message.find("expected JSON text or an interned text's number") !=
        std::string::npos);
}
