#include "actors/client/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kactor::client {

RateLimiter::RateLimiter(const Clock& clock) : RateLimiter(clock, Options{}) {}

RateLimiter::RateLimiter(const Clock& clock, Options options)
    : clock_(clock), options_(options), tokens_(options.burst), last_(clock.now()) {}

Duration RateLimiter::backoff_for(int failures) const {
  // In floating point so huge failure counts saturate instead of overflowing.
  const double nanos = static_cast<double>(options_.base_delay.count()) *
                       std::pow(2.0, static_cast<double>(failures));
  if (!(nanos < static_cast<double>(options_.max_delay.count()))) return options_.max_delay;
  return Duration(static_cast<Duration::rep>(nanos));
}

Duration RateLimiter::peek_backoff(const std::string& key) const {
  return backoff_for(num_requeues(key));
}

Duration RateLimiter::take_token() {
  // golang.org/x/time/rate's Reserve(): refill for the elapsed time (capped at the bucket),
  // take one token, and wait for however far into debt that leaves the bucket.
  const TimePoint now = clock_.now();
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(static_cast<double>(options_.burst), tokens_ + elapsed * options_.qps);
  }
  last_ = std::max(last_, now);
  tokens_ -= 1.0;
  if (tokens_ >= 0) return Duration::zero();
  // Rounded, not truncated, so 3 tokens of debt at 10/s is exactly 300 ms.
  return Duration(std::llround(-tokens_ / options_.qps * 1e9));
}

Duration RateLimiter::when(const std::string& key) {
  int& failures = failures_[key];
  const Duration backoff = backoff_for(failures);
  if (failures < std::numeric_limits<int>::max()) ++failures;
  return std::max(backoff, take_token());
}

void RateLimiter::forget(const std::string& key) {
  failures_.erase(key);
}

int RateLimiter::num_requeues(const std::string& key) const {
  const auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

}  // namespace kactor::client
