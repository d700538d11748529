#include "api/defaults/namespace_defaults.hpp"

namespace kactor::api {

void set_defaults(Namespace& ns) {
  if (ns.status.phase.empty()) ns.status.phase = "Active";
  auto& f = ns.spec.finalizers;
  if (!ns.metadata.deletion_timestamp && std::find(f.begin(), f.end(), "kubernetes") == f.end())
    f.push_back("kubernetes");
}

}  // namespace kactor::api
