// Seeded, reproducible randomness: one seed drives a whole cluster.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace kactor {

/// A deterministic pseudo-random generator (xoshiro256**, seeded through splitmix64), so the
/// same seed gives the same sequence on every platform and standard library.
///
/// NOT thread-safe, by design: each actor/component owns its own generator obtained with
/// fork("component-name") from the cluster's root Random, so streams never interleave and a
/// run is reproducible from a single seed regardless of scheduling.
///
/// Satisfies UniformRandomBitGenerator, so it also works with std::shuffle and friends.
class Random {
 public:
  using result_type = uint64_t;

  explicit Random(uint64_t seed);

  /// The seed this generator was created from (print it in tests to reproduce a run).
  uint64_t seed() const { return seed_; }

  /// 64 uniformly distributed bits.
  uint64_t next();

  /// Uniform in [0, n), without modulo bias. Returns 0 when n == 0.
  uint64_t uniform(uint64_t n);

  /// Uniform in [0, 1) with 53 bits of precision.
  double unit();

  /// A new generator derived from this one's seed and `name` only (not from how many numbers
  /// were drawn), so each component's stream is stable however the others behave.
  /// fork("a") twice yields identical generators; different names yield independent ones.
  Random fork(std::string_view name) const;

  /// `n` characters from Kubernetes' generateName alphabet "bcdfghjklmnpqrstvwxz2456789"
  /// (no vowels, no look-alikes), as used for "nginx-7d9f5" style names.
  std::string name_suffix(size_t n = 5);

  /// An RFC 4122 version 4 UUID ("xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx", Y in 8..b), lowercase.
  std::string uuid();

  // UniformRandomBitGenerator.
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return next(); }

 private:
  uint64_t seed_;
  std::array<uint64_t, 4> state_;
};

}  // namespace kactor
