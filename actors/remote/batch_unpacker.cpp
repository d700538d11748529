#include "actors/remote/batch_unpacker.hpp"

#include <chrono>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/batch.hpp"
#include "actors/apiserver/protocol/messages.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"

namespace kactor::remote {
namespace {

/// How long an item may wait for its answer: as long as a remote client waits for any
/// request (RemoteApiServerOptions::request_timeout).
constexpr std::chrono::seconds kItemTimeout{60};

struct State {
  caf::actor apiserver;
  /// Answers to RequestBatch items, until they leave in one ResponseBatch per stand-in.
  apiserver::AnswerCollector answers;
  std::shared_ptr<spdlog::logger> log;
};
using Self = caf::stateful_actor<State>;

caf::behavior batch_unpacker(Self* self, caf::actor api) {
  auto& st = self->state;
  st.apiserver = std::move(api);
  st.log = actors::logger("batch-unpacker");
  // The door ends with what it stands in front of (its supervisor stops only on purpose).
  self->monitor(st.apiserver);
  self->set_down_handler([self](caf::down_msg& down) {
    if (down.source == self->state.apiserver.address()) self->quit(down.reason);
  });
  self->set_default_handler(
      [](caf::scheduled_actor* ptr, caf::message_view& msg) -> caf::result<caf::message> {
        auto* self = static_cast<Self*>(ptr);
        self->delegate(self->state.apiserver, msg.move_content_to_message());
        return caf::delegated<caf::message>{};
      });
  return actors::guarded(
      st.log,
      [self](apiserver::RequestBatch& batch) {
        auto& meter = actors::busy_meter_of(*self->state.log);
        apiserver::answer_items(
            self, batch, self->state.answers,
            [](Self* self, apiserver::Request&& r) {
              return self->request(self->state.apiserver, kItemTimeout, std::move(r));
            },
            [self, &meter](auto f) {
              return actors::guard_callback(self->state.log, meter, std::move(f));
            });
        return true;  // taken (the answers follow in ResponseBatches)
      },
      [self](apiserver::send_answers_atom) { self->state.answers.flush(self); });
}

}  // namespace

caf::actor spawn_batch_unpacker(caf::actor_system& system, caf::actor apiserver) {
  return system.spawn(batch_unpacker, std::move(apiserver));
}

}  // namespace kactor::remote
