// How a PodWorker turns into the pod's status as the API shows it: phase, conditions
// (Initialized, ContainersReady, Ready), containerStatuses and initContainerStatuses, as
// upstream's kubelet (1.32) computes them.
#pragma once

#include <string>

#include "actors/kubelet/pod_worker.hpp"

namespace kactor::kubelet {

/// Running, and past its startup probe if it has one.
bool container_started(const ContainerRec& c, const api::Pod& pod);
/// Whether a container counts as ready: an app container or sidecar started and past its
/// readiness probe (if it has one), unless kactor.io/ready is "false"; a regular init
/// container once it completed.
bool container_ready(const ContainerRec& c, const api::Pod& pod);

/// The container's status as the API shows it.
api::ContainerStatus container_status(const ContainerRec& c, const api::Pod& pod);

/// Pending / Running / Succeeded / Failed from the containers (final_phase wins).
std::string pod_phase(const PodWorker& w);

/// The status to report: built from the worker, keeping the current status's condition
/// transition times where a condition did not change.
api::PodStatus build_pod_status(const PodWorker& w, const std::string& host_ip, TimePoint now);

}  // namespace kactor::kubelet
