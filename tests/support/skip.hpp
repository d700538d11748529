// Skipping a test whose environment is missing (Catch2 2.x has no SKIP): the test prints the
// marker below with its reason and returns; CTest reports it as skipped (the suites set
// SKIP_REGULAR_EXPRESSION to the marker in tests/CMakeLists.txt), Catch2 as passed.
#pragma once

#include <cstdio>
#include <string>

namespace kactor::testing {

inline constexpr const char* kSkipMarker = "KACTOR_TEST_SKIPPED";

/// Prints why the calling test is skipped; the test returns right after.
inline void skip_test(const std::string& why) {
  std::printf("%s: %s\n", kSkipMarker, why.c_str());
  std::fflush(stdout);
}

}  // namespace kactor::testing
