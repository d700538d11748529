#include "api/defaults/namespace_defaults.hpp"

#include <algorithm>

namespace kactor::api {

void set_defaults(Namespace& ns) {
  // Set on create and on every update, so it always matches the name and no user can
  // remove or change it (upstream's defaulting and namespace strategy do the same).
  if (!ns.metadata.name.empty())
    ns.metadata.labels[std::string(kNamespaceNameLabel)] = ns.metadata.name;
  if (ns.status.phase.empty()) ns.status.phase = "Active";
  auto& f = ns.spec.finalizers;
  if (!ns.metadata.deletion_timestamp && std::find(f.begin(), f.end(), "kubernetes") == f.end())
    f.push_back("kubernetes");
}

}  // namespace kactor::api
