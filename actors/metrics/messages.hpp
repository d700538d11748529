// The metrics server actor's own messages (its timers); what others send it is in
// protocol/messages.hpp:
//   (scrape_atom)                  start a scrape round, and schedule the next one
//   (round_over_atom, uint64_t id) the round's time is up: kubelets yet to answer are left out
#pragma once

#include <caf/atom.hpp>

namespace kactor::metrics {

using scrape_atom = caf::atom_constant<caf::atom("mx_scrape")>;
using round_over_atom = caf::atom_constant<caf::atom("mx_rndover")>;

}  // namespace kactor::metrics
