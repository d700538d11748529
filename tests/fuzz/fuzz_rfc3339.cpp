// RFC 3339 text: a Status or a time that formats and parses back (to the microsecond).
#include <chrono>

#include "api/time/rfc3339.hpp"
#include "tests/fuzz/fuzz_target.hpp"

KACTOR_FUZZ_TARGET(rfc3339) {
  auto t = kactor::parse_rfc3339(input);
  if (!t) return;
  FUZZ_REQUIRE(kactor::format_rfc3339(*t).size() == 20);
  auto again = kactor::parse_rfc3339(kactor::format_rfc3339_micro(*t));
  if (!again) {
    // Flooring a time in the first microsecond of the range leaves the range.
    FUZZ_REQUIRE(*t < kactor::TimePoint::min() + std::chrono::microseconds(1));
    return;
  }
  FUZZ_REQUIRE(*again == std::chrono::floor<std::chrono::microseconds>(*t));
}
