// FNV-1a over a key and value, shared by the crash-test child and the test that checks it.
#pragma once

#include <cstdint>
#include <string_view>

namespace kactor::store::testing {

/// Identifies a (key, value) pair in the child's acknowledgement lines.
inline uint64_t checksum(std::string_view key, std::string_view value) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(key);
  mix(std::string_view("\0", 1));  // so ("ab","c") and ("a","bc") differ
  mix(value);
  return h;
}

}  // namespace kactor::store::testing
