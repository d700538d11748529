// Delayed messages through the injected Clock (real or virtual), never CAF's own
// timers, so that whole clusters can run under virtual time.
#pragma once

#include <caf/all.hpp>

#include "api/clock.hpp"

namespace kactor::actors {

/// Sends `msg` to `target` after `delay` by `clock`. Holds only a weak reference:
/// a target that has terminated meanwhile gets nothing.
template <class... Ts>
Clock::TimerId send_later(Clock& clock, Duration delay, const caf::actor& target,
                          Ts&&... xs) {
  caf::weak_actor_ptr weak = caf::actor_cast<caf::weak_actor_ptr>(target);
  auto msg = caf::make_message(std::forward<Ts>(xs)...);
  return clock.schedule_after(delay, [weak, msg] {
    if (auto strong = caf::actor_cast<caf::actor>(weak.lock()))
      caf::anon_send(strong, msg);
  });
}

}  // namespace kactor::actors
