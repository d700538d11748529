#include "actors/leaderelection/leader_elector.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/timers.hpp"
#include "actors/leaderelection/election_record.hpp"
#include "actors/leaderelection/messages.hpp"
#include "api/time/go_duration.hpp"
#include "api/types/coordination.hpp"

namespace kactor::leaderelection {
namespace {

using LeasePtr = std::shared_ptr<const api::Lease>;

struct State {
  LeaderElectionOptions options;
  LeaderCallbacks callbacks;
  std::string lease_key;  // "namespace/name", for messages
  Clock* clock = nullptr;
  std::unique_ptr<Random> random;
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<client::AsyncClient> client;
  std::unique_ptr<client::EventRecorder> events;

  /// The Lease as last read or written: its resourceVersion guards the next write.
  LeasePtr lease;
  /// The record last observed, and when it was first observed as it is, by our clock.
  std::optional<api::LeaseSpec> observed;
  TimePoint observed_at{};
  /// The holder last reported to callbacks.new_leader.
  std::string reported_holder;

  bool leading = false;
  /// Released or lost: no more attempts.
  bool done = false;
  /// An attempt (its requests) is in flight; timers that fall due meanwhile wait for it.
  bool busy = false;
  uint64_t attempts = 0;
  /// Ticks carry the generation they were scheduled in; a stale one is dropped.
  uint64_t generation = 0;
  /// The leader's renewal rounds: the current one, when it began, whether it has renewed.
  uint64_t round = 0;
  TimePoint round_start{};
  bool renewed = false;
  /// A release asked for while an attempt was in flight: done when the attempt ends.
  std::optional<caf::response_promise> release;
};
using Self = caf::stateful_actor<State>;
using Done = std::function<void(bool acquired)>;

caf::actor me(Self* self) { return caf::actor_cast<caf::actor>(self); }

/// Records `lease` as the state of the Lease; a changed record restarts the observation time.
void observe(Self* self, const LeasePtr& lease) {
  auto& st = self->state;
  if (!st.observed || *st.observed != lease->spec) {
    st.observed = lease->spec;
    st.observed_at = st.clock->now();
  }
  st.lease = lease;
  const auto holder = holder_of(*st.observed);
  if (!holder.empty() && holder != st.reported_holder) {
    st.reported_holder = holder;
    st.log->info("{}: new leader elected: {}", st.lease_key, holder);
    if (st.callbacks.new_leader) st.callbacks.new_leader(holder);
  }
}

/// Writes our claim over the Lease as last read (its resourceVersion as precondition).
void write_claim(Self* self, TimePoint now, Done done) {
  auto& st = self->state;
  auto lease = *st.lease;
  lease.spec = claimed_record(&st.lease->spec, st.options.identity, st.options.lease_duration, now);
  st.client->update<api::Lease>(lease, [self, done](api::Result<LeasePtr> r) {
    if (!r) {
      self->state.log->info("{}: cannot write the lease: {}", self->state.lease_key,
                            r.error().message);
      return done(false);
    }
    observe(self, *r);
    done(true);
  });
}

/// Reads the Lease, then creates it, takes it over or renews it, unless another holder's
/// record still binds us (upstream's tryAcquireOrRenew, slow path).
void read_and_claim(Self* self, TimePoint now, Done done) {
  auto& st = self->state;
  st.client->get<api::Lease>(
      st.options.lease_namespace, st.options.lease_name,
      [self, now, done](api::Result<LeasePtr> r) {
        auto& st = self->state;
        if (!r && api::is_not_found(r.error())) {
          api::Lease lease;
          lease.metadata.namespace_ = st.options.lease_namespace;
          lease.metadata.name = st.options.lease_name;
          lease.spec = claimed_record(nullptr, st.options.identity, st.options.lease_duration, now);
          st.client->create<api::Lease>(lease, [self, done](api::Result<LeasePtr> created) {
            if (!created) {
              self->state.log->info("{}: cannot create the lease: {}", self->state.lease_key,
                                    created.error().message);
              return done(false);
            }
            observe(self, *created);
            done(true);
          });
          return;
        }
        if (!r) {
          st.log->warn("{}: cannot read the lease: {}", st.lease_key, r.error().message);
          return done(false);
        }
        observe(self, *r);
        if (held_by_other(*st.observed, st.options.identity, st.observed_at, now)) {
          st.log->debug("{}: held by {}, not expired yet", st.lease_key, holder_of(*st.observed));
          return done(false);
        }
        write_claim(self, now, done);
      });
}

/// One attempt to acquire or renew. A leader whose observed record is still valid writes its
/// renewal over the Lease it holds without reading it first; on any failure (a conflict: the
/// Lease changed) it falls back to reading it (upstream's optimistic fast path).
void try_acquire_or_renew(Self* self, Done done) {
  auto& st = self->state;
  const auto now = st.clock->now();
  st.busy = true;
  const auto gen = st.generation;
  auto finish = [self, gen, done](bool ok) {
    auto& st = self->state;
    if (gen != st.generation) return;  // lost or released meanwhile: its outcome is moot
    st.busy = false;
    ++st.attempts;
    done(ok);
  };
  const bool valid = st.observed && st.observed_at + std::chrono::seconds(
                                        st.observed->lease_duration_seconds.value_or(0)) > now;
  if (st.leading && st.lease && valid) {
    auto lease = *st.lease;
    lease.spec = claimed_record(&st.lease->spec, st.options.identity, st.options.lease_duration,
                                now);
    st.client->update<api::Lease>(lease, [self, now, finish](api::Result<LeasePtr> r) {
      if (r) {
        observe(self, *r);
        return finish(true);
      }
      self->state.log->info("{}: failed to update the lease optimistically ({}), reading it",
                            self->state.lease_key, r.error().message);
      read_and_claim(self, now, finish);
    });
    return;
  }
  read_and_claim(self, now, finish);
}

void schedule(Self* self, Duration delay, caf::message msg) {
  actors::send_message_later(*self->state.clock, delay, me(self), std::move(msg));
}

void schedule_acquire(Self* self) {
  auto& st = self->state;
  const auto base = st.options.retry_period;
  auto delay = base + std::chrono::duration_cast<Duration>(
                          base * (st.options.jitter_factor * st.random->unit()));
  schedule(self, delay, caf::make_message(elect_tick_atom::value, st.generation));
}

/// Gives the Lease up (or only stops, when not leading) and answers `rp`.
void release(Self* self, caf::response_promise rp) {
  auto& st = self->state;
  const bool holds = st.observed && holder_of(*st.observed) == st.options.identity && st.lease;
  st.done = true;
  st.leading = false;
  ++st.generation;
  if (!holds) {
    rp.deliver(true);
    return;
  }
  auto lease = *st.lease;
  lease.spec = released_record(st.lease->spec, st.clock->now());
  st.client->update<api::Lease>(lease, [self, rp](api::Result<LeasePtr> r) mutable {
    auto& st = self->state;
    if (r) {
      observe(self, *r);
      st.log->info("{}: released the lease", st.lease_key);
      rp.deliver(true);
      return;
    }
    st.log->error("{}: failed to release the lease: {}", st.lease_key, r.error().message);
    rp.deliver(false);
  });
}

/// The leader could not renew within the renew deadline: it stops leading for good.
void lose(Self* self, const std::string& why) {
  auto& st = self->state;
  st.log->error("{}: failed to renew the lease: {}; leader election lost", st.lease_key, why);
  st.leading = false;
  st.done = true;
  st.busy = false;
  ++st.generation;
  if (st.release) {  // nothing is held any more: the release asked for is done
    st.release->deliver(true);
    st.release.reset();
  }
  if (st.callbacks.stopped_leading) st.callbacks.stopped_leading();
}

/// Ends an attempt: a pending release goes first.
bool release_pending(Self* self) {
  auto& st = self->state;
  if (!st.release) return false;
  auto rp = std::move(*st.release);
  st.release.reset();
  release(self, std::move(rp));
  return true;
}

void start_round(Self* self);

void renew_attempt(Self* self) {
  auto& st = self->state;
  const auto round = st.round;
  try_acquire_or_renew(self, [self, round](bool ok) {
    auto& st = self->state;
    if (release_pending(self) || round != st.round || !st.leading) return;
    if (ok) {
      st.renewed = true;
      schedule(self, st.options.retry_period, caf::make_message(renew_round_atom::value));
      return;
    }
    if (st.clock->now() >= st.round_start + st.options.renew_deadline)
      return lose(self, "timed out waiting for the condition");
    schedule(self, st.options.retry_period,
             caf::make_message(elect_tick_atom::value, st.generation));
  });
}

/// A renewal round (upstream's PollImmediateUntil within the renew deadline): try now, then
/// every retry period, until a renewal succeeds or the deadline passes.
void start_round(Self* self) {
  auto& st = self->state;
  ++st.round;
  st.round_start = st.clock->now();
  st.renewed = false;
  schedule(self, st.options.renew_deadline,
           caf::make_message(renew_deadline_atom::value, st.round));
  renew_attempt(self);
}

void become_leader(Self* self) {
  auto& st = self->state;
  st.leading = true;
  st.log->info("{}: successfully acquired the lease as {}", st.lease_key, st.options.identity);
  if (st.lease)
    st.events->record(*st.lease, "Normal", "LeaderElection",
                      st.options.identity + " became leader");
  if (st.callbacks.started_leading) st.callbacks.started_leading();
  schedule(self, st.options.retry_period, caf::make_message(renew_round_atom::value));
}

void acquire_attempt(Self* self) {
  try_acquire_or_renew(self, [self](bool ok) {
    if (release_pending(self)) return;
    if (ok)
      become_leader(self);
    else
      schedule_acquire(self);
  });
}

caf::behavior leader_elector(Self* self, actors::Context ctx, LeaderElectionOptions options,
                             LeaderCallbacks callbacks) {
  auto& st = self->state;
  st.lease_key = options.lease_namespace + "/" + options.lease_name;
  st.clock = ctx.clock;
  st.random = std::make_unique<Random>(ctx.random("leader-election/" + st.lease_key));
  st.log = actors::logger("leader-election");
  // A request may take at most half the renew deadline (upstream's components give their
  // leader election client RenewDeadline/2), so a hung one leaves time for another try.
  const auto timeout = std::max<std::chrono::milliseconds>(
      std::chrono::milliseconds(1),
      std::chrono::duration_cast<std::chrono::milliseconds>(options.renew_deadline / 2));
  st.client = std::make_unique<client::AsyncClient>(self, *ctx.apiserver, timeout);
  st.events = std::make_unique<client::EventRecorder>(self, *ctx.apiserver, *ctx.clock,
                                                      options.event_source);
  st.options = std::move(options);
  st.callbacks = std::move(callbacks);
  st.log->info("{}: attempting to acquire the lease as {} (retry {}, seed {})", st.lease_key,
               st.options.identity,
               std::chrono::duration_cast<std::chrono::milliseconds>(st.options.retry_period),
               st.random->seed());
  // The first attempt starts here, not by a message to ourselves: whoever asks for our status
  // right after spawning sees it in flight.
  acquire_attempt(self);
  return actors::guarded(
      st.log,
      [self](elect_tick_atom, uint64_t generation) {
        auto& st = self->state;
        if (generation != st.generation || st.done || st.busy) return;
        if (st.leading)
          renew_attempt(self);
        else
          acquire_attempt(self);
      },
      [self](renew_round_atom) {
        auto& st = self->state;
        if (st.leading && !st.done && !st.busy) start_round(self);
      },
      [self](renew_deadline_atom, uint64_t round) {
        auto& st = self->state;
        if (round != st.round || st.renewed || !st.leading || st.done) return;
        lose(self, "the renew deadline passed");
      },
      [self](leader_status_atom) {
        auto& st = self->state;
        return caf::make_message(st.leading,
                                 st.observed ? holder_of(*st.observed) : std::string(),
                                 st.attempts, st.busy);
      },
      [self](leader_release_atom) -> caf::result<bool> {
        auto& st = self->state;
        auto rp = self->make_response_promise();
        if (st.done) {
          rp.deliver(true);
        } else if (st.busy) {
          st.release = rp;  // after the attempt in flight, with the resourceVersion it got
        } else {
          release(self, rp);
        }
        return rp;
      });
}

}  // namespace

api::Result<void> validate_leader_election(const LeaderElectionOptions& o) {
  auto invalid = [](const std::string& field, Duration value, const std::string& why) {
    return api::fail(api::bad_request(fmt::format(
        "leaderElection.{}: Invalid value: \"{}\": {}", field, format_go_duration(value), why)));
  };
  if (o.lease_duration <= Duration::zero())
    return invalid("leaseDuration", o.lease_duration, "must be greater than zero");
  if (o.renew_deadline <= Duration::zero())
    return invalid("renewDeadline", o.renew_deadline, "must be greater than zero");
  if (o.retry_period <= Duration::zero())
    return invalid("retryPeriod", o.retry_period, "must be greater than zero");
  if (o.lease_duration <= o.renew_deadline)
    return invalid("leaseDuration", o.lease_duration,
                   "LeaseDuration must be greater than RenewDeadline");
  if (std::chrono::duration<double>(o.renew_deadline).count() <=
      o.jitter_factor * std::chrono::duration<double>(o.retry_period).count())
    return invalid("renewDeadline", o.renew_deadline,
                   fmt::format("must be greater than retryPeriod*JitterFactor ({})",
                               o.jitter_factor));
  if (o.lease_duration < std::chrono::seconds(1))
    return invalid("leaseDuration", o.lease_duration,
                   "must be at least 1s (the Lease holds whole seconds)");
  if (o.lease_name.empty())
    return api::fail(api::bad_request("leaderElection.resourceName: Required value"));
  if (o.lease_namespace.empty())
    return api::fail(api::bad_request("leaderElection.resourceNamespace: Required value"));
  if (o.identity.empty())
    return api::fail(api::bad_request("leader election: the identity is empty"));
  return {};
}

caf::actor spawn_leader_elector(const actors::Context& ctx, LeaderElectionOptions options,
                                LeaderCallbacks callbacks) {
  return ctx.system->spawn(leader_elector, ctx, std::move(options), std::move(callbacks));
}

}  // namespace kactor::leaderelection
