// The printers of the built-in kinds, in one list keyed by TypeInfo (printers.cpp), and the
// function of each group of kinds that defines them (one file per group).
#pragma once

#include "actors/http/tables/printer.hpp"
#include "api/object.hpp"

namespace kactor::http::tables {

/// The printer of `type`; a kind without one gets default_printer().
const Printer& printer_for(const api::TypeInfo& type);

/// NAME and AGE only: upstream's printer for kinds without columns of their own.
const Printer& default_printer();

// -- one function per kind, defined in the file of its group --------------------------

Printer pod_printer();                      // pod_printers.cpp
Printer node_printer();                     // node_printers.cpp
Printer service_printer();                  // service_printers.cpp
Printer endpoints_printer();                // service_printers.cpp
Printer replication_controller_printer();   // workload_printers.cpp
Printer replica_set_printer();              // workload_printers.cpp
Printer deployment_printer();               // workload_printers.cpp
Printer config_map_printer();               // config_printers.cpp
Printer secret_printer();                   // config_printers.cpp
Printer service_account_printer();          // config_printers.cpp
Printer namespace_printer();                // cluster_printers.cpp
Printer event_printer();                    // cluster_printers.cpp
Printer lease_printer();                    // cluster_printers.cpp
Printer priority_class_printer();           // policy_printers.cpp
Printer resource_quota_printer();           // policy_printers.cpp
Printer limit_range_printer();              // policy_printers.cpp
Printer persistent_volume_printer();        // storage_printers.cpp
Printer persistent_volume_claim_printer();  // storage_printers.cpp
Printer horizontal_pod_autoscaler_printer();  // autoscaling_printers.cpp
Printer pod_disruption_budget_printer();      // disruption_printers.cpp

}  // namespace kactor::http::tables
