// Label selector parsing, matching, printing and metav1.LabelSelector conversion.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "api/labels/selector.hpp"

using kactor::api::Labels;
using kactor::api::labels::Operator;
using kactor::api::labels::Requirement;
using kactor::api::labels::Selector;

namespace {

Selector sel(const std::string& text) {
  auto s = Selector::parse(text);
  INFO(text);
  if (!s) INFO(s.error().message);
  REQUIRE(s.has_value());
  return *s;
}

const std::string kNamePart =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

}  // namespace

TEST_CASE("label selector parses to canonical text", "[labels]") {
  struct Case {
    const char* in;
    const char* out;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"x=a", "x=a"},
      {"x==a", "x==a"},
      {"x!=a", "x!=a"},
      {"x = a", "x=a"},
      {"x=", "x="},
      {"x=,z= ", "x=,z="},
      {"env=prod,tier in (a,b),!legacy,version", "env=prod,!legacy,tier in (a,b),version"},
      {"x in (c,a,b)", "x in (a,b,c)"},
      {"x in (a,a)", "x in (a)"},
      {"x notin (a)", "x notin (a)"},
      {"x in ()", "x in ()"},
      {"x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"},
      {"x in (,a)", "x in (,a)"},
      {"x in (a,)", "x in (,a)"},
      {"x>1", "x>1"},
      {"x<-1", ""},  // rejected below: "-1" is not a label value
      {"in in (in,notin)", "in in (in,notin)"},
      {"example.com/app=web", "example.com/app=web"},
      {"b=1,a=2,c", "a=2,b=1,c"},
      {"  a  ,  b  ", "a,b"},
      {"!a", "!a"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto s = Selector::parse(c.in);
    if (std::string(c.in) == "x<-1") {
      CHECK_FALSE(s.has_value());
      continue;
    }
    REQUIRE(s.has_value());
    CHECK(s->to_string() == c.out);
    // Printing is a fixed point of parsing.
    auto again = Selector::parse(s->to_string());
    REQUIRE(again.has_value());
    CHECK(*again == *s);
  }
}

TEST_CASE("label selector errors carry upstream messages", "[labels]") {
  struct Case {
    const char* in;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"app:monolith",
       "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": " + kNamePart},
      {"a=b c", "found 'c', expected: ',' or 'end of string'"},
      {"a,", "found '', expected: identifier after ','"},
      {",a", "found ',', expected: !, identifier, or 'end of string'"},
      {"=a", "found '=', expected: !, identifier, or 'end of string'"},
      {"x in a", "unable to parse requirement: found 'a' expected: '('"},
      {"x in (a", "unable to parse requirement: found '', expected: ',' or ')'"},
      {"x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"},
      {"x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"},
      {"x a", "unable to parse requirement: found 'a', expected: in, notin, =, ==, !=, gt, lt"},
      {"x=(", "unable to parse requirement: found '(', expected: identifier"},
      {"!=a", "found '!=', expected: !, identifier, or 'end of string'"},
      {"! =a", "unable to parse requirement: found '=', expected: identifier"},
      {"!a=b", "found '=', expected: ',' or 'end of string'"},
      {"x>a",
       "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, "
       "the value must be an integer"},
      {"x=a/b",
       "unable to parse requirement: values[0][x]: Invalid value: \"a/b\": a valid label must be "
       "an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
       "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
       "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"},
      {"a/b/c=x",
       "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must "
       "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
       "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
       "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
       "subdomain prefix and '/' (e.g. 'example.com/MyName')"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto s = Selector::parse(c.in);
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().code == 400);
    CHECK(s.error().reason == "BadRequest");
    CHECK(s.error().message == c.message);
  }
}

TEST_CASE("label selector matches label sets", "[labels]") {
  const Labels prod{{"env", "prod"}, {"tier", "a"}, {"version", "3"}};
  const Labels legacy{{"env", "prod"}, {"tier", "a"}, {"legacy", "true"}, {"version", "1"}};
  const Labels bare{};

  Selector s = sel("env=prod,tier in (a,b),!legacy,version");
  CHECK(s.matches(prod));
  CHECK_FALSE(s.matches(legacy));
  CHECK_FALSE(s.matches(bare));

  CHECK(sel("env!=dev").matches(prod));
  CHECK(sel("env!=dev").matches(bare));  // absent key satisfies !=
  CHECK_FALSE(sel("env!=prod").matches(prod));
  CHECK(sel("tier notin (b,c)").matches(prod));
  CHECK(sel("tier notin (b,c)").matches(bare));
  CHECK_FALSE(sel("tier notin (a)").matches(prod));
  CHECK_FALSE(sel("tier in (b)").matches(prod));
  CHECK_FALSE(sel("tier in (a)").matches(bare));
  CHECK(sel("version>2").matches(prod));
  CHECK_FALSE(sel("version>2").matches(legacy));
  CHECK(sel("version<2").matches(legacy));
  CHECK_FALSE(sel("version<2").matches(bare));
  CHECK_FALSE(sel("env>2").matches(prod));  // non-integer label value
  CHECK(sel("env==prod").matches(prod));
  CHECK(sel("missing=").matches(Labels{{"missing", ""}}));
  CHECK_FALSE(sel("missing=").matches(bare));

  CHECK(Selector::everything().matches(bare));
  CHECK(Selector::everything().empty());
  CHECK(sel("").empty());
  CHECK_FALSE(sel("a").empty());
  CHECK_FALSE(Selector::nothing().matches(bare));
  CHECK_FALSE(Selector::nothing().matches(prod));
  CHECK_FALSE(Selector::nothing().empty());
  CHECK(Selector::nothing().to_string().empty());
}

TEST_CASE("label selector from matchLabels and matchExpressions", "[labels]") {
  auto in = Requirement::make("tier", "In", {"b", "a"});
  REQUIRE(in.has_value());
  auto gone = Requirement::make("legacy", "DoesNotExist", {});
  REQUIRE(gone.has_value());
  auto s = Selector::from_parts({{"env", "prod"}, {"app", "web"}}, {*in, *gone});
  REQUIRE(s.has_value());
  CHECK(s->to_string() == "app=web,env=prod,!legacy,tier in (a,b)");
  CHECK(s->matches({{"app", "web"}, {"env", "prod"}, {"tier", "b"}}));
  CHECK_FALSE(s->matches({{"app", "web"}, {"env", "prod"}, {"tier", "c"}}));
  CHECK(s->requires_exact_match("env") == "prod");
  CHECK_FALSE(s->requires_exact_match("tier").has_value());
  CHECK_FALSE(s->requires_exact_match("nope").has_value());

  auto empty = Selector::from_parts({}, {});
  REQUIRE(empty.has_value());
  CHECK(empty->empty());
  CHECK(empty->matches({{"anything", "at all"}}));

  auto bad_key = Selector::from_parts({{"a b", "x"}}, {});
  REQUIRE_FALSE(bad_key.has_value());
  CHECK(bad_key.error().message == "key: Invalid value: \"a b\": " + kNamePart);

  auto no_values = Requirement::make("tier", "In", {});
  REQUIRE_FALSE(no_values.has_value());
  CHECK(no_values.error().message ==
        "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be "
        "empty");
  auto exists_with_values = Requirement::make("tier", "Exists", {"a"});
  REQUIRE_FALSE(exists_with_values.has_value());
  CHECK(exists_with_values.error().message ==
        "values: Invalid value: []string{\"a\"}: values set must be empty for exists and does not "
        "exist");
  auto bad_op = Requirement::make("tier", "Gt", {"1"});
  REQUIRE_FALSE(bad_op.has_value());
  CHECK(bad_op.error().message == "\"Gt\" is not a valid label selector operator");
  auto two = Requirement::create("", Operator::Equals, {"a", "b"});
  REQUIRE_FALSE(two.has_value());
  CHECK(
      two.error().message.starts_with("[key: Invalid value: \"\": name part must be non-empty; "));
  CHECK(two.error().message.find(", values: Invalid value: []string{\"a\", \"b\"}: exact-match "
                                 "compatibility requires one single value]") != std::string::npos);
}

TEST_CASE("label selector from a set and added requirements", "[labels]") {
  Selector s = Selector::from_set({{"b", "2"}, {"a", "1"}});
  CHECK(s.to_string() == "a=1,b=2");
  CHECK(s.matches({{"a", "1"}, {"b", "2"}, {"c", "3"}}));
  CHECK_FALSE(s.matches({{"a", "1"}}));
  CHECK(Selector::from_set({}).empty());
  auto r = Requirement::create("a0", Operator::Exists, {});
  REQUIRE(r.has_value());
  CHECK(s.add(*r).to_string() == "a=1,a0,b=2");
  CHECK(Selector::nothing().add(*r).is_nothing());
  CHECK(sel("x in (a)").requires_exact_match("x") == "a");
  CHECK_FALSE(sel("x in (a,b)").requires_exact_match("x").has_value());
  CHECK_FALSE(sel("x!=a").requires_exact_match("x").has_value());
}
