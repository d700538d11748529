// The simulated prober: no network, no processes; a probe's verdict comes from the pod's
// annotations and the probe's handler, at once:
//   - a tcpSocket or httpGet probe on a named port fails unless the container declares a
//     port of that name (as upstream, which cannot resolve the name);
//   - a probe of a kind the pod's kactor.io/fail-<readiness|liveness|startup> annotation
//     lists the container under fails ("app,proxy", or "*");
//   - every other probe passes (an exec command is not run; a port is not connected to).
#pragma once

#include "actors/kubelet/prober.hpp"

namespace kactor::kubelet {

/// The simulated verdict on `target`.
ProbeResult sim_probe(const ProbeTarget& target);

class SimProber final : public Prober {
 public:
  void probe(const ProbeTarget& target, ProbeCallback done) override { done(sim_probe(target)); }
};

}  // namespace kactor::kubelet
