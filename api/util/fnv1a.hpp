// FNV-1a (64 bit): a fixed, platform-independent string hash (std::hash is neither), for
// seeds derived from names and for cache keys that want a second, independent hash.
#pragma once

#include <cstdint>
#include <string_view>

namespace kactor::api::util {

inline uint64_t fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace kactor::api::util
