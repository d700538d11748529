// Whole-object decoding of hostile input: type metadata of the wrong type, nesting deeper than
// any decoder accepts, and error messages that must not echo the input back.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "api/codec/object_codec.hpp"
#include "api/types/all.hpp"
#include "tests/api/support/hostile_input.hpp"

using namespace kactor::api;
using kactor::api::testing::nested_arrays;
using kactor::api::testing::nested_objects;
using nlohmann::json;

TEST_CASE("decode_json answers BadRequest for a kind or apiVersion that is not a string",
          "[codec][hardening]") {
  for (const char* doc : {
           R"({"apiVersion":"v1","kind":{},"metadata":{"name":"x"}})",
           R"({"apiVersion":"v1","kind":["Pod"],"metadata":{"name":"x"}})",
           R"({"apiVersion":"v1","kind":7,"metadata":{"name":"x"}})",
           R"({"apiVersion":"v1","kind":true,"metadata":{"name":"x"}})",
           R"({"apiVersion":1,"kind":"Pod","metadata":{"name":"x"}})",
           R"({"apiVersion":{"v":1},"kind":"Pod","metadata":{"name":"x"}})",
       }) {
    INFO(doc);
    const bool bad_kind = std::string(doc).find("\"kind\":\"") == std::string::npos;
    const std::string field = bad_kind ? "kind" : "apiVersion";
    // Without an expected kind (a manifest, a create) and with one (a PATCH result).
    for (const TypeInfo* expected : {static_cast<const TypeInfo*>(nullptr), &Pod::static_type()}) {
      auto r = decode_json(std::string_view(doc), {}, expected);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == 400);
      CHECK(r.error().reason == "BadRequest");
      CHECK(r.error().message.find("Go struct field ." + field + " of type string") !=
            std::string::npos);
      REQUIRE(r.error().details.causes.size() == 1);
      CHECK(r.error().details.causes[0].field == field);
    }
  }
  // A null kind is an absent one, as for Go's decoder.
  auto r = decode_json(std::string_view(R"({"apiVersion":"v1","kind":null})"));
  REQUIRE_FALSE(r);
  CHECK(r.error().message.starts_with("Object 'Kind' is missing in '"));
  auto typed = decode_json(std::string_view(R"({"apiVersion":null,"kind":null,"metadata":
                              {"name":"x"}})"),
                           {}, &Pod::static_type());
  REQUIRE(typed);
  CHECK((*typed)->metadata.name == "x");
}

TEST_CASE("load_manifest answers a Status for an empty, map, list or numeric kind",
          "[codec][hardening][manifest]") {
  struct Case {
    const char* manifest;
    const char* message_part;
  };
  for (const auto& c : {
           Case{"apiVersion: v1\nkind:\nmetadata:\n  name: x\n", "Object 'Kind' is missing"},
           Case{"apiVersion: v1\nkind: {}\nmetadata:\n  name: x\n",
                "cannot unmarshal object into Go struct field .kind of type string"},
           Case{"apiVersion: v1\nkind: [Pod]\n",
                "cannot unmarshal array into Go struct field .kind"},
           Case{"apiVersion: 1\nkind: Pod\n",
                "cannot unmarshal number into Go struct field .apiVersion"},
           Case{"apiVersion: v1\nkind: List\nitems: 3\n", "items"},
           Case{"apiVersion: v1\nkind: List\nitems: [{kind: {}}]\n", ".kind of type string"},
       }) {
    INFO(c.manifest);
    auto r = load_manifest(c.manifest);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == 400);
    CHECK(r.error().message.find(c.message_part) != std::string::npos);
  }
}

TEST_CASE("decode_json refuses nesting beyond the limit without echoing the input",
          "[codec][hardening][depth]") {
  // 100,000 levels and no kind: the decoder used to dump the whole document into the error
  // message, recursively, and overflow the stack.
  for (const std::string& text :
       {nested_objects(100'000), nested_arrays(100'000),
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"x\":" + nested_arrays(10'001) + "}"}) {
    auto r = decode_json(std::string_view(text));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == 400);
    CHECK(r.error().message.find("exceeded max depth of 10000") != std::string::npos);
    CHECK(r.error().message.size() < 300);
  }
}

TEST_CASE("decode_json accepts nesting at the limit on a worker-sized stack",
          "[codec][hardening][depth]") {
  // An unknown field 10,000 levels deep (the object itself is one level) is skipped when not
  // strict, and named when strict.
  const std::string text = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},)"
                           R"("deep":)" +
                           nested_arrays(9'999) + "}";
  bool lenient_ok = false;
  std::string strict_message;
  kactor::api::testing::run_with_stack(kactor::api::testing::kWorkerStackBytes, [&] {
    lenient_ok = decode_json(std::string_view(text)).has_value();
    auto strict = decode_json(std::string_view(text), DecodeOptions{.strict = true});
    if (!strict) strict_message = strict.error().message;
  });
  CHECK(lenient_ok);
  CHECK(strict_message == "strict decoding error: unknown field \"deep\"");
}

TEST_CASE("decoding errors quote at most a short excerpt of the input", "[codec][hardening]") {
  const std::string big(1 << 20, 'x');
  const json no_kind = {{"apiVersion", "v1"}, {"metadata", {{"name", big}}}};
  auto r = decode_json(no_kind);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.starts_with("Object 'Kind' is missing in '{"));
  CHECK(r.error().message.size() < 400);

  const json no_version = {{"kind", "Pod"}, {"metadata", {{"name", big}}}};
  r = decode_json(no_version);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.starts_with("Object 'apiVersion' is missing in '{"));
  CHECK(r.error().message.size() < 400);

  // An unknown kind's name is quoted only in part.
  r = decode_json(json{{"apiVersion", "v1"}, {"kind", big}});
  REQUIRE_FALSE(r);
  CHECK(r.error().message.size() < 400);
}
