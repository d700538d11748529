#include "actors/remote/remote_apiserver.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/manager.hpp>

#include "actors/apiserver/protocol/batch.hpp"
#include "actors/apiserver/protocol/messages.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/timers.hpp"
#include "actors/remote/messages.hpp"
#include "api/util/random.hpp"

namespace kactor::remote {
namespace {

using apiserver::Request;
using apiserver::Response;
using apiserver::WatchEvents;
using apiserver::WatchRequest;

/// A watch opened through us: the local watcher, the tag it chose, and the id the API
/// server gave it (0 until its answer or first events arrive).
struct Watch {
  caf::actor watcher;
  uint64_t tag = 0;
  uint64_t watch_id = 0;
};

struct State {
  RemoteApiServerOptions options;
  std::string endpoint;  // "host:port", for messages
  Clock* clock = nullptr;
  std::unique_ptr<Random> random;
  std::shared_ptr<spdlog::logger> log;
  /// The API server's proxy while connected; invalid while not.
  caf::actor remote;
  bool connecting = false;
  uint32_t attempt = 0;  // failed attempts since the last connection
  bool ever_connected = false;
  /// Requests forwarded and not answered yet, by our own id: answered 503 on connection loss.
  uint64_t next_id = 0;
  std::map<uint64_t, caf::response_promise> pending;
  /// Requests not sent yet: they leave together, in one RequestBatch, once the messages
  /// already in our mailbox are handled (send_batch_atom).
  apiserver::RequestBatch outgoing;
  /// Watches by the tag we gave them on the wire (unique here, whatever the watchers chose).
  std::map<uint64_t, Watch> watches;
  /// Local watchers we monitor, so their watches are cancelled when they end.
  std::set<caf::actor_addr> watchers;
};
using Self = caf::stateful_actor<State>;

Response error_response(api::Status s) {
  Response r;
  r.error = std::move(s);
  return r;
}

void connect(Self* self);

void schedule_reconnect(Self* self) {
  auto& st = self->state;
  auto delay = reconnect_delay(st.options, st.attempt, st.random->unit());
  ++st.attempt;
  st.log->info("API server {}: next connection attempt in {} ms", st.endpoint,
               std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
  actors::send_later(*st.clock, delay, caf::actor_cast<caf::actor>(self), reconnect_atom::value);
}

void answer(Self* self, uint64_t id, Response&& r) {
  auto& pending = self->state.pending;
  auto it = pending.find(id);
  if (it == pending.end()) return;  // already answered 503 when the connection broke
  auto rp = std::move(it->second);
  pending.erase(it);
  rp.deliver(std::move(r));
}

Response from_caf_error(const State& st, const caf::error& e) {
  if (e == caf::sec::request_timeout)
    return error_response(api::timeout(fmt::format(
        "the API server at {} did not answer in time", st.endpoint)));
  return error_response(unreachable(st.endpoint, caf::to_string(e)));
}

/// The connection broke (or the API server ended): nothing in flight will be answered by it.
void on_connection_lost(Self* self, const caf::error& reason) {
  auto& st = self->state;
  st.log->warn("lost the API server at {} ({}); {} requests and {} watches end", st.endpoint,
               caf::to_string(reason), st.pending.size(), st.watches.size());
  st.remote = caf::actor{};
  st.outgoing.items.clear();  // all in `pending`: answered below
  auto pending = std::move(st.pending);
  st.pending.clear();
  for (auto& [id, rp] : pending)
    rp.deliver(error_response(unreachable(st.endpoint, "the connection was lost")));
  // A watch whose answer was pending got its 503 above; an open one ends as a closed stream
  // does, and its watcher watches again from the last resourceVersion it saw.
  auto watches = std::move(st.watches);
  st.watches.clear();
  for (auto& [tag, w] : watches) {
    if (w.watch_id == 0) continue;
    WatchEvents closed;
    closed.watch_id = w.watch_id;
    closed.tag = w.tag;
    closed.closed = true;
    self->send(w.watcher, std::move(closed));
  }
  st.attempt = 0;
  schedule_reconnect(self);
}

/// The connection is up (and, with TLS, its identity accepted): requests go through it now.
void on_connected(Self* self, caf::actor remote) {
  auto& st = self->state;
  st.connecting = false;
  st.remote = std::move(remote);
  self->monitor(st.remote);
  st.log->info("{} the API server at {}", st.ever_connected ? "reconnected to" : "connected to",
               st.endpoint);
  st.ever_connected = true;
  st.attempt = 0;
}

/// A refused or failed identity proof: the connection is not used; try again after back-off
/// (a certificate renewed on disk in the meantime is then presented).
void on_proof_failed(Self* self, const std::string& why) {
  auto& st = self->state;
  st.connecting = false;
  st.log->error("the API server at {} did not accept this process's identity: {}", st.endpoint,
                why);
  schedule_reconnect(self);
}

/// Over the new connection: ask the gate for a nonce, sign the challenge, present the proof.
void prove_identity(Self* self, caf::actor remote) {
  auto& st = self->state;
  self->request(remote, st.options.connect_timeout, peer_hello_atom::value)
      .then(
          actors::guard_callback(
              st.log,
              [self, remote](std::string& nonce) {
                auto& st = self->state;
                auto proof = st.options.prove(peer_challenge(
                    nonce, caf::to_string(remote.node()), caf::to_string(self->node())));
                if (!proof) return on_proof_failed(self, proof.error().message);
                self->request(remote, st.options.connect_timeout, peer_prove_atom::value,
                              std::move(*proof))
                    .then(actors::guard_callback(st.log,
                                                 [self, remote](std::string& who) {
                                                   self->state.log->info(
                                                       "the API server accepted this process "
                                                       "as {}",
                                                       who);
                                                   on_connected(self, remote);
                                                 }),
                          actors::guard_callback(st.log, [self](caf::error& e) {
                            on_proof_failed(self, caf::to_string(e));
                          }));
              }),
          actors::guard_callback(st.log, [self](caf::error& e) {
            on_proof_failed(self, caf::to_string(e));
          }));
}

void connect(Self* self) {
  auto& st = self->state;
  if (st.remote || st.connecting) return;
  st.connecting = true;
  auto mm = st.options.tls ? self->system().openssl_manager().actor_handle()
                           : self->system().middleman().actor_handle();
  self->request(mm, st.options.connect_timeout, caf::connect_atom::value, st.options.host,
                st.options.port)
      .then(
          actors::guard_callback(
              st.log,
              [self](const caf::node_id&, caf::strong_actor_ptr& ptr,
                     const std::set<std::string>&) {
                auto& st = self->state;
                if (!ptr) {
                  st.connecting = false;
                  st.log->warn("nothing is published at {}", st.endpoint);
                  schedule_reconnect(self);
                  return;
                }
                auto remote = caf::actor_cast<caf::actor>(std::move(ptr));
                if (st.options.prove)
                  prove_identity(self, std::move(remote));
                else
                  on_connected(self, std::move(remote));
              }),
          actors::guard_callback(st.log, [self](caf::error& e) {
            auto& st = self->state;
            st.connecting = false;
            st.log->warn("cannot connect to the API server at {}: {}", st.endpoint,
                         caf::to_string(e));
            schedule_reconnect(self);
          }));
}

/// Requests go out in batches: the first one queued asks for a send_batch_atom, which we
/// handle after the messages already in our mailbox, so the requests our components make
/// at about the same time (a round of watch events wakes hundreds of kubelets) share one
/// message. The batch is a request the API server's door (the gate, or the batch unpacker
/// without TLS) answers `true` on taking it, or with an error when the door itself is gone
/// (503 for every item); each item is answered by its id in a ResponseBatch (503 when it
/// reached a restarting API server), or with 504 after request_timeout.
caf::result<Response> forward_request(Self* self, Request& req) {
  auto& st = self->state;
  if (!st.remote)
    return error_response(unreachable(st.endpoint, "not connected (reconnecting)"));
  auto id = ++st.next_id;
  auto rp = self->make_response_promise<Response>();
  st.pending.emplace(id, rp);
  if (st.outgoing.items.empty()) self->send(self, send_batch_atom::value);
  st.outgoing.items.push_back({id, std::move(req)});
  return rp;
}

void send_batch(Self* self) {
  auto& st = self->state;
  if (st.outgoing.items.empty()) return;
  if (!st.remote) {  // lost since: on_connection_lost answered them already
    st.outgoing.items.clear();
    return;
  }
  std::vector<uint64_t> ids;
  ids.reserve(st.outgoing.items.size());
  for (const auto& item : st.outgoing.items) ids.push_back(item.id);
  self->request(st.remote, st.options.request_timeout, std::exchange(st.outgoing, {}))
      .then([](bool) {},
            actors::guard_callback(st.log, [self, ids](caf::error& e) {
              for (uint64_t id : ids) answer(self, id, from_caf_error(self->state, e));
            }));
  self->delayed_send(self, st.options.request_timeout, batch_timeout_atom::value, std::move(ids));
}

void on_responses(Self* self, apiserver::ResponseBatch& batch) {
  for (auto& item : batch.items) answer(self, item.id, std::move(item.response));
}

/// The requests of a batch still unanswered request_timeout after it left: 504, as a CAF
/// request's timeout answered before requests were batched.
void on_batch_timeout(Self* self, const std::vector<uint64_t>& ids) {
  for (uint64_t id : ids)
    answer(self, id, from_caf_error(self->state, caf::make_error(caf::sec::request_timeout)));
}

caf::result<Response> forward_watch(Self* self, WatchRequest& wr) {
  auto& st = self->state;
  if (!st.remote)
    return error_response(unreachable(st.endpoint, "not connected (reconnecting)"));
  auto watcher = caf::actor_cast<caf::actor>(self->current_sender());
  if (!watcher) return error_response(api::bad_request("watch needs a replying actor"));
  if (st.watchers.insert(watcher.address()).second) self->monitor(watcher);
  const uint64_t wire_tag = ++st.next_id;
  st.watches[wire_tag] = Watch{watcher, wr.tag, 0};
  wr.tag = wire_tag;
  // The events of all our watches come in one message per round of the API server's
  // delivery (each event decoded once here, however many of our watches saw it); we relay
  // them to each watcher as plain WatchEvents.
  wr.batched = true;
  auto id = ++st.next_id;
  auto rp = self->make_response_promise<Response>();
  st.pending.emplace(id, rp);
  self->request(st.remote, st.options.request_timeout, std::move(wr))
      .then(actors::guard_callback(st.log,
                                   [self, id, wire_tag](Response& r) {
                                     auto& st = self->state;
                                     auto it = st.watches.find(wire_tag);
                                     if (r.error) {
                                       if (it != st.watches.end()) st.watches.erase(it);
                                     } else if (it != st.watches.end()) {
                                       it->second.watch_id = r.watch_id;
                                     }
                                     answer(self, id, std::move(r));
                                   }),
            actors::guard_callback(st.log, [self, id, wire_tag](caf::error& e) {
              self->state.watches.erase(wire_tag);
              answer(self, id, from_caf_error(self->state, e));
            }));
  return rp;
}

/// Events of a watch opened through us: to its watcher, in process, under the watcher's tag.
void relay_events(Self* self, WatchEvents& ev) {
  auto& st = self->state;
  auto it = st.watches.find(ev.tag);
  if (it == st.watches.end()) {
    // Its watcher is gone (or it was cancelled): make sure the API server stops it too.
    if (st.remote && !ev.closed) self->send(st.remote, apiserver::cancel_atom::value, ev.watch_id);
    return;
  }
  it->second.watch_id = ev.watch_id;  // events may come before the answer to the request
  ev.tag = it->second.tag;
  auto watcher = it->second.watcher;
  if (ev.closed) st.watches.erase(it);
  self->send(watcher, std::move(ev));
}

/// A local watcher ended: cancel its watches on the API server.
void on_watcher_down(Self* self, const caf::actor_addr& source) {
  auto& st = self->state;
  st.watchers.erase(source);
  for (auto it = st.watches.begin(); it != st.watches.end();) {
    if (it->second.watcher.address() != source) {
      ++it;
      continue;
    }
    if (st.remote && it->second.watch_id)
      self->send(st.remote, apiserver::cancel_atom::value, it->second.watch_id);
    it = st.watches.erase(it);
  }
}

caf::behavior remote_apiserver(Self* self, Clock* clock, RemoteApiServerOptions options) {
  auto& st = self->state;
  st.endpoint = fmt::format("{}:{}", options.host, options.port);
  st.clock = clock;
  st.random = std::make_unique<Random>(options.seed);
  st.options = std::move(options);
  st.log = actors::logger("remote");
  st.log->info("API server {}: reconnect back-off {}..{} ms, jitter {}, seed {}", st.endpoint,
               std::chrono::duration_cast<std::chrono::milliseconds>(st.options.initial_backoff)
                   .count(),
               std::chrono::duration_cast<std::chrono::milliseconds>(st.options.max_backoff)
                   .count(),
               st.options.jitter, st.options.seed);
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    if (st.remote && down.source == st.remote.address())
      on_connection_lost(self, down.reason);
    else
      on_watcher_down(self, down.source);
  });
  // Anything else a component sends the API server (compact_atom, cancel_atom without an id,
  // ...) goes there as it is, with its sender and request id.
  self->set_default_handler(
      [](caf::scheduled_actor* ptr, caf::message_view& msg) -> caf::result<caf::message> {
        auto* self = static_cast<Self*>(ptr);
        if (!self->state.remote)
          return caf::make_error(caf::sec::request_receiver_down,
                                 "the API server at " + self->state.endpoint + " is out of reach");
        self->delegate(self->state.remote, msg.move_content_to_message());
        return caf::delegated<caf::message>{};
      });
  connect(self);
  return actors::guarded(
      st.log,
      [self](Request& req) -> caf::result<Response> { return forward_request(self, req); },
      [self](WatchRequest& wr) -> caf::result<Response> { return forward_watch(self, wr); },
      [self](WatchEvents& ev) { relay_events(self, ev); },
      [self](apiserver::WatchEventsBatch& batch) {
        for (auto& ev : batch.items) relay_events(self, ev);
      },
      [self](apiserver::ack_atom, uint64_t id, uint64_t count) {
        if (self->state.remote)
          self->send(self->state.remote, apiserver::ack_atom::value, id, count);
      },
      [self](apiserver::cancel_atom, uint64_t id) {
        if (self->state.remote) self->send(self->state.remote, apiserver::cancel_atom::value, id);
      },
      [self](send_batch_atom) { send_batch(self); },
      [self](apiserver::ResponseBatch& batch) { on_responses(self, batch); },
      [self](batch_timeout_atom, const std::vector<uint64_t>& ids) { on_batch_timeout(self, ids); },
      [self](reconnect_atom) { connect(self); },
      [self](remote_state_atom) { return static_cast<bool>(self->state.remote); });
}

}  // namespace

Duration reconnect_delay(const RemoteApiServerOptions& options, uint32_t attempt, double unit) {
  const double initial = std::chrono::duration<double>(options.initial_backoff).count();
  const double cap = std::chrono::duration<double>(options.max_backoff).count();
  const double nominal = std::min(cap, initial * std::pow(2.0, std::min<uint32_t>(attempt, 62)));
  const double jitter = std::clamp(options.jitter, 0.0, 1.0);
  const double factor = 1.0 + jitter * (2.0 * unit - 1.0);
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(nominal * factor));
}

std::string peer_challenge(const std::string& nonce, const std::string& server_node,
                           const std::string& client_node) {
  return fmt::format("kactor peer identity v1\nnonce {}\nserver {}\nclient {}\n", nonce,
                     server_node, client_node);
}

api::Status unreachable(const std::string& endpoint, const std::string& why) {
  api::Status s;
  s.code = 503;
  s.reason = "ServiceUnavailable";
  s.message = fmt::format("the API server at {} is unavailable: {}", endpoint, why);
  s.details.retry_after_seconds = 1;
  return s;
}

caf::actor spawn_remote_apiserver(caf::actor_system& system, Clock& clock,
                                  RemoteApiServerOptions options) {
  return system.spawn(remote_apiserver, &clock, std::move(options));
}

bool wait_connected(caf::actor_system& system, const caf::actor& remote,
                    std::chrono::milliseconds deadline) {
  caf::scoped_actor self{system};
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    bool connected = false;
    self->request(remote, std::chrono::seconds(5), remote_state_atom::value)
        .receive([&](bool up) { connected = up; }, [](caf::error&) {});
    if (connected) return true;
    auto now = std::chrono::steady_clock::now();
    if (now >= until) return false;
    // Poll again after a short pause (a condition with a deadline, not a fixed sleep).
    self->receive(caf::after(std::min<std::chrono::steady_clock::duration>(
                      std::chrono::milliseconds(50), until - now)) >> [] {});
  }
}

api::Result<std::pair<std::string, uint16_t>> parse_endpoint(const std::string& text,
                                                             const std::string& flag,
                                                             bool any_port) {
  auto bad = [&](const std::string& why) {
    return api::fail(api::bad_request(
        fmt::format("{} must be host:port (e.g. 127.0.0.1:6443), not \"{}\": {}", flag, text,
                    why)));
  };
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad("no host:port");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const auto port_text = std::string_view(text).substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() ||
      (port == 0 && !any_port) || port > 65535)
    return bad(any_port ? "the port must be 0..65535 (0: any free one)"
                        : "the port must be 1..65535");
  return std::pair{host, static_cast<uint16_t>(port)};
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace kactor::remote
