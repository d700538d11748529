#include "api/util/random.hpp"

#include <bit>

#include "api/util/fnv1a.hpp"

namespace kactor {

namespace {

/// splitmix64's output function: a strong 64-bit mixer, used to expand seeds.
uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

using api::util::fnv1a;

constexpr std::string_view kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

}  // namespace

Random::Random(uint64_t seed) : seed_(seed) {
  // Successive splitmix64 outputs: never all-zero, which xoshiro must avoid.
  uint64_t x = seed;
  for (auto& word : state_) {
    x += 0x9e3779b97f4a7c15ULL;
    word = mix64(x);
  }
}

uint64_t Random::next() {
  // xoshiro256** (Blackman & Vigna).
  auto& s = state_;
  const uint64_t result = std::rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = std::rotl(s[3], 45);
  return result;
}

uint64_t Random::uniform(uint64_t n) {
  if (n == 0) return 0;
  // Lemire's multiply-shift with rejection: the high word of x*n is uniform in [0, n) once the
  // few low words below (2^64 mod n) are rejected.
  unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
  auto low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double Random::unit() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

Random Random::fork(std::string_view name) const {
  return Random(mix64(mix64(seed_ + 0x9e3779b97f4a7c15ULL) ^ fnv1a(name)));
}

std::string Random::name_suffix(size_t n) {
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(kNameAlphabet[uniform(kNameAlphabet.size())]);
  return out;
}

std::string Random::uuid() {
  std::array<uint8_t, 16> b{};
  const uint64_t hi = next(), lo = next();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

}  // namespace kactor
