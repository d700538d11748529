// Namespace validation.
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of namespaces: upstream field paths and messages", "[validation]") {
  check_cases({
      {"namespace names are DNS-1123 labels",
       R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team.a"}})",
       "",
       {{"metadata.name", "Invalid value: \"team.a\": must not contain dots"}}},
      {"namespace names: other characters",
       R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"Team"}})",
       "",
       {{"metadata.name", std::string("Invalid value: \"Team\": ") + kDns1123Label}}},
  });
}
