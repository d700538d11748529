// Go-style durations (api/time/go_duration.hpp): what parses, what does not, how they print.
#include <catch2/catch.hpp>

#include "api/time/go_duration.hpp"

using namespace std::chrono_literals;
using kactor::Duration;

TEST_CASE("Go durations parse as time.ParseDuration reads integers", "[api][time]") {
  struct Case {
    const char* text;
    std::optional<Duration> want;
  };
  const Case cases[] = {
      {"0", Duration::zero()},
      {"60s", 60s},
      {"2m", 2min},
      {"1m30s", 90s},
      {"1h", 1h},
      {"500ms", 500ms},
      {"1h2m3s4ms", 1h + 2min + 3s + 4ms},
      {"10us", 10us},
      {"7ns", 7ns},
      {"", std::nullopt},
      {"s", std::nullopt},
      {"10", std::nullopt},        // no unit
      {"-5s", std::nullopt},       // no sign
      {"1.5s", std::nullopt},      // no fractions
      {"10d", std::nullopt},       // no days in Go
      {"1m 30s", std::nullopt},    // no spaces
      {"1234567890s", std::nullopt},  // too many digits
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(kactor::parse_go_duration(c.text) == c.want);
  }
}

TEST_CASE("Go durations print as Go prints them", "[api][time]") {
  CHECK(kactor::format_go_duration(Duration::zero()) == "0s");
  CHECK(kactor::format_go_duration(90s) == "1m30s");
  CHECK(kactor::format_go_duration(1h) == "1h0m0s");
  CHECK(kactor::format_go_duration(100ms) == "100ms");
  CHECK(kactor::format_go_duration(1500ms) == "1.5s");
}

TEST_CASE("Go durations under a second print in the largest fitting unit", "[api][time]") {
  using namespace std::chrono;
  CHECK(kactor::format_go_duration(microseconds(1500)) == "1.5ms");
  CHECK(kactor::format_go_duration(nanoseconds(250000)) == "250\u00b5s");
  CHECK(kactor::format_go_duration(nanoseconds(12)) == "12ns");
  CHECK(kactor::format_go_duration(-1500ms) == "-1.5s");
}
