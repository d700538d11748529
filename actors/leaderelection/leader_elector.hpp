// Leader election through a Lease (coordination.k8s.io/v1), with the semantics of client-go's
// leaderelection package, so that two controller managers (or schedulers) can run and only
// one acts (docs/leader-election.md):
//
//   - a candidate tries every retry period (jittered) to acquire the Lease: it creates it when
//     there is none, and takes it over when it names no holder, or when the record has not
//     changed for leaseDurationSeconds as measured by the candidate's own clock;
//   - the leader renews every retry period; a renewal round that does not succeed within the
//     renew deadline ends its leadership (callbacks.stopped_leading: the role process exits,
//     as upstream's components do, and a supervisor starts it again);
//   - every write carries the resourceVersion read (optimistic concurrency): of two candidates
//     that saw the same record, one write wins and the other conflicts and tries again later;
//   - on leader_release_atom a leader clears the holder, so a successor takes over at once.
//
// All timers go through the Context's Clock, so tests drive it with a VirtualClock.
#pragma once

#include <functional>
#include <string>

#include <caf/fwd.hpp>

#include "actors/common/context.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::leaderelection {

/// Upstream's defaults (kube-controller-manager's and kube-scheduler's
/// --leader-elect-lease-duration, --leader-elect-renew-deadline, --leader-elect-retry-period).
inline constexpr Duration kDefaultLeaseDuration = std::chrono::seconds(15);
inline constexpr Duration kDefaultRenewDeadline = std::chrono::seconds(10);
inline constexpr Duration kDefaultRetryPeriod = std::chrono::seconds(2);
/// Upstream's JitterFactor: an acquire attempt follows the last one after
/// retryPeriod * (1 + up to 1.2).
inline constexpr double kDefaultJitterFactor = 1.2;

struct LeaderElectionOptions {
  /// The Lease: kube-system/kube-controller-manager, kube-system/kube-scheduler.
  std::string lease_namespace = "kube-system";
  std::string lease_name;
  /// This candidate, unique among them: upstream's "<hostname>_<uuid>".
  std::string identity;
  /// How long other candidates wait after the last change of the record before taking over.
  Duration lease_duration = kDefaultLeaseDuration;
  /// How long a leader keeps trying to renew before it stops leading.
  Duration renew_deadline = kDefaultRenewDeadline;
  /// The time between attempts to acquire or renew.
  Duration retry_period = kDefaultRetryPeriod;
  /// Acquire attempts wait retry_period * (1 + jitter_factor * u), u uniform in [0, 1) from
  /// the Context's seed; 0 waits exactly retry_period (tests).
  double jitter_factor = kDefaultJitterFactor;
  /// The source of the LeaderElection Events ("kube-controller-manager", "kube-scheduler").
  std::string event_source;
};

/// Why `options` cannot elect, as upstream's validation of a component's leaderElection
/// configuration words it (BadRequest naming the field), or OK.
api::Result<void> validate_leader_election(const LeaderElectionOptions& options);

/// What the elector tells its owner. Each runs in the elector's own context: keep it quick
/// (signal a thread, send a message); none may block on the elector.
struct LeaderCallbacks {
  /// This candidate has acquired the Lease: start acting.
  std::function<void()> started_leading;
  /// This candidate led and could not renew within the renew deadline: stop acting at once.
  /// Not called after a release (its owner asked for it). The elector does not try again.
  std::function<void()> stopped_leading;
  /// The holder observed changed (to another candidate or to this one).
  std::function<void(const std::string& holder)> new_leader;
};

/// Spawns the elector (options already validated); it makes its first attempt at once.
caf::actor spawn_leader_elector(const actors::Context& ctx, LeaderElectionOptions options,
                                LeaderCallbacks callbacks);

}  // namespace kactor::leaderelection
