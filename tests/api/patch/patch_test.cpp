// JSON patch (RFC 6902), merge patch (RFC 7386) and the PATCH content-type dispatch.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/patch/patch.hpp"

namespace {

using nlohmann::json;
using namespace kactor::api;

json J(const char* text) {
  return json::parse(text);
}

}  // namespace

TEST_CASE("merge patch follows the RFC 7386 examples", "[patch][merge]") {
  struct Example {
    const char* target;
    const char* patch;
    const char* result;
  };
  // RFC 7386 Appendix A.
  const Example examples[] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", R"(null)", R"(null)"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const auto& ex : examples) {
    INFO("target " << ex.target << " patch " << ex.patch);
    auto out = patch::apply_merge_patch(J(ex.target), J(ex.patch));
    REQUIRE(out.has_value());
    CHECK(*out == J(ex.result));
  }

  // The RFC's section 3 example.
  auto out = patch::apply_merge_patch(
      J(R"({"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},
           "tags":["example","sample"],"content":"This will be unchanged"})"),
      J(R"({"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},
           "tags":["example"]})"));
  REQUIRE(out.has_value());
  CHECK(*out == J(R"({"title":"Hello!","author":{"givenName":"John"},"tags":["example"],
                      "content":"This will be unchanged","phoneNumber":"+01-123-456-7890"})"));
}

TEST_CASE("JSON patch applies RFC 6902 operations", "[patch][json]") {
  const json doc = J(R"({"metadata":{"name":"p","labels":{"a":"1"}},"spec":{"args":["x","y"]}})");

  SECTION("add, remove, replace") {
    auto out = patch::apply_json_patch(doc, J(R"([
        {"op":"add","path":"/metadata/labels/b","value":"2"},
        {"op":"add","path":"/spec/args/1","value":"between"},
        {"op":"add","path":"/spec/args/-","value":"last"},
        {"op":"remove","path":"/metadata/labels/a"},
        {"op":"replace","path":"/metadata/name","value":"q"}])"));
    REQUIRE(out.has_value());
    CHECK(*out == J(R"({"metadata":{"name":"q","labels":{"b":"2"}},
                        "spec":{"args":["x","between","y","last"]}})"));
  }
  SECTION("move and copy") {
    auto out = patch::apply_json_patch(doc, J(R"([
        {"op":"copy","from":"/metadata/labels","path":"/metadata/annotations"},
        {"op":"move","from":"/spec/args/0","path":"/spec/first"}])"));
    REQUIRE(out.has_value());
    CHECK(*out == J(R"({"metadata":{"name":"p","labels":{"a":"1"},"annotations":{"a":"1"}},
                        "spec":{"args":["y"],"first":"x"}})"));
  }
  SECTION("a passing test op lets the rest apply") {
    auto out = patch::apply_json_patch(doc, J(R"([
        {"op":"test","path":"/metadata/name","value":"p"},
        {"op":"replace","path":"/metadata/name","value":"r"}])"));
    REQUIRE(out.has_value());
    CHECK((*out)["metadata"]["name"] == "r");
  }
  SECTION("a failing test op rejects the whole patch with upstream's 422") {
    auto out = patch::apply_json_patch(doc, J(R"([
        {"op":"replace","path":"/metadata/name","value":"r"},
        {"op":"test","path":"/metadata/name","value":"not-p"}])"));
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error().code == 422);
    CHECK(out.error().reason == "Invalid");
    CHECK(out.error().message == "the server rejected our request due to an error in our request");
  }
  SECTION("operations that cannot apply are 422 too") {
    for (const char* bad :
         {R"([{"op":"remove","path":"/spec/missing"}])", R"([{"op":"frobnicate","path":"/spec"}])",
          R"([{"op":"add","path":"/spec/x"}])",
          R"([{"op":"replace","path":"/no/such/parent","value":1}])"}) {
      INFO(bad);
      auto out = patch::apply_json_patch(doc, J(bad));
      REQUIRE_FALSE(out.has_value());
      CHECK(out.error().code == 422);
    }
  }
  SECTION("a patch that is not an array of objects is a bad request") {
    auto not_array = patch::apply_json_patch(doc, J(R"({"op":"add"})"));
    REQUIRE_FALSE(not_array.has_value());
    CHECK(not_array.error().code == 400);
    CHECK(not_array.error().reason == "BadRequest");
    CHECK(not_array.error().message ==
          "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    auto not_objects = patch::apply_json_patch(doc, J(R"(["add"])"));
    REQUIRE_FALSE(not_objects.has_value());
    CHECK(not_objects.error().code == 400);
  }
  SECTION("more than 10000 operations are refused") {
    json ops = json::array();
    for (int i = 0; i <= 10000; ++i) {
      ops.push_back({{"op", "test"}, {"path", "/metadata/name"}, {"value", "p"}});
    }
    auto out = patch::apply_json_patch(doc, ops);
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error().code == 413);
  }
}

TEST_CASE("apply_patch dispatches on the content type", "[patch][dispatch]") {
  const json doc = J(R"({"metadata":{"name":"p","labels":{"a":"1"}},
                         "spec":{"containers":[{"name":"c","image":"i:1"},
                                               {"name":"d","image":"j:1"}]}})");

  SECTION("json patch") {
    auto out =
        patch::apply_patch("application/json-patch+json", doc,
                           R"([{"op":"replace","path":"/metadata/labels/a","value":"2"}])", "Pod");
    REQUIRE(out.has_value());
    CHECK((*out)["metadata"]["labels"]["a"] == "2");
  }
  SECTION("merge patch replaces lists") {
    auto out = patch::apply_patch("application/merge-patch+json; charset=utf-8", doc,
                                  R"({"spec":{"containers":[{"name":"c","image":"i:2"}]}})", "Pod");
    REQUIRE(out.has_value());
    CHECK((*out)["spec"]["containers"] == J(R"([{"name":"c","image":"i:2"}])"));
  }
  SECTION("strategic merge patch merges containers by name") {
    auto out = patch::apply_patch("Application/Strategic-Merge-Patch+JSON", doc,
                                  R"({"spec":{"containers":[{"name":"c","image":"i:2"}]}})", "Pod");
    REQUIRE(out.has_value());
    CHECK((*out)["spec"]["containers"] ==
          J(R"([{"name":"c","image":"i:2"},{"name":"d","image":"j:1"}])"));
  }
  SECTION("server-side apply and unknown types are 415") {
    for (const char* type : {"application/apply-patch+yaml", "application/json", "text/plain"}) {
      INFO(type);
      auto out = patch::apply_patch(type, doc, "{}", "Pod");
      REQUIRE_FALSE(out.has_value());
      CHECK(out.error().code == 415);
      CHECK(out.error().reason == "UnsupportedMediaType");
    }
  }
  SECTION("an unparsable body is a bad request for every type") {
    for (const char* type : {"application/json-patch+json", "application/merge-patch+json",
                             "application/strategic-merge-patch+json"}) {
      INFO(type);
      for (const char* body : {"{not json", "", "[1,"}) {
        auto out = patch::apply_patch(type, doc, body, "Pod");
        REQUIRE_FALSE(out.has_value());
        CHECK(out.error().code == 400);
        CHECK(out.error().reason == "BadRequest");
      }
    }
    auto merge = patch::apply_patch("application/merge-patch+json", doc, "{", "Pod");
    REQUIRE_FALSE(merge.has_value());
    CHECK(merge.error().message == "Invalid JSON Patch");
  }
  SECTION("a scalar or null merge patch is refused as upstream's MergePatch does") {
    for (const char* body : {"null", "\"x\"", "3"}) {
      auto out = patch::apply_patch("application/merge-patch+json", doc, body, "Pod");
      REQUIRE_FALSE(out.has_value());
      CHECK(out.error().code == 400);
      CHECK(out.error().message == "Invalid JSON Patch");
    }
  }
  SECTION("a strategic patch that is not an object is a bad request") {
    auto out = patch::apply_patch("application/strategic-merge-patch+json", doc, "[1]", "Pod");
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error().code == 400);
    CHECK(out.error().message ==
          "json: cannot unmarshal array into Go value of type map[string]interface {}");
  }
  SECTION("a result that is no longer an object fails as the decode would") {
    auto merge = patch::apply_patch("application/merge-patch+json", doc, "[1]", "Pod");
    REQUIRE_FALSE(merge.has_value());
    CHECK(merge.error().code == 422);
    CHECK(merge.error().reason == "Invalid");
    REQUIRE(merge.error().details.causes.size() == 1);
    CHECK(merge.error().details.causes[0].field == "patch");
    auto json_patch = patch::apply_patch("application/json-patch+json", doc,
                                         R"([{"op":"add","path":"","value":"s"}])", "Pod");
    REQUIRE_FALSE(json_patch.has_value());
    CHECK(json_patch.error().code == 422);
  }
  SECTION("a failed test op through the dispatcher keeps upstream's 422") {
    auto out = patch::apply_patch("application/json-patch+json", doc,
                                  R"([{"op":"test","path":"/metadata/name","value":"x"}])", "Pod");
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error().code == 422);
    CHECK(out.error().message == "the server rejected our request due to an error in our request");
  }
}
