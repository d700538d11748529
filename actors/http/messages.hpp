// The messages of the HTTP layer's small actors, which bridge a request on an I/O thread to
// an actor and back (each handles only its own):
//   metrics asker (caf_metrics_backend.cpp)   (metrics_asked_atom)   nothing to do: it quits
//                                              when the metrics server answered
//   kubelet stub (kubelet_stub.cpp)           (stub_answer_atom, uint64_t id, kubelet::Summary)
//                                              (stub_failed_atom, uint64_t id, std::string why)
//                                              the backend's answer, from its own thread
//   log reader (caf_kubelet_backend.cpp)      (log_cancel_atom)      the HTTP client went
#pragma once

#include <caf/atom.hpp>

namespace kactor::http {

using metrics_asked_atom = caf::atom_constant<caf::atom("mx_asked")>;
using stub_answer_atom = caf::atom_constant<caf::atom("ks_answer")>;
using stub_failed_atom = caf::atom_constant<caf::atom("ks_failed")>;
using log_cancel_atom = caf::atom_constant<caf::atom("log_cancel")>;

}  // namespace kactor::http
