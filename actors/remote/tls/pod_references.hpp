// What a pod bound to a node lets that node read: the edges upstream's node authorizer puts in
// its graph (plugin/pkg/auth/authorizer/node, release-1.32: VisitPodSecretNames,
// VisitPodConfigmapNames, the claims of persistentVolumeClaim and ephemeral volumes).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/types/pod.hpp"

namespace kactor::remote::tls {

/// The names of the objects in the pod's namespace that it refers to.
struct PodReferences {
  std::set<std::string> secrets;
  std::set<std::string> config_maps;
  std::set<std::string> claims;  ///< PersistentVolumeClaims
  std::set<std::string> service_accounts;  ///< the pod's spec.serviceAccountName
};

/// Secrets: image pull secrets, env and envFrom of every container (init and ephemeral
/// included), secret volumes, projected secrets and the secret references of the volume
/// sources kactor carries as raw JSON (csi, cephfs, rbd, ...). ConfigMaps: env, envFrom,
/// configMap volumes and projected configMaps. Claims: persistentVolumeClaim volumes and an
/// ephemeral volume's generated claim, "<pod>-<volume>". Service accounts: the one the pod
/// runs as.
PodReferences references_of(const api::Pod& pod);

/// The kinds a node reads (or, for service accounts, asks tokens of) through the graph.
enum class RelatedKind { secret, config_map, claim, service_account };

/// Whether one of `pods` (a namespace's pods) bound to one of `nodes` refers to the `kind`
/// named `name`.
bool referred_by_pod_on(const std::set<std::string>& nodes, const std::vector<api::ObjectPtr>& pods,
                        RelatedKind kind, const std::string& name);

}  // namespace kactor::remote::tls
