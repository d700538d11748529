// The leader election record kept in a Lease's spec, and the rules of client-go's
// leaderelection for reading and writing it, without any actor: what a candidate writes when
// it acquires or renews, when another's record still binds it, and what a release writes.
#pragma once

#include <string>

#include "api/time/clock.hpp"
#include "api/types/coordination.hpp"

namespace kactor::leaderelection {

/// The holder named in `record` ("" when none).
std::string holder_of(const api::LeaseSpec& record);

/// Whether `record`, observed unchanged since `observed_at` by the candidate's own clock, still
/// keeps `identity` out at `now`: it names another holder and its leaseDurationSeconds have
/// not passed since it was observed. Upstream trusts no timestamp written by another
/// candidate (their clocks may differ): only how long the record has stayed the same.
bool held_by_other(const api::LeaseSpec& record, const std::string& identity,
                   TimePoint observed_at, TimePoint now);

/// The record `identity` writes to acquire or renew at `now` over `current` (null: no Lease
/// yet). A renewal keeps acquireTime and leaseTransitions; a takeover sets acquireTime to now
/// and counts one more transition (also after a release, as upstream does).
api::LeaseSpec claimed_record(const api::LeaseSpec* current, const std::string& identity,
                              Duration lease_duration, TimePoint now);

/// The record a leader writes when it gives the Lease up (upstream's release): no holder, a
/// lease duration of 1 s, acquire and renew time now, the transitions kept.
api::LeaseSpec released_record(const api::LeaseSpec& current, TimePoint now);

}  // namespace kactor::leaderelection
