// ReplicationControllers and ReplicaSets (NAME DESIRED CURRENT READY AGE), Deployments (NAME
// READY UP-TO-DATE AVAILABLE AGE); wide for all three: CONTAINERS IMAGES SELECTOR.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/workloads.hpp"

namespace kactor::http::tables {

namespace {

/// The template's container names and images, each joined by ",".
std::pair<std::string, std::string> containers_and_images(const api::PodSpec& spec) {
  std::vector<std::string> names, images;
  for (const auto& c : spec.containers) {
    names.push_back(c.name);
    images.push_back(c.image);
  }
  return {join(names, ","), join(images, ",")};
}

/// The wide columns the three kinds share.
std::vector<Column> template_columns(const char* selector_description) {
  return {{"Containers", "string", "", "Names of each container in the template.", 1},
          {"Images", "string", "", "Images referenced by each container in the template.", 1},
          {"Selector", "string", "", selector_description, 1}};
}

void print_replication_controller(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& rc = static_cast<const api::ReplicationController&>(object);
  auto [names, images] = rc.spec.template_ ? containers_and_images(rc.spec.template_->spec)
                                           : std::pair<std::string, std::string>{};
  row.cells = {rc.metadata.name,
               rc.spec.replicas.value_or(1),
               rc.status.replicas,
               rc.status.ready_replicas,
               age(rc.metadata.creation_timestamp, now),
               names,
               images,
               format_labels(rc.spec.selector)};
}

void print_replica_set(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& rs = static_cast<const api::ReplicaSet&>(object);
  auto [names, images] = containers_and_images(rs.spec.template_.spec);
  row.cells = {rs.metadata.name,
               rs.spec.replicas.value_or(1),
               rs.status.replicas,
               rs.status.ready_replicas,
               age(rs.metadata.creation_timestamp, now),
               names,
               images,
               format_label_selector(rs.spec.selector ? &*rs.spec.selector : nullptr)};
}

void print_deployment(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& d = static_cast<const api::Deployment&>(object);
  auto [names, images] = containers_and_images(d.spec.template_.spec);
  row.cells = {d.metadata.name,
               fmt::format("{}/{}", d.status.ready_replicas, d.spec.replicas.value_or(1)),
               d.status.updated_replicas, d.status.available_replicas,
               age(d.metadata.creation_timestamp, now), names, images,
               // Upstream prints the selector string as is here: "" when it selects everything.
               d.spec.selector ? selector_string(*d.spec.selector) : std::string()};
}

std::vector<Column> replica_columns(const char* desired, const char* current, const char* ready,
                                    const char* selector) {
  std::vector<Column> columns = {name_column(),
                                 {"Desired", "integer", "", desired},
                                 {"Current", "integer", "", current},
                                 {"Ready", "integer", "", ready},
                                 age_column()};
  for (auto& c : template_columns(selector)) columns.push_back(std::move(c));
  return columns;
}

}  // namespace

Printer replication_controller_printer() {
  return {
      replica_columns("Replicas is the number of desired replicas.",
                      "Replicas is the most recently observed number of replicas.",
                      "The number of ready replicas for this replication controller.",
                      "Selector is a label query over pods that should match the Replicas count."),
      &print_replication_controller};
}

Printer replica_set_printer() {
  return {
      replica_columns("Replicas is the number of desired pods.",
                      "Replicas is the most recently observed number of replicas.",
                      "The number of non-terminating pods targeted by this ReplicaSet with a Ready "
                      "Condition.",
                      "Selector is a label query over pods that should match the replica count."),
      &print_replica_set};
}

Printer deployment_printer() {
  std::vector<Column> columns = {
      name_column(),
      {"Ready", "string", "", "Number of the pod with ready state"},
      {"Up-to-date", "string", "",
       "Total number of non-terminated pods targeted by this deployment that have the desired "
       "template spec."},
      {"Available", "string", "",
       "Total number of available pods (ready for at least minReadySeconds) targeted by this "
       "deployment."},
      age_column()};
  for (auto& c : template_columns("Label selector for pods. Existing ReplicaSets whose pods are "
                                  "selected by this will be the ones affected by this deployment."))
    columns.push_back(std::move(c));
  return {std::move(columns), &print_deployment};
}

}  // namespace kactor::http::tables
