// Helpers for the store tests: temporary directories and reproducible seeds.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include <unistd.h>

#include "tests/support/temp_dir.hpp"

namespace kactor::store::testing {

using kactor::testing::TempDir;

/// KACTOR_SEED if set, else a random seed; printed so a failing run can be repeated.
inline uint64_t test_seed(const char* test_name) {
  uint64_t seed;
  if (const char* env = std::getenv("KACTOR_SEED"); env != nullptr && *env != '\0') {
    seed = std::strtoull(env, nullptr, 0);
  } else {
    seed = (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  }
  std::fprintf(stderr, "%s: seed %llu (set KACTOR_SEED to repeat)\n", test_name,
               static_cast<unsigned long long>(seed));
  return seed;
}

/// The directory holding the running executable (where sibling helper programs are built).
inline std::string executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

}  // namespace kactor::store::testing
