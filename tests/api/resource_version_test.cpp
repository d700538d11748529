// resourceVersion parsing: one strict parser, as upstream's strconv.ParseUint(rv, 10, 64).
#include <catch2/catch.hpp>

#include "api/resource_version.hpp"

using kactor::api::invalid_resource_version;
using kactor::api::is_newer_version;
using kactor::api::parse_resource_version;

TEST_CASE("resourceVersions are decimal digits and nothing else", "[api][resource-version]") {
  CHECK(parse_resource_version("0") == 0u);
  CHECK(parse_resource_version("12") == 12u);
  CHECK(parse_resource_version("18446744073709551615") == UINT64_MAX);
  for (const char* bad : {"", "12abc", " 7", "7 ", "1e3", "-5", "+5", "0x10", "18446744073709551616",
                          "abc", "1.0"}) {
    INFO(bad);
    CHECK_FALSE(parse_resource_version(bad).has_value());
  }
}

TEST_CASE("versions compare as numbers, not as strings", "[api][resource-version]") {
  CHECK(is_newer_version("10", "9"));
  CHECK_FALSE(is_newer_version("9", "10"));
  CHECK_FALSE(is_newer_version("9", "9"));
  CHECK(is_newer_version("1", ""));        // anything beats a missing version
  CHECK_FALSE(is_newer_version("x", "1"));  // a malformed one never wins
}

TEST_CASE("an unparsable resourceVersion is a 400 naming the value, not the whole input",
          "[api][resource-version]") {
  auto s = invalid_resource_version("12abc");
  CHECK(s.code == 400);
  CHECK(s.reason == "BadRequest");
  CHECK(s.message.find("\"12abc\"") != std::string::npos);
  CHECK(invalid_resource_version(std::string(100000, '7') + "x").message.size() < 300);
}
