// Field selector parsing, escaping, matching and index hints.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "api/fields/selector.hpp"

using kactor::api::fields::Operator;
using kactor::api::fields::Selector;

namespace {

Selector sel(const std::string& text) {
  auto s = Selector::parse(text);
  INFO(text);
  REQUIRE(s.has_value());
  return *s;
}

/// A getter over a fixed map: fields outside it are unknown.
kactor::api::fields::FieldGetter getter(std::map<std::string, std::string> fields) {
  return [fields = std::move(fields)](std::string_view f) -> std::optional<std::string> {
    auto it = fields.find(std::string(f));
    if (it == fields.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("field selector parses terms", "[fields]") {
  auto s = sel("metadata.name=x,spec.nodeName!=,status.phase!=Failed");
  REQUIRE(s.requirements().size() == 3);
  // Sorted by the raw term text.
  CHECK(s.requirements()[0].field == "metadata.name");
  CHECK(s.requirements()[0].op == Operator::Equals);
  CHECK(s.requirements()[0].value == "x");
  CHECK(s.requirements()[1].field == "spec.nodeName");
  CHECK(s.requirements()[1].op == Operator::NotEquals);
  CHECK(s.requirements()[1].value.empty());
  CHECK(s.requirements()[2].value == "Failed");
  CHECK(s.to_string() == "metadata.name=x,spec.nodeName!=,status.phase!=Failed");

  CHECK(sel("b==1,a=2").to_string() == "a=2,b=1");
  CHECK(sel("").empty());
  CHECK(sel(",,").empty());
  CHECK_FALSE(sel("a=").empty());
  CHECK(sel("a!b=c").requirements()[0].field == "a!b");
}

TEST_CASE("field selector values use backslash escapes", "[fields]") {
  auto s = sel(R"(a=x\,y\=z\\w,b=1)");
  REQUIRE(s.requirements().size() == 2);
  CHECK(s.requirements()[0].value == R"(x,y=z\w)");
  CHECK(s.to_string() == R"(a=x\,y\=z\\w,b=1)");
  CHECK(kactor::api::fields::escape_value(R"(a,b=c\)") == R"(a\,b\=c\\)");
  auto round = kactor::api::fields::unescape_value(kactor::api::fields::escape_value("p,q=r"));
  REQUIRE(round.has_value());
  CHECK(*round == "p,q=r");
}

TEST_CASE("field selector errors carry upstream messages", "[fields]") {
  struct Case {
    const char* in;
    const char* message;
  };
  const Case cases[] = {
      {"metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"},
      {"a=1,b", "invalid selector: 'a=1,b'; can't understand 'b'"},
      {"a=b=c", "invalid field selector: unescaped character in value: 61"},
      {R"(a=b\x)", R"(invalid field selector: invalid escape sequence: \x)"},
      {R"(a=b\)", R"(invalid field selector: invalid escape sequence: \)"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto s = Selector::parse(c.in);
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().code == 400);
    CHECK(s.error().message == c.message);
  }
}

TEST_CASE("field selector matches through a getter", "[fields]") {
  auto pod = getter({{"metadata.name", "web-1"},
                     {"metadata.namespace", "default"},
                     {"spec.nodeName", ""},
                     {"status.phase", "Pending"}});
  CHECK(sel("metadata.name=web-1").matches(pod));
  CHECK_FALSE(sel("metadata.name=web-2").matches(pod));
  CHECK(sel("spec.nodeName=").matches(pod));
  CHECK_FALSE(sel("spec.nodeName!=").matches(pod));
  CHECK(sel("status.phase!=Succeeded,status.phase!=Failed").matches(pod));
  CHECK_FALSE(sel("status.phase!=Pending").matches(pod));
  // Unknown fields never match, whatever the operator.
  CHECK_FALSE(sel("spec.unknown=x").matches(pod));
  CHECK_FALSE(sel("spec.unknown!=x").matches(pod));
  CHECK(Selector::everything().matches(pod));
  CHECK(Selector::one_term_equal("metadata.namespace", "default").matches(pod));
}

TEST_CASE("field selector exposes exact terms for indexes", "[fields]") {
  auto s = sel("metadata.name==web,spec.nodeName!=n1");
  CHECK(s.exact("metadata.name") == "web");
  CHECK_FALSE(s.exact("spec.nodeName").has_value());
  CHECK_FALSE(s.exact("status.phase").has_value());
  CHECK(Selector::one_term_equal("a", "b").exact("a") == "b");
}
