// ConfigMaps (NAME DATA AGE), Secrets (NAME TYPE DATA AGE), ServiceAccounts (NAME SECRETS AGE).
#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/config.hpp"

namespace kactor::http::tables {

namespace {

void print_config_map(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& cm = static_cast<const api::ConfigMap&>(object);
  row.cells = {cm.metadata.name, static_cast<int64_t>(cm.data.size() + cm.binary_data.size()),
               age(cm.metadata.creation_timestamp, now)};
}

void print_secret(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& s = static_cast<const api::Secret&>(object);
  // stringData is write-only (merged into data on write), so data alone is counted.
  row.cells = {s.metadata.name, s.type, static_cast<int64_t>(s.data.size()),
               age(s.metadata.creation_timestamp, now)};
}

void print_service_account(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& sa = static_cast<const api::ServiceAccount&>(object);
  row.cells = {sa.metadata.name, static_cast<int64_t>(sa.secrets.size()),
               age(sa.metadata.creation_timestamp, now)};
}

}  // namespace

Printer config_map_printer() {
  return {{name_column(),
           {"Data", "string", "", "Data contains the configuration data."},
           age_column()},
          &print_config_map};
}

Printer secret_printer() {
  return {{name_column(),
           {"Type", "string", "", "Used to facilitate programmatic handling of secret data."},
           {"Data", "string", "", "Data contains the secret data."},
           age_column()},
          &print_secret};
}

Printer service_account_printer() {
  return {{name_column(),
           {"Secrets", "string", "",
            "Secrets is a list of the secrets in the same namespace that pods running using this "
            "ServiceAccount are allowed to use."},
           age_column()},
          &print_service_account};
}

}  // namespace kactor::http::tables
