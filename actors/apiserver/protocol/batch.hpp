// Many requests in one message, and their answers in another: what a remote process's
// stand-in (actors/remote/) and the API server's door (the gate with TLS, the batch unpacker
// without) exchange, so that the requests a process makes at about the same time cost one
// message across the connection instead of one each, and their answers likewise. Include
// only where CAF is used.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "api/status.hpp"

namespace kactor::apiserver {

/// Requests, each under an id its sender chose (unique among its unanswered ones).
struct RequestBatch {
  struct Item {
    uint64_t id = 0;
    Request request;
    /// Set on arrival when this item's bytes did not decode (a bug, or a process of another
    /// build naming a kind this one does not know): the item is answered with it, unhandled,
    /// and the batch's other items are not lost with it.
    std::optional<api::Status> undecodable;
  };
  std::vector<Item> items;
};

/// Answers to requests of RequestBatches, each under its request's id, in the order they
/// were ready (not necessarily the requests' order). An answer whose bytes do not decode
/// arrives as a 500 InternalError saying so, and the batch's other answers with it.
struct ResponseBatch {
  struct Item {
    uint64_t id = 0;
    Response response;
  };
  std::vector<Item> items;
};

// -- wire codec (wire.cpp) --
std::string wire_encode(const RequestBatch& x);
std::string wire_encode(const ResponseBatch& x);
bool wire_decode(std::string_view bytes, RequestBatch& x);
bool wire_decode(std::string_view bytes, ResponseBatch& x);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, RequestBatch& x) {
  return detail::inspect_wire(f, x, "kactor.RequestBatch");
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ResponseBatch& x) {
  return detail::inspect_wire(f, x, "kactor.ResponseBatch");
}

// -- answering the items of a RequestBatch --

/// (send_answers_atom) internal: the answers an AnswerCollector holds leave now.
using send_answers_atom = caf::atom_constant<caf::atom("send_answ")>;

/// The answers to the items of the RequestBatches an actor received, collected per sender:
/// each sender gets its answers in one ResponseBatch once the actor has handled the messages
/// already in its mailbox (a commit answers many requests at once).
class AnswerCollector {
 public:
  /// Queues the answer to item `id` of a batch from `to`. The first since the last flush
  /// sends `self` a send_answers_atom, on which its owner calls flush().
  template <class Self>
  void add(Self* self, const caf::actor& to, uint64_t id, Response&& r) {
    if (pending_.empty()) self->send(caf::actor_cast<caf::actor>(self), send_answers_atom::value);
    auto it = std::find_if(pending_.begin(), pending_.end(),
                           [&](const auto& p) { return p.first == to; });
    if (it == pending_.end()) it = pending_.emplace(pending_.end(), to, ResponseBatch{});
    it->second.items.push_back({id, std::move(r)});
  }

  template <class Self>
  void flush(Self* self) {
    for (auto& [to, batch] : pending_) self->send(to, std::move(batch));
    pending_.clear();
  }

 private:
  std::vector<std::pair<caf::actor, ResponseBatch>> pending_;
};

/// What an item whose request failed in CAF is answered: 504 when no answer came in time,
/// else 503 (the API server restarting or gone), as a remote client is answered for a
/// single request.
inline Response failed_item(const caf::error& e) {
  Response r;
  if (e == caf::sec::request_timeout) {
    r.error = api::timeout("the API server did not answer in time");
  } else {
    auto s = api::service_unavailable("the API server is unavailable: " + caf::to_string(e));
    s.details.retry_after_seconds = 1;
    r.error = std::move(s);
  }
  return r;
}

/// Answers each item of `batch`, from the current sender of `self`: `request(self, r)` sends
/// the item's Request on as a single request (the gate to itself, so it takes the path and
/// checks a single request from that sender takes; the unpacker to the API server) and
/// returns the response handle; the answer, or failed_item() when none came, goes to
/// `answers`. An item that did not decode is answered with its `undecodable` Status, unsent.
/// `answers` must outlive the actor's pending requests (a member of its state). `guard(f)`
/// wraps each answer callback `f` (the caller's actors::guard_callback, so that one that
/// throws costs its item's answer, not the actor, and is measured with its handlers).
template <class Self, class RequestItem, class Guard>
void answer_items(Self* self, RequestBatch& batch, AnswerCollector& answers, RequestItem request,
                  Guard guard) {
  auto from = caf::actor_cast<caf::actor>(self->current_sender());
  if (!from) return;
  for (auto& item : batch.items) {
    if (item.undecodable) {
      Response r;
      r.error = std::move(item.undecodable);
      answers.add(self, from, item.id, std::move(r));
      continue;
    }
    request(self, std::move(item.request))
        .then(guard([self, &answers, from, id = item.id](Response& r) {
                answers.add(self, from, id, std::move(r));
              }),
              guard([self, &answers, from, id = item.id](caf::error& e) {
                answers.add(self, from, id, failed_item(e));
              }));
  }
}

}  // namespace kactor::apiserver
