// The range of RFC 3339 timestamps: TimePoint counts nanoseconds since 1970 in an int64, which
// spans 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z. Upstream accepts
// years 0001-9999; kactor refuses what it cannot represent instead of wrapping it, and reads
// Go's zero time (0001-01-01T00:00:00Z, what an unset metav1.Time is in Go) as unset.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "api/codec/object_codec.hpp"
#include "api/time/rfc3339.hpp"
#include "api/types/all.hpp"

using namespace std::chrono_literals;
using kactor::TimePoint;

namespace {

constexpr TimePoint kMin{kactor::Duration{std::numeric_limits<int64_t>::min()}};
constexpr TimePoint kMax{kactor::Duration{std::numeric_limits<int64_t>::max()}};

}  // namespace

TEST_CASE("parse_rfc3339 refuses times it cannot represent instead of wrapping them",
          "[clock][rfc3339]") {
  for (const char* text :
       {"9999-12-31T23:59:59Z", "2262-04-11T23:47:17Z", "2262-04-11T23:47:16.854775808Z",
        "1677-09-21T00:12:43Z", "1677-09-21T00:12:43.145224191Z", "0001-01-01T00:00:01Z",
        "0000-01-01T00:00:00Z", "2262-04-11T23:47:16-00:01", "1677-09-21T00:12:44+00:01"}) {
    INFO(text);
    auto p = kactor::parse_rfc3339(text);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == 400);
    CHECK(p.error().message ==
          "parsing time \"" + std::string(text) +
              "\": outside the range kactor can represent, 1677-09-21T00:12:44Z to "
              "2262-04-11T23:47:16Z");
  }
}

TEST_CASE("parse_rfc3339 accepts the whole representable range", "[clock][rfc3339]") {
  auto p = kactor::parse_rfc3339("2262-04-11T23:47:16.854775807Z");
  REQUIRE(p);
  CHECK(*p == kMax);
  p = kactor::parse_rfc3339("1677-09-21T00:12:43.145224192Z");
  REQUIRE(p);
  CHECK(*p == kMin);
  p = kactor::parse_rfc3339("2262-04-12T00:47:16+01:00");
  REQUIRE(p);
  CHECK(*p == kMax - 854775807ns);
}

TEST_CASE("Go's zero time reads as an unset time", "[clock][rfc3339]") {
  for (const char* text : {"0001-01-01T00:00:00Z", "0001-01-01T01:00:00+01:00"}) {
    auto p = kactor::parse_rfc3339(text);
    REQUIRE(p);
    CHECK(*p == TimePoint{});
  }
}

TEST_CASE("the extremes of the range format without overflowing", "[clock][rfc3339]") {
  CHECK(kactor::format_rfc3339(kMax) == "2262-04-11T23:47:16Z");
  CHECK(kactor::format_rfc3339_micro(kMax) == "2262-04-11T23:47:16.854775Z");
  CHECK(kactor::format_rfc3339(kMin) == "1677-09-21T00:12:43Z");
  CHECK(kactor::format_rfc3339_micro(kMin) == "1677-09-21T00:12:43.145224Z");
  // Formatting floors, so the micro form of the minimum re-reads as a later time.
  for (TimePoint t : {kMax, kMin + 1us}) {
    auto p = kactor::parse_rfc3339(kactor::format_rfc3339_micro(t));
    REQUIRE(p);
    CHECK(*p == std::chrono::floor<std::chrono::microseconds>(t));
  }
}

TEST_CASE("an out-of-range timestamp in an object is a BadRequest naming the field",
          "[clock][rfc3339][codec]") {
  auto r = kactor::api::decode_json(std::string_view(
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},
          "spec":{"renewTime":"9999-12-31T23:59:59.000000Z"}})"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == 400);
  REQUIRE(r.error().details.causes.size() == 1);
  CHECK(r.error().details.causes[0].field == "spec.renewTime");
  CHECK(r.error().details.causes[0].message.find("outside the range kactor can represent") !=
        std::string::npos);
}
