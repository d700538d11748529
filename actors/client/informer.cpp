#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/async_client.hpp"
#include "actors/client/requests.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/timers.hpp"

namespace kactor::client {
namespace {

using apiserver::Request;
using apiserver::Response;
using apiserver::WatchEvent;
using apiserver::WatchEvents;
using apiserver::WatchRequest;

/// Lists of a large kind take a while on a loaded API server; anything slower than this is
/// treated as a failure and retried.
constexpr std::chrono::seconds kListTimeout{60};
/// Unacknowledged events at which a watch acknowledges them all (apply_events); the API
/// server's window (WatchHub::Options::max_unacked) must stay far above it.
constexpr uint64_t kAckBatch = 32;

/// Failures worth watching again from where we were, rather than listing everything again:
/// the API server out of reach for now (503, as a remote one answers while it reconnects),
/// overloaded (429) or slow (504). Upstream's reflector likewise retries the watch after a
/// back-off when the connection is refused or it is told to slow down.
bool retriable(const api::Status& s) {
  return s.code == 503 || s.code == 429 || s.code == 504;
}

struct State {
  std::unique_ptr<AsyncClient> client;
  Clock* clock = nullptr;
  InformerOptions options;
  std::shared_ptr<Cache> cache;
  std::vector<caf::actor> subscribers;
  uint64_t tag = 0;  // of the current watch; events of older watches are ignored
  uint64_t watch_id = 0;
  /// The API server actor that answered the current watch (behind a supervisor, one
  /// incarnation): when it ends, the watch has ended with it.
  caf::actor_addr watch_server;
  bool listing = false;
  /// Events of the current watch received and not yet acknowledged (see apply_events).
  uint64_t unacked = 0;
  std::shared_ptr<spdlog::logger> log;
};
using Self = caf::stateful_actor<State>;

void notify(Self* self, InformerEvents&& batch) {
  if (batch.events.empty() && !batch.synced) return;
  auto& subs = self->state.subscribers;
  for (size_t i = 0; i < subs.size(); ++i) {
    if (i + 1 == subs.size())
      self->send(subs[i], std::move(batch));
    else
      self->send(subs[i], batch);
  }
}

void relist(Self* self);

void schedule_retry(Self* self) {
  auto& st = self->state;
  actors::send_later(*st.clock, st.options.retry_delay, caf::actor_cast<caf::actor>(self),
                     relist_atom::value);
}

/// Monitors `server`, the actor that answered the watch request, once: its watches end when
/// it does, without an event (a restarted API server knows nothing of them).
void watch_server(Self* self, const caf::strong_actor_ptr& server) {
  auto& st = self->state;
  if (!server || server->address() == st.watch_server) return;
  st.watch_server = server->address();
  self->monitor(server);
}

/// The API server serving our watch ended: list again (after the retry delay), as a reflector
/// does when its watch connection breaks.
void on_server_down(Self* self, const caf::down_msg& down) {
  auto& st = self->state;
  if (down.source != st.watch_server) return;
  st.watch_server = caf::actor_addr{};
  st.log->info("the API server serving the {} watch ended ({}); listing again",
               st.options.type->resource, caf::to_string(down.reason));
  ++st.tag;  // nothing more comes from that watch
  st.watch_id = 0;
  schedule_retry(self);
}

void start_watch(Self* self) {
  auto& st = self->state;
  WatchRequest wr;
  wr.group = st.options.type->group;
  wr.resource = st.options.type->resource;
  wr.namespace_ = st.options.namespace_;
  wr.label_selector = st.options.label_selector;
  wr.field_selector = st.options.field_selector;
  wr.resource_version = st.cache->resource_version();
  wr.allow_bookmarks = true;
  wr.tag = ++st.tag;
  st.watch_id = 0;  // the previous watch (if any) is closed or cancelled; this one has no id yet
  st.unacked = 0;
  st.client->watch(wr, [self, tag = wr.tag](Response& r) {
    if (tag != self->state.tag) return;
    if (r.error) {
      auto& st = self->state;
      st.log->warn("watch failed: {}", r.error->message);
      if (retriable(*r.error) && st.cache->synced())
        actors::send_later(*st.clock, st.options.retry_delay, caf::actor_cast<caf::actor>(self),
                           rewatch_atom::value, st.tag);
      else
        schedule_retry(self);
      return;
    }
    self->state.watch_id = r.watch_id;
    watch_server(self, self->current_sender());
  });
}

void apply_list(Self* self, Response& r) {
  auto& st = self->state;
  InformerEvents batch;
  std::set<std::string> seen;
  for (auto& obj : r.items) {
    auto key = api::object_key(*obj);
    seen.insert(key);
    auto old = st.cache->get(key);
    if (old && old->metadata.resource_version == obj->metadata.resource_version) continue;
    st.cache->upsert(obj);
    batch.events.push_back(
        {old ? InformerEvent::Type::updated : InformerEvent::Type::added, obj, old});
  }
  for (auto& obj : st.cache->list()) {
    auto key = api::object_key(*obj);
    if (seen.count(key)) continue;
    st.cache->erase(key);
    batch.events.push_back({InformerEvent::Type::deleted, obj, nullptr});
  }
  st.cache->set_resource_version(r.resource_version);
  st.cache->set_synced();
  batch.synced = true;
  notify(self, std::move(batch));
}

void relist(Self* self) {
  auto& st = self->state;
  if (st.listing) return;
  st.listing = true;
  ++st.tag;  // forget the old watch
  if (st.watch_id) self->send(st.client->apiserver(), apiserver::cancel_atom::value, st.watch_id);
  st.watch_id = 0;
  ListOptions list;
  list.label_selector = st.options.label_selector;
  list.field_selector = st.options.field_selector;
  st.client->call(list_request(*st.options.type, st.options.namespace_, list),
                  [self](Response& r) {
                    self->state.listing = false;
                    if (r.error) {
                      self->state.log->warn("list failed: {}", r.error->message);
                      schedule_retry(self);
                      return;
                    }
                    apply_list(self, r);
                    start_watch(self);
                  });
}

void apply_events(Self* self, WatchEvents& msg) {
  auto& st = self->state;
  if (msg.tag != st.tag) return;  // an earlier watch's leftovers
  st.watch_id = msg.watch_id;
  InformerEvents batch;
  bool expired = false;
  for (const auto& ev : msg.events) {
    switch (ev->type) {
      case WatchEvent::Type::added:
      case WatchEvent::Type::modified: {
        auto old = st.cache->upsert(ev->object);
        batch.events.push_back(
            {old ? InformerEvent::Type::updated : InformerEvent::Type::added, ev->object, old});
        st.cache->set_resource_version(ev->object->metadata.resource_version);
        break;
      }
      case WatchEvent::Type::deleted: {
        auto old = st.cache->erase(api::object_key(*ev->object));
        if (old) batch.events.push_back({InformerEvent::Type::deleted, ev->object, nullptr});
        st.cache->set_resource_version(ev->object->metadata.resource_version);
        break;
      }
      case WatchEvent::Type::bookmark:
        st.cache->set_resource_version(ev->object->metadata.resource_version);
        break;
      case WatchEvent::Type::error:
        expired = true;  // 410 or any other error: start over from a list
        if (ev->error) st.log->info("watch ended: {}", ev->error->message);
        break;
    }
  }
  // Acknowledged once kAckBatch or more have built up, not per message, as the HTTP API's
  // watches are (caf_backend.cpp): one per message made the acknowledgements a quarter of the API
  // server's messages (~90,000 of ~338,000 in bench_density's 30,000-pod run), and the
  // server's window (WatchHub::Options::max_unacked, 100,000) is far larger than a batch.
  st.unacked += msg.events.size();
  if (st.unacked >= kAckBatch) {
    self->send(st.client->apiserver(), apiserver::ack_atom::value, msg.watch_id, st.unacked);
    st.unacked = 0;
  }
  notify(self, std::move(batch));
  if (expired)
    relist(self);
  else if (msg.closed)
    start_watch(self);  // resume from the last revision seen
}

caf::behavior informer_actor(Self* self, caf::actor apiserver, Clock* clock,
                             InformerOptions options, std::shared_ptr<Cache> cache) {
  auto& st = self->state;
  st.client = std::make_unique<AsyncClient>(self, std::move(apiserver), kListTimeout);
  st.clock = clock;
  st.options = std::move(options);
  st.cache = std::move(cache);
  st.log = actors::logger("informer");
  self->set_down_handler([self](caf::down_msg& down) { on_server_down(self, down); });
  relist(self);
  return actors::guarded(
      st.log,
      [self](WatchEvents& msg) { apply_events(self, msg); },
      [self](relist_atom) { relist(self); },
      // Only if nothing else (a relist, a newer watch) took over since it was scheduled.
      [self](rewatch_atom, uint64_t tag) {
        auto& st = self->state;
        if (tag == st.tag && !st.listing && st.watch_id == 0) start_watch(self);
      },
      [self](unsubscribe_atom, caf::actor subscriber) {
        auto& subs = self->state.subscribers;
        subs.erase(std::remove(subs.begin(), subs.end(), subscriber), subs.end());
      },
      [self](subscribe_atom, caf::actor subscriber) {
        auto& st = self->state;
        st.subscribers.push_back(subscriber);
        if (!st.cache->synced()) return;
        InformerEvents snapshot;
        snapshot.synced = true;
        for (auto& obj : st.cache->list())
          snapshot.events.push_back({InformerEvent::Type::added, obj, nullptr});
        self->send(subscriber, std::move(snapshot));
      });
}

}  // namespace

Informer spawn_informer(caf::actor_system& system, caf::actor apiserver, Clock& clock,
                        InformerOptions options) {
  auto cache = std::make_shared<Cache>();
  auto actor =
      system.spawn(informer_actor, std::move(apiserver), &clock, std::move(options), cache);
  return Informer{actor, cache, cache};
}

Informer InformerFactory::get(const api::TypeInfo& type, const std::string& namespace_,
                              const std::string& label_selector,
                              const std::string& field_selector) {
  std::string key = type.group + "/" + type.resource + "|" + namespace_ + "|" + label_selector +
                    "|" + field_selector;
  std::lock_guard lock(mutex_);
  auto it = informers_.find(key);
  if (it != informers_.end()) return it->second;
  InformerOptions opts;
  opts.type = &type;
  opts.namespace_ = namespace_;
  opts.label_selector = label_selector;
  opts.field_selector = field_selector;
  auto inf = spawn_informer(system_, apiserver_, clock_, std::move(opts));
  informers_.emplace(key, inf);
  return inf;
}

void InformerFactory::shutdown() {
  std::lock_guard lock(mutex_);
  for (auto& [k, inf] : informers_) caf::anon_send_exit(inf.actor, caf::exit_reason::user_shutdown);
  informers_.clear();
}

}  // namespace kactor::client
