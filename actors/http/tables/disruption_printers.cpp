// PodDisruptionBudgets: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE, "N/A" for
// the bound a budget does not set (upstream printPodDisruptionBudget).
#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/disruption.hpp"

namespace kactor::http::tables {

namespace {

std::string bound(const std::optional<api::IntOrString>& v) {
  return v ? v->to_string() : "N/A";
}

void print_pdb(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& pdb = static_cast<const api::PodDisruptionBudget&>(object);
  row.cells = {pdb.metadata.name, bound(pdb.spec.min_available), bound(pdb.spec.max_unavailable),
               pdb.status.disruptions_allowed, age(pdb.metadata.creation_timestamp, now)};
}

}  // namespace

Printer pod_disruption_budget_printer() {
  return {{name_column(),
           {"Min Available", "string", "", "The minimum number of pods that must be available."},
           {"Max Unavailable", "string", "", "The maximum number of pods that may be unavailable."},
           {"Allowed Disruptions", "integer", "",
            "Calculated number of pods that may be disrupted at this time."},
           age_column()},
          &print_pdb};
}

}  // namespace kactor::http::tables
