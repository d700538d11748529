// Namespaces (NAME STATUS AGE), Events (LAST SEEN TYPE REASON OBJECT MESSAGE; wide adds
// SUBOBJECT SOURCE FIRST SEEN COUNT NAME) and Leases (NAME HOLDER AGE).
#include <cctype>
#include <string>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/coordination.hpp"
#include "api/types/event.hpp"
#include "api/types/namespace.hpp"

namespace kactor::http::tables {

namespace {

void print_namespace(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& ns = static_cast<const api::Namespace&>(object);
  row.cells = {ns.metadata.name, ns.status.phase, age(ns.metadata.creation_timestamp, now)};
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim_space(const std::string& s) {
  const char* space = " \t\n\r\f\v";
  auto first = s.find_first_not_of(space);
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

/// "component, host", falling back to the events.k8s.io reporting fields.
std::string event_source(const api::Event& e) {
  const auto& component = e.source.component.empty() ? e.reporting_component : e.source.component;
  const auto& instance = e.source.host.empty() ? e.reporting_instance : e.source.host;
  return instance.empty() ? component : component + ", " + instance;
}

void print_event(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& e = static_cast<const api::Event&>(object);
  // Events written through events.k8s.io carry eventTime and series instead of the
  // timestamps and count of core/v1.
  std::string first_seen =
      e.first_timestamp.is_set() ? age(e.first_timestamp, now) : age(e.event_time, now);
  std::string last_seen = e.last_timestamp.is_set() ? age(e.last_timestamp, now) : first_seen;
  int64_t count = e.count;
  if (e.series) {
    last_seen = age(e.series->last_observed_time, now);
    count = e.series->count;
  } else if (count == 0) {
    count = 1;  // a singleton event of the new API has no count
  }
  const auto& involved = e.involved_object;
  std::string target =
      involved.name.empty() ? lower(involved.kind) : lower(involved.kind) + "/" + involved.name;
  row.cells = {last_seen,
               e.type,
               e.reason,
               target,
               involved.field_path,
               event_source(e),
               trim_space(e.message),
               first_seen,
               count,
               e.metadata.name};
}

void print_lease(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& lease = static_cast<const api::Lease&>(object);
  row.cells = {lease.metadata.name, lease.spec.holder_identity.value_or(""),
               age(lease.metadata.creation_timestamp, now)};
}

}  // namespace

Printer namespace_printer() {
  return {{name_column(), {"Status", "string", "", "The status of the namespace"}, age_column()},
          &print_namespace};
}

Printer event_printer() {
  Column name = name_column();
  name.priority = 1;
  return {
      {{"Last Seen", "string", "",
        "The time at which the most recent occurrence of this event was recorded."},
       {"Type", "string", "",
        "Type of this event (Normal, Warning), new types could be added "
        "in the future"},
       {"Reason", "string", "",
        "This should be a short, machine understandable string that gives the reason for the "
        "transition into the object's current status."},
       {"Object", "string", "", "The object that this event is about."},
       {"Subobject", "string", "",
        "If referring to a piece of an object instead of an entire object, this string should "
        "contain a valid JSON/Go field access statement, such as "
        "desiredState.manifest.containers[2].",
        1},
       {"Source", "string", "",
        "The component reporting this event. Should be a short machine understandable "
        "string.",
        1},
       {"Message", "string", "", "A human-readable description of the status of this operation."},
       {"First Seen", "string", "",
        "The time at which the event was first recorded. (Time of server receipt is in "
        "TypeMeta.)",
        1},
       {"Count", "string", "", "The number of times this event has occurred.", 1},
       std::move(name)},
      &print_event};
}

Printer lease_printer() {
  return {{name_column(), {"Holder", "string", "", "The holder of the lease"}, age_column()},
          &print_lease};
}

}  // namespace kactor::http::tables
