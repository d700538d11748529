// What a restarted kubelet makes of a container of a pod it finds bound to its node, from
// the pod's reported status and from what the runtime still has (list_containers):
//   - the runtime still runs it (or is starting it): adopted, as it is, no restart counted;
//   - the runtime has it exited (while no kubelet watched): that exit is its last
//     termination, and the restart policy decides, as if the kubelet had seen it;
//   - the runtime knows nothing of it but the status says it ran (a simulated runtime goes
//     with its kubelet, as containers go with a rebooted machine): the run ended with the
//     machine (last state terminated, exit code 255, reason "Unknown") and starting it
//     again counts as a restart; one that had exited for good stays so;
//   - the status shows it never started: it starts as new.
#pragma once

#include <cstdint>
#include <string>

#include "actors/kubelet/container_runtime.hpp"
#include "actors/kubelet/pod_worker.hpp"

namespace kactor::kubelet {

enum class Resumption : uint8_t {
  start,     ///< start it in its turn: new, or to run again (the restart already counted)
  adopt,     ///< the runtime runs it (or is starting it): carry on with `c.id`
  finished,  ///< it exited for good: it stays terminated
};

/// Sets `c` up from the status the pod reported of it (`before`, null if none) and the
/// runtime's container (`found`, null if none), under `restart_policy` (the container's
/// effective policy); `now` dates a run lost with the machine.
Resumption resume_container(ContainerRec& c, const api::ContainerStatus* before,
                            const ContainerInfo* found, const std::string& restart_policy,
                            TimePoint now);

/// Whether `found` is a container the status `before` already reports as exited (its exit
/// was seen and reported by the kubelet before this one): nothing new to learn from it.
bool already_reported(const api::ContainerStatus& before, const ContainerInfo& found);

}  // namespace kactor::kubelet
