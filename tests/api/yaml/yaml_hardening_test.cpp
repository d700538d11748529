// yaml_to_json under hostile input: inputs that hung the old parser, nesting beyond the limit,
// and json_to_yaml output that must always read back.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "api/yaml/detail/scalar.hpp"
#include "api/yaml/yaml.hpp"
#include "tests/api/support/hostile_input.hpp"

using kactor::api::json_to_yaml;
using kactor::api::yaml_to_json;
using kactor::api::testing::kWorkerStackBytes;
using kactor::api::testing::nested_arrays;
using kactor::api::testing::run_with_stack;
using nlohmann::json;

TEST_CASE("inputs that made yaml-cpp loop for ever are refused", "[yaml][hardening]") {
  // yaml-cpp 0.7's LoadAll never returned on these, allocating ~1 GB/s.
  for (const char* text : {"\"a\",", "\"\",", "'',", "\"a\",\n", "- \"a\",", "x: \"a\","}) {
    INFO(text);
    auto docs = yaml_to_json(text);
    REQUIRE_FALSE(docs);
    CHECK(docs.error().code == 400);
    CHECK(docs.error().message.starts_with("error converting YAML to JSON: yaml: line 1: "));
  }
}

TEST_CASE("yaml nesting beyond the limit is refused", "[yaml][hardening][depth]") {
  // Block mappings nest by indentation, which is tested at the limit below.
  std::string dashes, braces;
  for (int i = 0; i < 100'000; ++i) braces += "{a: ";
  for (int i = 0; i < 50'000; ++i) dashes += "- ";
  for (const std::string& text :
       {nested_arrays(100'000), "a: " + nested_arrays(10'001), braces, dashes + "x"}) {
    INFO(text.substr(0, 40));
    auto docs = yaml_to_json(text);
    REQUIRE_FALSE(docs);
    CHECK(docs.error().code == 400);
    CHECK(docs.error().message.find("exceeded max depth of 10000") != std::string::npos);
    CHECK(docs.error().message.size() < 200);
  }
}

TEST_CASE("yaml nested up to the limit converts on a worker-sized stack",
          "[yaml][hardening][depth]") {
  const std::string flow = nested_arrays(10'000, "x");
  std::string block;  // 10,000 levels of block mappings
  for (size_t i = 0; i < 10'000; ++i) block.append(i, ' ').append(i < 9'999 ? "a:\n" : "a: leaf\n");
  bool flow_ok = false, block_ok = false;
  run_with_stack(kWorkerStackBytes, [&] {
    auto docs = yaml_to_json(flow);
    flow_ok = docs && docs->size() == 1 && (*docs)[0].is_array();
    docs = yaml_to_json(block);
    if (docs && docs->size() == 1) {
      const json* v = &(*docs)[0];
      int levels = 0;
      while (v->is_object() && v->contains("a")) {
        v = &(*v)["a"];
        ++levels;
      }
      block_ok = levels == 10'000 && *v == "leaf";
    }
  });
  CHECK(flow_ok);
  CHECK(block_ok);
}

TEST_CASE("json_to_yaml round-trips map keys longer than a simple key may be",
          "[yaml][hardening][roundtrip]") {
  // YAML limits implicit keys to 1024 characters; longer ones must be written as explicit
  // "? key" entries.
  const std::string long_key(2000, 'k');
  const std::string long_quoted = "yes " + std::string(1100, 'q');  // needs quotes too
  const json values[] = {
      json{{long_key, 1}},
      json{{long_key, {{"nested", {{"deeper", true}}}}}, {"short", "s"}},
      json{{long_key, {1, 2, {{"x", "y"}}}}},
      json{{long_key, json::object()}, {long_quoted, json::array()}},
      json{{"list", {{{long_key, "v"}, {"b", 2}}}}},
      json{{long_quoted, "multi\nline\n"}},
      json{{std::string(1021, 'a'), 1}, {std::string(1022, 'b'), 2}, {std::string(1025, 'c'), 3}},
  };
  for (const auto& v : values) {
    const std::string yaml = json_to_yaml(v);
    INFO(yaml.substr(0, 200));
    auto back = yaml_to_json(yaml);
    REQUIRE(back);
    REQUIRE(back->size() == 1);
    CHECK((*back)[0] == v);
  }
}

TEST_CASE("float map keys beyond float32's range become infinities", "[yaml][hardening]") {
  // Found by fuzzing: the key's float32 text has no exponent, which the formatter assumed.
  auto docs = yaml_to_json("1e300: a\n-1e39: b\n98888888888888888888888888888888888888888: c\n");
  REQUIRE(docs);
  CHECK((*docs)[0] == json{{".inf", "c"}, {"-.inf", "b"}});
  using kactor::api::yaml::detail::float_key_string;
  CHECK(float_key_string(1e39) == ".inf");
  CHECK(float_key_string(-3.5e38) == "-.inf");
  CHECK(float_key_string(3.4e38) == "3.4e+38");
}

TEST_CASE("yaml: an empty view with no data is an empty stream, not a libyaml assertion") {
  // std::string_view() has a null data pointer; libyaml asserts on a null input (fuzzing found it
  // through the HTTP body decoder).
  auto docs = kactor::api::yaml_to_json(std::string_view());
  REQUIRE(docs.has_value());
  CHECK(docs->empty());
}
