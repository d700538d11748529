// Joining several asynchronous API calls: the continuation runs once, after the last one.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "api/status.hpp"

namespace kactor::actors::controllers {

/// Counts outstanding calls; `then(first_error)` runs when all have reported (at once if
/// there are none). Callbacks run in the owning actor, so no locking.
class Join {
 public:
  using Then = std::function<void(std::optional<api::Status>)>;

  static std::shared_ptr<Join> make(int count, Then then) {
    auto j = std::shared_ptr<Join>(new Join(count, std::move(then)));
    if (count <= 0) j->fire();
    return j;
  }
  /// One call finished (with an error, or not).
  void report(std::optional<api::Status> error = std::nullopt) {
    if (error && !error_) error_ = std::move(error);
    if (--left_ == 0) fire();
  }

 private:
  Join(int count, Then then) : left_(count), then_(std::move(then)) {}
  void fire() {
    if (then_) std::exchange(then_, nullptr)(error_);
  }
  int left_;
  Then then_;
  std::optional<api::Status> error_;
};

}  // namespace kactor::actors::controllers
