// The API server actor: the only writer of the store. Requests are handled by
// Core against the in-memory tables; writes pending in the mailbox are grouped
// into one store batch, written on the store worker's thread (fsync off the
// scheduler's threads), and only then answered and published to watchers.
#include "actors/apiserver/apiserver.hpp"

#include "actors/common/logging.hpp"

#include <algorithm>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/apiserver/admission/admission.hpp"
#include "actors/apiserver/core.hpp"
#include "actors/apiserver/event_ttl.hpp"
#include "actors/apiserver/messages.hpp"
#include "actors/apiserver/protocol/messages.hpp"
#include "actors/apiserver/request_options.hpp"
#include "actors/apiserver/store_worker.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/timers.hpp"
#include "api/resource_version.hpp"
#include "api/registry.hpp"
#include "api/types/event.hpp"
#include "store/store.hpp"
#include "telemetry/registry.hpp"

namespace kactor::apiserver {
namespace {

/// Writes staged by Core plus everything to do once they are durable.
struct Group {
  PendingCommit commit;
  std::vector<std::pair<caf::response_promise, Response>> replies;
  std::vector<std::function<void()>> after;
  bool write_failed = false;
  std::string write_error;
};
using GroupPtr = std::shared_ptr<Group>;

/// What the store worker's thread hands back: run on the API server actor, in order.
struct StoreDone {
  std::function<void()> then;
};

}  // namespace
}  // namespace kactor::apiserver

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::apiserver::StoreDone)

namespace kactor::apiserver {
namespace {

/// The store's blocking calls, as jobs for the StoreWorker; `done` runs on the API server.
class StoreJobs {
 public:
  StoreJobs(std::shared_ptr<store::Store> store, caf::actor_addr apiserver)
      : store_(std::move(store)), apiserver_(std::move(apiserver)) {
    // One group commit: RocksDB's write of the batch, with its fsync under sync durability.
    // Named for what it measures (upstream's etcd_request_duration_seconds times etcd calls).
    commit_seconds_ = &telemetry::Registry::global().histogram(
        "kactor_store_commit_duration_seconds",
        "Latency in seconds of the API server's store commits (one batch of writes, made durable "
        "as the store's durability says)",
        {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
         5});
  }

  /// Writes the group's batch; `done` always runs (the API server waits for this group).
  void write(const GroupPtr& group, std::function<void()> done) {
    worker_.post([this, group, done = std::move(done)]() mutable {
      try {
        const auto started = std::chrono::steady_clock::now();
        auto written = store_->write(std::move(group->commit.batch));
        commit_seconds_->observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (!written) {
          group->write_failed = true;
          group->write_error = written.error().message;
        }
      } catch (...) {
        group->write_failed = true;
        group->write_error = actors::current_exception_text();
      }
      back(std::move(done));
    });
  }

  /// Compacts to the revision the store chooses; then `done` (may be empty).
  void compact(int64_t keep_events, int64_t keep_age_ms, int64_t now_ms,
               std::function<void()> done) {
    worker_.post([this, keep_events, keep_age_ms, now_ms, done = std::move(done)]() mutable {
      try {
        auto rev = store_->choose_compaction_revision(keep_events, keep_age_ms, now_ms);
        if (rev && *rev > store_->compacted_revision()) {
          if (auto compacted = store_->compact(*rev); !compacted)
            actors::logger("apiserver")->warn("compaction failed: {}", compacted.error().message);
        }
      } catch (...) {
        actors::logger("apiserver")->warn("compaction failed: {}", actors::current_exception_text());
      }
      if (done) back(std::move(done));
    });
  }

 private:
  /// Sends `done` to the API server, unless it is gone (then nobody waits for it).
  void back(std::function<void()> done) {
    if (auto apiserver = caf::actor_cast<caf::actor>(apiserver_))
      caf::anon_send(apiserver, StoreDone{std::move(done)});
  }

  std::shared_ptr<store::Store> store_;
  caf::actor_addr apiserver_;
  telemetry::Histogram* commit_seconds_ = nullptr;
  // Last: destroyed (joined) first, while the members its jobs use are still there.
  StoreWorker worker_;
};

struct State {
  std::unique_ptr<Core> core;
  std::unique_ptr<WatchHub> hub;
  std::shared_ptr<store::Store> store;
  Clock* clock = nullptr;
  ApiServerOptions options;
  /// The store's blocking calls, on a thread of their own (destroyed with the state).
  std::unique_ptr<StoreJobs> io;
  GroupPtr open = std::make_shared<Group>();  // collects replies for the staged writes
  GroupPtr in_flight;                         // being written by the store worker
  bool flush_scheduled = false;
  bool compacting = false;  ///< a compaction for the log's bound is with the store worker
  size_t handled_since_flush = 0;
  /// The watches each watcher actor holds (ended with it); ids of watches that ended
  /// otherwise are pruned as the set grows (note_watch).
  std::unordered_map<caf::actor_addr, std::unordered_set<uint64_t>> watches_by_actor;
  /// Batched watchers' events of the current round of delivery, one batch per watcher
  /// (a few: the HTTP server's multiplexers); sent when the hub's round ends.
  std::vector<std::pair<caf::actor, WatchEventsBatch>> outbox;
  std::shared_ptr<spdlog::logger> log;
};

using Self = caf::stateful_actor<State>;

/// The latest group whose writes a reader may have seen, or null if all is durable.
GroupPtr latest_pending(Self* self) {
  auto& st = self->state;
  if (st.core->has_staged_writes()) return st.open;
  return st.in_flight;
}

/// Runs `fn` once everything staged so far is durable (now, if it already is).
void after_durable(Self* self, std::function<void()> fn) {
  if (auto g = latest_pending(self)) g->after.push_back(std::move(fn));
  else fn();
}

void start_write(Self* self);

/// Keeps the event log within `compaction_max_events` (one compaction at a time).
void bound_event_log(Self* self) {
  auto& st = self->state;
  const int64_t max_events = st.options.compaction_max_events;
  if (max_events <= 0 || st.compacting) return;
  if (st.store->revision() - st.store->compacted_revision() <= max_events) return;
  st.compacting = true;
  auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(st.clock->now().time_since_epoch())
          .count();
  st.io->compact(max_events / 2, 0, now_ms,
                 [self] { self->state.compacting = false; });
}

void finish_write(Self* self, GroupPtr group) {
  auto& st = self->state;
  st.in_flight = nullptr;
  if (group->write_failed) {
    // The tables are now ahead of the disk; the store refuses further writes, so every
    // later write fails too. Answer honestly and keep serving reads.
    st.log->error("store write failed: {}", group->write_error);
    for (auto& [rp, resp] : group->replies)
      rp.deliver(error_response(api::internal_error("store write failed: " + group->write_error)));
  } else {
    st.core->committed(group->commit.changes);
    st.hub->publish(group->commit.changes);
    for (auto& [rp, resp] : group->replies) rp.deliver(std::move(resp));
  }
  for (auto& fn : group->after) fn();
  bound_event_log(self);
  if (st.core->has_staged_writes()) start_write(self);
}

void start_write(Self* self) {
  auto& st = self->state;
  if (st.in_flight || !st.core->has_staged_writes()) return;
  auto group = st.open;
  group->commit = st.core->take_commit();
  st.open = std::make_shared<Group>();
  st.in_flight = group;
  st.handled_since_flush = 0;
  st.io->write(group, [self, group] { finish_write(self, group); });
}

/// Flushing happens when the mailbox holds no more requests that arrived before the
/// flush message: those all join the batch (group commit).
void schedule_flush(Self* self) {
  auto& st = self->state;
  if (st.handled_since_flush >= st.options.max_batch) {
    start_write(self);
    return;
  }
  if (st.flush_scheduled) return;
  st.flush_scheduled = true;
  self->send(self, flush_atom::value);
}

caf::result<Response> handle_request(Self* self, const Request& req) {
  auto& st = self->state;
  if (auto refused = check_request_options(req)) return error_response(std::move(*refused));
  bool had_writes = st.core->has_staged_writes();
  auto before = st.core->revision();
  Response resp = st.core->handle(req);
  ++st.handled_since_flush;
  bool wrote = st.core->revision() != before || (!had_writes && st.core->has_staged_writes());
  auto group = latest_pending(self);
  if (!group) return resp;  // nothing pending: the answer reflects durable state only
  auto rp = self->make_response_promise();
  group->replies.emplace_back(rp, std::move(resp));
  if (wrote) schedule_flush(self);
  return caf::delegated<Response>();
}

/// Remembers that `watcher` holds watch `id`, so that its end ends the watch. One monitor per
/// watcher, however many watches it holds; as a long-lived watcher's set grows, the ids of its
/// watches that ended otherwise (cancelled, expired) are dropped.
void note_watch(Self* self, const caf::actor& watcher, uint64_t id) {
  auto& st = self->state;
  auto [it, first] = st.watches_by_actor.try_emplace(watcher.address());
  if (first) self->monitor(watcher);
  auto& ids = it->second;
  ids.insert(id);
  const size_t n = ids.size();
  if (n >= 64 && (n & (n - 1)) == 0)
    std::erase_if(ids, [&](uint64_t w) { return !st.hub->contains(w); });
}

/// Sends each batched watcher the events its watches collected in the round just ended.
void send_outbox(Self* self) {
  auto& outbox = self->state.outbox;
  for (auto& [watcher, batch] : outbox) self->send(watcher, std::move(batch));
  outbox.clear();
}

caf::result<Response> handle_watch(Self* self, const WatchRequest& wr) {
  auto& st = self->state;
  const auto* type = api::Registry::builtin().by_resource(wr.group, wr.resource);
  if (!type) return error_response(api::resource_not_found());
  auto selection = Selection::make(*type, wr.namespace_, wr.label_selector, wr.field_selector);
  if (!selection) return error_response(selection.error());
  auto watcher = caf::actor_cast<caf::actor>(self->current_sender());
  if (!watcher) return error_response(api::bad_request("watch needs a replying actor"));

  const int64_t committed = st.hub->committed_revision();
  const int64_t latest = st.core->revision();
  WatchHub::Sink sink;
  if (wr.batched) {
    sink = [self, watcher](WatchEvents&& ev) {
      auto& outbox = self->state.outbox;
      auto it = std::find_if(outbox.begin(), outbox.end(),
                             [&](const auto& o) { return o.first == watcher; });
      if (it == outbox.end()) it = outbox.emplace(outbox.end(), watcher, WatchEventsBatch{});
      it->second.items.push_back(std::move(ev));
    };
  } else {
    sink = [self, watcher](WatchEvents&& ev) { self->send(watcher, std::move(ev)); };
  }
  const bool from_now = wr.resource_version.empty() || wr.resource_version == "0";
  Response resp;

  if (from_now || wr.send_initial) {
    // A synthetic ADDED for every object as of now, delivered once durable; then live.
    std::vector<WatchEventPtr> initial;
    for (const auto& obj : st.core->tables().list(*type, wr.namespace_)) {
      if (!selection->matches(*obj)) continue;
      auto ev = std::make_shared<WatchEvent>();
      ev->type = WatchEvent::Type::added;
      ev->revision = api::parse_resource_version(obj->metadata.resource_version).value_or(0);
      ev->object = obj;
      initial.push_back(std::move(ev));
    }
    uint64_t id = st.hub->add(std::move(*selection), wr.allow_bookmarks, latest, wr.tag, sink);
    resp.watch_id = id;
    if (!initial.empty())
      after_durable(self, [self, id, initial = std::move(initial)]() mutable {
        self->state.hub->deliver(id, std::move(initial));
      });
  } else {
    const auto parsed = api::parse_resource_version(wr.resource_version);
    if (!parsed) return error_response(api::invalid_resource_version(wr.resource_version));
    if (*parsed > static_cast<uint64_t>(latest))
      return error_response(api::too_large_resource_version(wr.resource_version, latest));
    const auto from = static_cast<int64_t>(*parsed);
    std::vector<WatchEventPtr> replay;
    if (auto from_ring = st.hub->replay(*selection, from)) {
      replay = std::move(*from_ring);
    } else {
      // Older than the in-memory ring: read the event log (410 if compacted away).
      auto events = st.store->read_events(from, 0);
      if (!events) {
        uint64_t id = st.hub->add(std::move(*selection), false, latest, wr.tag, sink);
        resp.watch_id = id;
        st.hub->deliver(id,
                        {expired_event("too old resource version: " + wr.resource_version + " (" +
                                       std::to_string(st.store->compacted_revision() + 1) + ")")},
                        true);
        return resp;
      }
      for (auto& e : *events) {
        if (e.revision > committed) break;
        auto [etype, key] = parse_store_key(e.key);
        if (etype != type) continue;
        auto obj = etype->from_msgpack(e.value);
        if (!obj) continue;
        (*obj)->metadata.resource_version = std::to_string(e.revision);
        auto ev = std::make_shared<WatchEvent>();
        ev->type = e.type == store::EventType::created    ? WatchEvent::Type::added
                   : e.type == store::EventType::modified ? WatchEvent::Type::modified
                                                          : WatchEvent::Type::deleted;
        ev->revision = static_cast<uint64_t>(e.revision);
        ev->object = api::ObjectPtr(std::move(*obj));
        // Without the previous state, selector transitions are judged on the new one.
        Change c{ev, ev->type == WatchEvent::Type::modified ? ev->object : nullptr};
        if (auto filtered = WatchHub::filter(*selection, c)) replay.push_back(std::move(filtered));
      }
    }
    uint64_t id = st.hub->add(std::move(*selection), wr.allow_bookmarks,
                             std::max(committed, from), wr.tag, sink);
    resp.watch_id = id;
    if (!replay.empty()) st.hub->deliver(id, std::move(replay));
  }
  note_watch(self, watcher, resp.watch_id);
  return resp;
}

/// Deletes the Events older than the event TTL, `max_batch` at most per round (one store
/// batch); another round follows once that one is durable, while rounds make progress.
void expire_events(Self* self) {
  auto& st = self->state;
  const auto& events = st.core->tables().table(api::Event::static_type());
  const auto expired = expired_events(st.core->tables(), st.clock->now(), st.options.event_ttl,
                                      st.options.max_batch);
  if (expired.empty()) return;
  const size_t before = events.size();
  for (const auto& e : expired) {
    Request req;
    req.verb = Verb::remove;
    req.resource = "events";
    req.namespace_ = e.namespace_;
    req.name = e.name;
    req.grace_period_seconds = 0;
    auto resp = st.core->handle(req);
    if (resp.error)
      st.log->warn("expiring event {}/{}: {}", e.namespace_, e.name, resp.error->message);
  }
  const size_t removed = before - events.size();
  st.log->info("deleted {} Events last written more than {} s ago (--event-ttl)", removed,
               std::chrono::duration_cast<std::chrono::seconds>(st.options.event_ttl).count());
  if (st.core->has_staged_writes()) schedule_flush(self);
  // A full round may have left more behind; one that removed nothing (finalizers hold those
  // Events) waits for the next sweep instead of spinning.
  if (expired.size() == st.options.max_batch && removed > 0)
    after_durable(self, [self] { expire_events(self); });
}

void schedule_ticks(Self* self) {
  auto& st = self->state;
  const auto me = caf::actor_cast<caf::actor>(self);
  actors::send_later(*st.clock, st.options.bookmark_interval, me, tick_atom::value);
  actors::send_later(*st.clock, st.options.compaction_interval, me, compact_atom::value);
  if (st.options.event_ttl > Duration::zero())
    actors::send_later(*st.clock, st.options.event_ttl_sweep_interval, me, expire_atom::value);
}

caf::behavior apiserver_actor(Self* self, std::shared_ptr<store::Store> store, Clock* clock,
                              Random random,
                              ApiServerOptions options) {
  auto& st = self->state;
  st.log = actors::logger("apiserver");
  st.store = store;
  st.clock = clock;
  st.options = options;
  auto admission_options = options.admission_options;
  admission_options.seed = random.fork("admission").seed();
  st.core = std::make_unique<Core>(
      *store, *clock, std::move(random),
      options.admission ? options.admission() : default_admission_chain(admission_options),
      options.services, options.tokens);
  st.hub = std::make_unique<WatchHub>(options.watch);
  st.hub->set_flush([self] { send_outbox(self); });
  // A restarted API server (actors/common/supervisor.hpp) must not load while its predecessor's
  // last batch is still being written: its tables would miss that batch. It ends, and its
  // supervisor tries again after a back-off.
  if (store->prepared_revision() != store->revision()) {
    st.log->error("the previous API server's writes are still in flight; not starting yet");
    self->quit(caf::make_error(caf::sec::runtime_error));
    return {};
  }
  if (auto err = st.core->load()) {
    st.log->error("cannot load the store: {}", err->message);
    self->quit(caf::make_error(caf::sec::runtime_error));
    return {};
  }
  st.hub->set_committed_revision(store->revision());
  st.io = std::make_unique<StoreJobs>(store, self->address());
  st.core->bootstrap();
  if (st.core->has_staged_writes()) schedule_flush(self);
  // Events that expired while the API server was down go before it serves anyone.
  expire_events(self);
  schedule_ticks(self);

  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    auto it = st.watches_by_actor.find(dm.source);
    if (it == st.watches_by_actor.end()) return;
    for (auto id : it->second) st.hub->remove(id);
    st.watches_by_actor.erase(it);
  });

  // A request whose handling throws is answered 500 InternalError; whatever it staged before
  // throwing is consistent (tables and batch change together) and is flushed like any write.
  auto internal_error = [self](const std::string& what) {
    if (self->state.core->has_staged_writes()) schedule_flush(self);
    return error_response(api::internal_error(what));
  };
  return actors::guarded_with(
      st.log, internal_error,
      [self](Request& req) -> caf::result<Response> { return handle_request(self, req); },
      [self](WatchRequest& wr) -> caf::result<Response> { return handle_watch(self, wr); },
      [self](ack_atom, uint64_t id, uint64_t count) { self->state.hub->ack(id, count); },
      [self](cancel_atom, uint64_t id) {
        self->state.hub->deliver(id, {}, true);
        self->state.hub->remove(id);
      },
      // Ends every watch, as a restart would (tests, admin tools).
      [self](cancel_atom) { self->state.hub->close_all(); },
      // The store worker's answer (a write or a compaction done): runs here, in order.
      [](StoreDone& done) { done.then(); },
      [self](flush_atom) {
        self->state.flush_scheduled = false;
        start_write(self);
      },
      [self](tick_atom) {
        auto& st = self->state;
        st.hub->send_bookmarks(st.hub->committed_revision());
        actors::send_later(*st.clock, st.options.bookmark_interval,
                           caf::actor_cast<caf::actor>(self), tick_atom::value);
      },
      [self](expire_atom) {
        auto& st = self->state;
        expire_events(self);
        actors::send_later(*st.clock, st.options.event_ttl_sweep_interval,
                           caf::actor_cast<caf::actor>(self), expire_atom::value);
      },
      [self](compact_atom) {
        auto& st = self->state;
        auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          st.clock->now().time_since_epoch())
                          .count();
        auto keep_age_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(st.options.compaction_keep_age)
                .count();
        st.io->compact(st.options.compaction_keep_events, keep_age_ms, now_ms, {});
        actors::send_later(*st.clock, st.options.compaction_interval,
                           caf::actor_cast<caf::actor>(self), compact_atom::value);
      },
      // Forces a compaction keeping `keep_events` events (tests, admin tools).
      [self](compact_atom, int64_t keep_events) -> caf::result<bool> {
        auto& st = self->state;
        auto rp = self->make_response_promise<bool>();
        auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          st.clock->now().time_since_epoch())
                          .count();
        st.io->compact(keep_events, 0, now_ms, [rp]() mutable { rp.deliver(true); });
        return rp;
      });
}

}  // namespace

caf::actor spawn_apiserver(caf::actor_system& system, std::shared_ptr<store::Store> store,
                           Clock& clock, Random random, ApiServerOptions options) {
  return system.spawn(apiserver_actor, std::move(store), &clock, std::move(random), options);
}

}  // namespace kactor::apiserver
