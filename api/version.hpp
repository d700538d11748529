// Which version this is, in one place: `kactor version`, the nodes' kubeletVersion and
// kubeProxyVersion, and (with the HTTP API) /version all read it.
#pragma once

namespace kactor {

/// kactor's own release.
inline constexpr const char* kKactorVersion = "0.1.0";

/// The Kubernetes release whose API and behaviour kactor follows, as upstream components
/// report their version (gitVersion): "v1.32.0", with kactor's build as the suffix.
inline constexpr const char* kKubernetesVersion = "v1.32.0-kactor.0.1.0";
inline constexpr const char* kKubernetesMajor = "1";
inline constexpr const char* kKubernetesMinor = "32";

}  // namespace kactor
