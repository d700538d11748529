#include "actors/common/timers.hpp"

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <caf/weak_intrusive_ptr.hpp>

namespace kactor::actors {

Clock::TimerId send_message_later(Clock& clock, Duration delay, const caf::actor& target,
                                  caf::message msg) {
  caf::weak_actor_ptr weak = caf::actor_cast<caf::weak_actor_ptr>(target);
  return clock.schedule_after(delay, [weak, msg = std::move(msg)] {
    if (auto strong = caf::actor_cast<caf::actor>(weak.lock())) caf::anon_send(strong, msg);
  });
}

}  // namespace kactor::actors
