// The annotations kubectl's rolling-update kept its state in; a rolling update interrupted at
// any point resumes from them (and so would one kubectl 1.17 started).
#pragma once

namespace kactor::rollout {

/// On the old controller: the name of the controller it is being replaced by.
inline constexpr const char* kNextControllerAnnotation = "kubectl.kubernetes.io/next-controller-id";
/// On the old controller: its size before the update, which a rollback restores.
inline constexpr const char* kOriginalReplicasAnnotation = "kubectl.kubernetes.io/original-replicas";
/// On the new controller while the update runs: the size it grows to.
inline constexpr const char* kDesiredReplicasAnnotation = "kubectl.kubernetes.io/desired-replicas";
/// On the new controller while the update runs: "<old name>:<old uid>", so a resumed update
/// takes over only a controller that this very update created.
inline constexpr const char* kSourceIdAnnotation = "kubectl.kubernetes.io/update-source-id";

}  // namespace kactor::rollout
