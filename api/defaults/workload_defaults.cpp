#include "api/defaults/workload_defaults.hpp"

#include "api/defaults/pod_defaults.hpp"

namespace kactor::api {

void set_defaults(ReplicationController& rc) {
  if (rc.spec.template_) {
    const auto& labels = rc.spec.template_->metadata.labels;
    if (!labels.empty()) {
      if (rc.spec.selector.empty()) rc.spec.selector = labels;
      if (rc.metadata.labels.empty()) rc.metadata.labels = labels;
    }
    set_pod_spec_defaults(rc.spec.template_->spec);
  }
  if (!rc.spec.replicas) rc.spec.replicas = 1;
}

void set_defaults(ReplicaSet& rs) {
  if (!rs.spec.replicas) rs.spec.replicas = 1;
  set_pod_spec_defaults(rs.spec.template_.spec);
}

void set_defaults(Deployment& d) {
  auto& spec = d.spec;
  if (!spec.replicas) spec.replicas = 1;
  if (spec.strategy.type.empty()) spec.strategy.type = "RollingUpdate";
  if (spec.strategy.type == "RollingUpdate") {
    auto& ru = spec.strategy.rolling_update;
    if (!ru) ru.emplace();
    if (!ru->max_unavailable) ru->max_unavailable = IntOrString::from_string("25%");
    if (!ru->max_surge) ru->max_surge = IntOrString::from_string("25%");
  }
  if (!spec.revision_history_limit) spec.revision_history_limit = 10;
  if (!spec.progress_deadline_seconds) spec.progress_deadline_seconds = 600;
  set_pod_spec_defaults(spec.template_.spec);
}

}  // namespace kactor::api
