// bench_store, kactor side: a control plane over a sync-durable data directory, one
// watcher of configmaps and W writer actors creating ConfigMaps back to back.
#pragma once

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "api/types/config.hpp"
#include "bench/store_common.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/control_plane.hpp"

namespace kactor::bench {
namespace kactor_side {

/// State shared by the writers, the watcher and the main thread. Each slot of the
/// per-write vectors is written by exactly one actor; the atomics publish send times to
/// the watcher (its event is caused by the write, but we do not lean on that).
struct Shared {
  Shared(size_t total, std::vector<std::string> values)
      : total(total),
        values(std::move(values)),
        sent_ns(total),
        write_ns(total, -1),
        watch_ns(total, -1) {}

  const size_t total;
  const std::vector<std::string> values;
  BenchClock::time_point epoch = BenchClock::now();
  std::atomic<size_t> next{0};
  std::vector<std::atomic<int64_t>> sent_ns;  // since epoch
  std::vector<int64_t> write_ns;              // send -> response
  std::vector<int64_t> watch_ns;              // send -> ADDED at the watcher

  std::mutex mu;
  std::condition_variable cv;
  size_t writers_running = 0;
  size_t acked = 0;
  size_t watched = 0;
  bool watch_ready = false;
  BenchClock::time_point last_ack;
  std::optional<std::string> failure;

  void fail(std::string why) {
    std::lock_guard lock(mu);
    if (!failure) failure = std::move(why);
    cv.notify_all();
  }
  bool failed() {
    std::lock_guard lock(mu);
    return failure.has_value();
  }
};

inline std::string name_of(size_t i) {
  return "cm-" + std::to_string(i);
}

inline std::optional<size_t> index_of(std::string_view name) {
  if (!name.starts_with("cm-")) return std::nullopt;
  size_t i = 0;
  auto [p, ec] = std::from_chars(name.data() + 3, name.data() + name.size(), i);
  if (ec != std::errc() || p != name.data() + name.size()) return std::nullopt;
  return i;
}

inline apiserver::Request create_request(const Shared& sh, size_t i) {
  auto cm = std::make_shared<api::ConfigMap>();
  cm->metadata.namespace_ = "default";
  cm->metadata.name = name_of(i);
  cm->data["value"] = sh.values[i % sh.values.size()];
  apiserver::Request req;
  req.verb = apiserver::Verb::create;
  req.resource = "configmaps";
  req.namespace_ = "default";
  req.name = cm->metadata.name;
  req.object = std::move(cm);
  return req;
}

inline void writer_done(caf::event_based_actor* self, Shared* sh) {
  {
    std::lock_guard lock(sh->mu);
    --sh->writers_running;
  }
  sh->cv.notify_all();
  self->quit();
}

/// Sends the next create, and on its answer the one after, until all are taken.
inline void issue(caf::event_based_actor* self, caf::actor api, Shared* sh) {
  size_t i = sh->next.fetch_add(1);
  if (i >= sh->total || sh->failed()) return writer_done(self, sh);
  auto req = create_request(*sh, i);
  auto t0 = BenchClock::now();
  sh->sent_ns[i].store(nanos_between(sh->epoch, t0), std::memory_order_release);
  self->request(api, caf::infinite, std::move(req))
      .then(
          [self, api, sh, i, t0](apiserver::Response& r) {
            auto t1 = BenchClock::now();
            if (!r.ok()) {
              sh->fail("create " + name_of(i) + ": " + std::to_string(r.error->code) + " " +
                       r.error->reason + ": " + r.error->message);
              return writer_done(self, sh);
            }
            sh->write_ns[i] = nanos_between(t0, t1);
            {
              std::lock_guard lock(sh->mu);
              ++sh->acked;
              sh->last_ack = std::max(sh->last_ack, t1);
            }
            issue(self, api, sh);
          },
          [self, sh, i](caf::error& e) {
            sh->fail("create " + name_of(i) + ": " + caf::to_string(e));
            writer_done(self, sh);
          });
}

inline caf::behavior writer(caf::event_based_actor* self, caf::actor api, Shared* sh) {
  issue(self, api, sh);
  // Kept alive by its pending request; quits itself when the work runs out.
  return {[](int32_t) {}};
}

/// Watches configmaps in "default" from now; acknowledges every batch, as the API
/// server's flow control requires.
inline caf::behavior watcher(caf::event_based_actor* self, caf::actor api, Shared* sh) {
  apiserver::WatchRequest wr;
  wr.resource = "configmaps";
  wr.namespace_ = "default";
  wr.tag = 1;
  self->request(api, caf::infinite, wr)
      .then(
          [sh](apiserver::Response& r) {
            if (!r.ok()) return sh->fail("watch: " + r.error->message);
            {
              std::lock_guard lock(sh->mu);
              sh->watch_ready = true;
            }
            sh->cv.notify_all();
          },
          [sh](caf::error& e) { sh->fail("watch: " + caf::to_string(e)); });
  return {
      [self, api, sh](apiserver::WatchEvents& msg) {
        auto now = nanos_between(sh->epoch, BenchClock::now());
        size_t seen = 0;
        for (const auto& ev : msg.events) {
          if (ev->type != apiserver::WatchEvent::Type::added) continue;
          auto i = index_of(ev->object->metadata.name);
          if (!i || *i >= sh->total) continue;
          sh->watch_ns[*i] = now - sh->sent_ns[*i].load(std::memory_order_acquire);
          ++seen;
        }
        if (!msg.events.empty())
          self->send(api, apiserver::ack_atom::value, msg.watch_id,
                     static_cast<uint64_t>(msg.events.size()));
        if (msg.closed) sh->fail("the watch was closed by the API server");
        bool all = false;
        {
          std::lock_guard lock(sh->mu);
          sh->watched += seen;
          all = sh->watched >= sh->total;
        }
        if (all) {
          sh->cv.notify_all();
          self->send(api, apiserver::cancel_atom::value, msg.watch_id);
          self->quit();
        }
      },
  };
}

}  // namespace kactor_side

/// Runs the kactor half of the benchmark; an error string if anything failed.
inline std::expected<RunResult, std::string> run_kactor(const StoreOptions& o) {
  using namespace kactor_side;
  auto dir = TempDir::make("kactor-bench-store");
  if (!dir) return std::unexpected(dir.error());
  // Declared after the directory and before the system: destroyed after every actor.
  Shared sh(o.writes, make_values(o.value_bytes));
  runtime::ActorSystem system;
  runtime::ControlPlaneOptions cpo;
  cpo.data_dir = dir->path() + "/data";
  cpo.durability = store::Durability::sync;
  auto plane = runtime::ControlPlane::start(system.get(), cpo);
  if (!plane) return std::unexpected("starting the control plane: " + plane.error().message);
  auto api = (*plane)->apiserver();
  if (!api) return std::unexpected("the API server did not start (see the log)");

  std::vector<caf::actor> actors;
  auto stop_all = [&] {
    for (auto& a : actors) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  };
  const auto deadline = BenchClock::now() + std::chrono::seconds(o.timeout_s);

  actors.push_back(system.get().spawn(watcher, api, &sh));
  {
    std::unique_lock lock(sh.mu);
    if (!sh.cv.wait_until(lock, deadline, [&] { return sh.watch_ready || sh.failure; })) {
      lock.unlock();
      stop_all();
      return std::unexpected("the watch was not established in time");
    }
  }

  const auto start = BenchClock::now();
  {
    std::lock_guard lock(sh.mu);
    sh.writers_running = o.writers;
  }
  for (size_t w = 0; w < o.writers; ++w) actors.push_back(system.get().spawn(writer, api, &sh));

  std::unique_lock lock(sh.mu);
  bool finished = sh.cv.wait_until(lock, deadline, [&] {
    return sh.failure || (sh.writers_running == 0 && sh.watched >= sh.total);
  });
  std::optional<std::string> failure = sh.failure;
  size_t acked = sh.acked, watched = sh.watched;
  auto last_ack = sh.last_ack;
  lock.unlock();
  stop_all();
  if (failure) return std::unexpected(*failure);
  if (!finished)
    return std::unexpected("timed out after " + std::to_string(o.timeout_s) +
                           " s: " + std::to_string(acked) + " writes acknowledged, " +
                           std::to_string(watched) + " watch events");

  RunResult r;
  r.writes = acked;
  r.seconds = std::chrono::duration<double>(last_ack - start).count();
  r.writes_per_s = r.seconds > 0 ? static_cast<double>(acked) / r.seconds : 0;
  r.write = summarize(sh.write_ns);
  r.watch = summarize(sh.watch_ns);
  return r;
}

}  // namespace kactor::bench
