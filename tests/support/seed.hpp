// The seed of a randomized test: KACTOR_SEED replays one, otherwise each run draws a new one.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace kactor::testing {

/// KACTOR_SEED if set, else a fresh random seed. Printed on stderr with `test_name` (CTest
/// shows it with --output-on-failure), so a failing run can be repeated exactly as it drew.
inline uint64_t test_seed(const std::string& test_name) {
  uint64_t seed;
  if (const char* env = std::getenv("KACTOR_SEED"); env != nullptr && *env != '\0') {
    seed = std::strtoull(env, nullptr, 0);
  } else {
    std::random_device device;
    seed = (static_cast<uint64_t>(device()) << 32) ^ device();
  }
  std::fprintf(stderr, "%s: seed %llu (KACTOR_SEED=%llu repeats it)\n", test_name.c_str(),
               static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  return seed;
}

}  // namespace kactor::testing
