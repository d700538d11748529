// Lease, Event and Binding validation.
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of leases, events and bindings: upstream field paths and messages",
          "[validation]") {
  check_cases({
      {"lease",
       R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l","namespace":"default"},
          "spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}})",
       "",
       {{"spec.leaseDurationSeconds", "Invalid value: 0: must be greater than 0"},
        {"spec.leaseTransitions", "Invalid value: -1: must be greater than or equal to 0"}}},
      {"event namespace",
       R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"e.1","namespace":"default"},
          "involvedObject":{"kind":"Pod","name":"p","namespace":"other"}})",
       "",
       {{"involvedObject.namespace", "Invalid value: \"other\": does not match event.namespace"}}},
      {"new-style event",
       R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"e.1","namespace":"default"},
          "involvedObject":{"kind":"Node","name":"n"},"eventTime":"2024-01-02T03:04:05.000000Z"})",
       "",
       {{"reportingComponent", "Required value"},
        {"reportingComponent", "Invalid value: \"\": name part must be non-empty"},
        {"reportingComponent",
         "Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', "
         "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
         "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"},
        {"reportingInstance", "Required value"},
        {"action", "Required value"},
        {"reason", "Required value"}}},
      {"binding",
       R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"p","namespace":"default"},
          "target":{"kind":"Pod"}})",
       "",
       {{"target.kind", "Unsupported value: \"Pod\": supported values: \"Node\", \"<empty>\""},
        {"target.name", "Required value"}}},
  });
}
