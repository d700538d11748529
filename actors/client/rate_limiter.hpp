// client-go's default controller rate limiter, on an injected clock.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "api/time/clock.hpp"

namespace kactor::client {

/// Per-key exponential back-off combined (max) with an overall token bucket, as client-go's
/// DefaultControllerRateLimiter: 5 ms doubling per failure up to 1000 s, and 10 keys/s with a
/// burst of 100 shared by all keys. Single-threaded (owned by one actor).
class RateLimiter {
 public:
  struct Options {
    Duration base_delay = std::chrono::milliseconds(5);
    Duration max_delay = std::chrono::seconds(1000);
    double qps = 10.0;  ///< token refill rate, tokens per second (> 0)
    int burst = 100;    ///< bucket size, also the initial fill
  };

  explicit RateLimiter(const Clock& clock);
  RateLimiter(const Clock& clock, Options options);

  /// How long to wait before retrying `key`, and records one more failure for it. Both limits
  /// are charged on every call (as client-go's MaxOf does): the bucket gives out one token.
  Duration when(const std::string& key);

  /// The back-off alone for the next failure of `key`, without recording anything.
  Duration peek_backoff(const std::string& key) const;

  /// Clears `key`'s failures: its next back-off starts at base_delay again.
  void forget(const std::string& key);

  /// Failures recorded for `key` since it was last forgotten.
  int num_requeues(const std::string& key) const;

 private:
  Duration backoff_for(int failures) const;
  Duration take_token();

  const Clock& clock_;
  Options options_;
  std::unordered_map<std::string, int> failures_;
  double tokens_;   ///< may go negative: reservations are always granted, later ones wait
  TimePoint last_;  ///< when tokens_ was last brought up to date
};

}  // namespace kactor::client
