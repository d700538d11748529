// Deployments and ReplicaSets as the Deployment controller's pure steps see them, for the
// table tests of deployment_rollout / deployment_revision / deployment_status.
#pragma once

#include <catch2/catch.hpp>

#include "actors/controllers/deployment_revision.hpp"
#include "api/testing/builders.hpp"

namespace kactor::testing {

using api::testing::make_pod;

/// The instant the tables count from (whole seconds, as conditions keep them).
inline TimePoint rollout_epoch() {
  return TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 1 / 1).time_since_epoch());
}

/// A RollingUpdate Deployment "web" as the API server stores it (defaults applied).
inline api::Deployment make_deployment(int replicas, api::IntOrString surge,
                                       api::IntOrString unavailable) {
  api::Deployment d;
  d.metadata.namespace_ = "default";
  d.metadata.name = "web";
  d.metadata.uid = "d-uid";
  d.metadata.generation = 1;
  d.spec.replicas = replicas;
  d.spec.selector = api::LabelSelector{{{"app", "web"}}, {}};
  d.spec.template_.metadata.labels = {{"app", "web"}};
  d.spec.template_.spec = make_pod("default", "x").spec;
  d.spec.strategy.type = "RollingUpdate";
  d.spec.strategy.rolling_update = api::RollingUpdateDeployment{unavailable, surge};
  d.spec.revision_history_limit = 10;
  d.spec.progress_deadline_seconds = 600;
  return d;
}

/// A ReplicaSet `name` of `replicas`, `available` of them available, created `created_s`
/// after the test epoch, annotated with `revision` (0: none).
inline api::ReplicaSet make_rs(const std::string& name, int replicas, int available,
                               int created_s = 0, int revision = 0) {
  api::ReplicaSet rs;
  rs.metadata.namespace_ = "default";
  rs.metadata.name = name;
  rs.metadata.uid = name + "-uid";
  rs.metadata.creation_timestamp.value = rollout_epoch() + std::chrono::seconds(created_s);
  rs.spec.replicas = replicas;
  rs.status.replicas = replicas;
  rs.status.ready_replicas = available;
  rs.status.available_replicas = available;
  if (revision) rs.metadata.annotations[actors::controllers::deployment::kRevisionAnnotation] =
      std::to_string(revision);
  return rs;
}

}  // namespace kactor::testing
