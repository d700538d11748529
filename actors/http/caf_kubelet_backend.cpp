#include "actors/http/caf_kubelet_backend.hpp"

#include <atomic>

#include <caf/all.hpp>

#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/http/messages.hpp"
#include "actors/kubelet/protocol/messages.hpp"

namespace kactor::http {
namespace {

using kubelet::PodLogChunk;

PodLogChunk error_chunk(int code, const std::string& reason, const std::string& message) {
  PodLogChunk c;
  c.error = api::Status{code, reason, message, {}};
  return c;
}

struct LogReaderState {
  caf::actor kubelet;  // the incarnation that answered (not its supervisor)
  uint64_t follow_id = 0;
  bool done = false;
  /// The reader went before the kubelet answered: a follow it starts is stopped at once.
  bool cancelled = false;
};

/// Asks `kubelet` for the log and relays what comes back to `on_chunk`, in order.
caf::behavior log_reader(caf::stateful_actor<LogReaderState>* self, caf::actor kubelet,
                         kubelet::PodLogRequest request, KubeletBackend::OnChunk on_chunk,
                         std::chrono::milliseconds timeout) {
  auto log = actors::logger("http");
  auto deliver = std::make_shared<KubeletBackend::OnChunk>(std::move(on_chunk));
  auto finish = [self, deliver, log](PodLogChunk chunk) {
    if (self->state.done) return;
    self->state.done = chunk.ended || chunk.error.has_value();
    // A consumer that throws loses its chunk, not the reader's end (the down handler below
    // has no guard of its own).
    try {
      (*deliver)(std::move(chunk));
    } catch (...) {
      actors::log_handler_exception(*log, actors::current_exception_text(),
                                    "the log chunk is dropped");
    }
    // Last: quit() drops the actor's handlers, the down handler that holds this closure
    // among them.
    if (self->state.done) self->quit();
  };
  // The kubelet going away mid-follow ends the log, as a closed connection to it would.
  self->set_down_handler([finish](caf::down_msg&) {
    PodLogChunk end;
    finish(std::move(end));
  });
  self->request(kubelet, timeout, kubelet::kubelet_logs_atom::value, std::move(request))
      .then(
          actors::guard_callback(
              log,
              [self, finish](PodLogChunk& chunk) {
                if (self->state.cancelled) {
                  if (chunk.follow_id)
                    self->send(caf::actor_cast<caf::actor>(self->current_sender()),
                               kubelet::kubelet_log_stop_atom::value, chunk.follow_id);
                  return self->quit();
                }
                if (!chunk.ended && !chunk.error) {
                  self->state.follow_id = chunk.follow_id;
                  if (auto sender = caf::actor_cast<caf::actor>(self->current_sender())) {
                    self->state.kubelet = sender;
                    self->monitor(sender);
                  }
                }
                finish(std::move(chunk));
              }),
          actors::guard_callback(log, [self, finish](caf::error& e) {
            if (self->state.cancelled) return self->quit();
            finish(e == caf::sec::request_timeout
                       ? error_chunk(504, "Timeout", "the kubelet did not answer in time")
                       : error_chunk(503, "ServiceUnavailable", "the kubelet is not available"));
          }));
  return actors::guarded(
      log,
      [self, finish](PodLogChunk& chunk) {
        if (chunk.follow_id != self->state.follow_id) return;
        finish(std::move(chunk));
      },
      [self](log_cancel_atom) {
        auto& st = self->state;
        st.done = true;
        if (!st.kubelet) {  // no answer yet: wait for it, to stop the follow it may start
          st.cancelled = true;
          return;
        }
        if (st.follow_id)
          self->send(st.kubelet, kubelet::kubelet_log_stop_atom::value, st.follow_id);
        self->quit();
      });
}

class CafLogControl final : public LogControl {
 public:
  explicit CafLogControl(caf::actor actor) : actor_(std::move(actor)) {}
  void cancel() override {
    if (!cancelled_.exchange(true)) caf::anon_send(actor_, log_cancel_atom::value);
  }

 private:
  caf::actor actor_;
  std::atomic<bool> cancelled_{false};
};

/// Nothing to steer: the answer was an error given at once.
class NoLogControl final : public LogControl {
 public:
  void cancel() override {}
};

/// Asks `kubelet` for its Summary once and passes the answer on.
caf::behavior summary_reader(caf::event_based_actor* self, caf::actor kubelet,
                             KubeletBackend::OnSummary done, std::chrono::milliseconds timeout) {
  // Each callback quits first: a `done` that throws (caught by the guard) must not keep the
  // reader.
  auto log = actors::logger("http");
  self->request(kubelet, timeout, kubelet::kubelet_summary_atom::value)
      .then(actors::guard_callback(log,
                                   [self, done](kubelet::Summary& s) {
                                     self->quit();
                                     done(std::move(s));
                                   }),
            actors::guard_callback(log, [self, done](caf::error& e) {
              self->quit();
              if (e == caf::sec::request_timeout)
                done(api::fail(api::timeout("the kubelet did not answer in time")));
              else
                done(api::fail(
                    api::service_unavailable("the kubelet does not serve stats summaries")));
            }));
  // Nothing else to handle: the pending request keeps the actor until it is answered.
  return {[](log_cancel_atom) {}};
}

}  // namespace

CafKubeletBackend::CafKubeletBackend(caf::actor_system& system, KubeletLookup lookup,
                                     std::chrono::milliseconds timeout)
    : system_(system), lookup_(std::move(lookup)), timeout_(timeout) {}

std::shared_ptr<LogControl> CafKubeletBackend::pod_logs(const std::string& node,
                                                        kubelet::PodLogRequest request,
                                                        OnChunk on_chunk) {
  auto kubelet = lookup_ ? lookup_(node) : std::nullopt;
  if (!kubelet || !*kubelet) {
    on_chunk(error_chunk(503, "ServiceUnavailable", "no kubelet is reachable for node " + node));
    return std::make_shared<NoLogControl>();
  }
  auto actor =
      system_.spawn(log_reader, *kubelet, std::move(request), std::move(on_chunk), timeout_);
  return std::make_shared<CafLogControl>(std::move(actor));
}

void CafKubeletBackend::summary(const std::string& node, OnSummary done) {
  auto kubelet = lookup_ ? lookup_(node) : std::nullopt;
  if (!kubelet || !*kubelet)
    return done(api::fail(api::service_unavailable("no kubelet is reachable for node " + node)));
  system_.spawn(summary_reader, *kubelet, std::move(done), timeout_);
}

}  // namespace kactor::http
