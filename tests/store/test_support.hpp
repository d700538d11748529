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

namespace kactor::store::testing {

/// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/kactor-store-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Empty if mkdtemp failed (tests REQUIRE it is not).
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

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
