#include "actors/controllers/zone_tainter.hpp"

#include <algorithm>
#include <cmath>

namespace kactor::actors::controllers {

bool ZoneTainter::add(const std::string& node) {
  if (!queued_.insert(node).second) return false;
  order_.push_back(node);
  return true;
}

bool ZoneTainter::remove(const std::string& node) {
  if (queued_.erase(node) == 0) return false;
  order_.erase(std::find(order_.begin(), order_.end(), node));
  return true;
}

void ZoneTainter::set_rate(double per_second, TimePoint now) {
  if (per_second == rate_) return;
  rate_ = per_second;
  tokens_ = 1;
  refilled_at_ = now;
}

void ZoneTainter::refill(TimePoint now) {
  if (rate_ <= 0 || now <= refilled_at_) return;
  auto elapsed = std::chrono::duration<double>(now - refilled_at_).count();
  tokens_ = std::min(1.0, tokens_ + elapsed * rate_);
  refilled_at_ = now;
}

std::optional<std::string> ZoneTainter::pop(TimePoint now) {
  if (order_.empty() || rate_ <= 0) return std::nullopt;
  refill(now);
  if (tokens_ < 1) return std::nullopt;
  tokens_ -= 1;
  auto node = std::move(order_.front());
  order_.pop_front();
  queued_.erase(node);
  return node;
}

std::optional<TimePoint> ZoneTainter::next_due(TimePoint now) const {
  if (order_.empty() || rate_ <= 0) return std::nullopt;
  if (tokens_ >= 1) return now;
  auto at = std::max(now, refilled_at_);
  double tokens = tokens_;
  if (now > refilled_at_)
    tokens = std::min(1.0, tokens + std::chrono::duration<double>(now - refilled_at_).count() * rate_);
  if (tokens >= 1) return now;
  auto wait = std::chrono::duration<double>((1 - tokens) / rate_);
  return at + std::chrono::ceil<Duration>(wait);
}

}  // namespace kactor::actors::controllers
