// The Events the kubelet writes about a pod's containers, with upstream's reasons and words
// (Kubernetes 1.32's kubelet), each about the container's part of the pod
// (involvedObject.fieldPath "spec.containers{name}"), so that `kubectl describe pod` tells
// the story Kubernetes tells: Pulling, Pulled, Created, Started, Killing, BackOff, Failed,
// Unhealthy. They go through the kubelet's EventRecorder: asynchronous, correlated (repeats
// counted, floods throttled), never awaited.
#pragma once

#include <string>

#include "actors/kubelet/kubelet_state.hpp"

namespace kactor::kubelet {

namespace event_reason {
inline constexpr const char* kPulling = "Pulling";
inline constexpr const char* kPulled = "Pulled";
inline constexpr const char* kCreated = "Created";
inline constexpr const char* kStarted = "Started";
inline constexpr const char* kKilling = "Killing";
inline constexpr const char* kBackOff = "BackOff";
inline constexpr const char* kFailed = "Failed";
inline constexpr const char* kUnhealthy = "Unhealthy";
}  // namespace event_reason

/// The container's place in its pod: "spec.containers{web}", "spec.initContainers{setup}".
std::string field_path_of(const ContainerRec& c);

/// Go's time.Duration.String(): "0s", "250ms", "1.2s", "1m5s", "1h0m0s".
std::string go_duration(Duration d);

/// Records an Event about container `c` of the worker's pod.
void record_container_event(Self* self, const PodWorker& w, const ContainerRec& c,
                            const char* type, const char* reason, const std::string& message);

/// The image is about to be "pulled" for container `c` (its start was asked for): Pulling,
/// or Pulled "already present" when the runtime holds it and the pull policy lets it be used.
void record_image_events(Self* self, PodWorker& w, ContainerRec& c);

/// The runtime started container `c`: Pulled (how long the pull took, the image's size) if
/// it pulled, then Created and Started.
void record_started_events(Self* self, PodWorker& w, ContainerRec& c, TimePoint at);

}  // namespace kactor::kubelet
