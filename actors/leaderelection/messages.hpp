// The messages of the leader elector (leader_elector.hpp). Its owner (and tests) send:
//   (leader_status_atom) -> (bool leading, std::string holder, uint64_t attempts, bool busy)
//       whether it leads now, the holder it last observed ("" none), how many attempts to
//       acquire or renew have finished, and whether one is in flight;
//   (leader_release_atom) -> bool
//       stop electing and, if it leads, give the Lease up (holder cleared, as upstream's
//       ReleaseOnCancel) so a successor takes over at once; answered when the write is done
//       (false when it failed: the successor then waits for the lease to expire).
// Internal (its own timers, through the Clock):
//   (elect_tick_atom, generation)    the next attempt to acquire, or to renew within a round
//   (renew_round_atom)               a leader's next renewal round
//   (renew_deadline_atom, round)     a round's renew deadline
#pragma once

#include <caf/atom.hpp>

namespace kactor::leaderelection {

using leader_status_atom = caf::atom_constant<caf::atom("le_status")>;
using leader_release_atom = caf::atom_constant<caf::atom("le_release")>;
using elect_tick_atom = caf::atom_constant<caf::atom("le_tick")>;
using renew_round_atom = caf::atom_constant<caf::atom("le_round")>;
using renew_deadline_atom = caf::atom_constant<caf::atom("le_deadl")>;

}  // namespace kactor::leaderelection
