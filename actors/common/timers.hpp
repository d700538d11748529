// Delayed messages through the injected Clock (real or virtual), never CAF's own
// timers, so that whole clusters can run under virtual time.
#pragma once

#include <utility>

#include <caf/fwd.hpp>
#include <caf/make_message.hpp>

#include "api/time/clock.hpp"

namespace kactor::actors {

/// Sends `msg` to `target` after `delay` by `clock`. Holds only a weak reference:
/// a target that has terminated meanwhile gets nothing.
Clock::TimerId send_message_later(Clock& clock, Duration delay, const caf::actor& target,
                                  caf::message msg);

/// send_message_later() of the message made of `xs`.
template <class... Ts>
Clock::TimerId send_later(Clock& clock, Duration delay, const caf::actor& target, Ts&&... xs) {
  return send_message_later(clock, delay, target, caf::make_message(std::forward<Ts>(xs)...));
}

}  // namespace kactor::actors
