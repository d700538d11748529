#include "actors/http/tables/printers.hpp"

#include <utility>
#include <vector>

#include "actors/http/tables/format.hpp"
#include "api/types/all.hpp"
#include "api/types/autoscaling.hpp"
#include "api/types/disruption.hpp"

namespace kactor::http::tables {

Column name_column() {
  return {"Name", "string", "name",
          "Name must be unique within a namespace. Is required when creating resources, although "
          "some resources may allow a client to request the generation of an appropriate name "
          "automatically. Name is primarily intended for creation idempotence and configuration "
          "definition. Cannot be updated.",
          0};
}

Column age_column() {
  return {"Age", "string", "",
          "CreationTimestamp is a timestamp representing the server time when this object was "
          "created. Populated by the system. Read-only. Null for lists.",
          0};
}

namespace {

using Entry = std::pair<const api::TypeInfo*, Printer>;

/// The one list of printers. A kind missing here prints NAME and AGE.
const std::vector<Entry>& printer_table() {
  static const std::vector<Entry> table = {
      {&api::Pod::static_type(), pod_printer()},
      {&api::Node::static_type(), node_printer()},
      {&api::Service::static_type(), service_printer()},
      {&api::Endpoints::static_type(), endpoints_printer()},
      {&api::ReplicationController::static_type(), replication_controller_printer()},
      {&api::ReplicaSet::static_type(), replica_set_printer()},
      {&api::Deployment::static_type(), deployment_printer()},
      {&api::ConfigMap::static_type(), config_map_printer()},
      {&api::Secret::static_type(), secret_printer()},
      {&api::ServiceAccount::static_type(), service_account_printer()},
      {&api::Namespace::static_type(), namespace_printer()},
      {&api::Event::static_type(), event_printer()},
      {&api::Lease::static_type(), lease_printer()},
      {&api::PriorityClass::static_type(), priority_class_printer()},
      {&api::ResourceQuota::static_type(), resource_quota_printer()},
      {&api::LimitRange::static_type(), limit_range_printer()},
      {&api::PersistentVolume::static_type(), persistent_volume_printer()},
      {&api::PersistentVolumeClaim::static_type(), persistent_volume_claim_printer()},
      {&api::HorizontalPodAutoscaler::static_type(), horizontal_pod_autoscaler_printer()},
      {&api::PodDisruptionBudget::static_type(), pod_disruption_budget_printer()},
  };
  return table;
}

void print_name_and_age(const api::Object& o, TimePoint now, RowCells& row) {
  row.cells = {o.metadata.name, age(o.metadata.creation_timestamp, now)};
}

}  // namespace

const Printer& default_printer() {
  static const Printer printer{{name_column(), age_column()}, &print_name_and_age};
  return printer;
}

const Printer& printer_for(const api::TypeInfo& type) {
  for (const auto& [kind, printer] : printer_table())
    if (kind == &type) return printer;
  return default_printer();
}

}  // namespace kactor::http::tables
