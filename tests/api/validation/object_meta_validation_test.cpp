// ObjectMeta validation shared by every kind (upstream ValidateObjectMeta and
// ValidateObjectMetaUpdate).
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of object metadata: upstream field paths and messages", "[validation]") {
  check_cases({
      {"pod without name",
       pod_json(R"({"containers":[{"name":"c","image":"i"}]})", R"("namespace":"default")"),
       "",
       {{"metadata.name", "Required value: name or generateName is required"}}},
      {"pod without namespace",
       pod_json(R"({"containers":[{"name":"c","image":"i"}]})", R"("name":"p")"),
       "",
       {{"metadata.namespace", "Required value"}}},
      {"bad generateName",
       pod_json(R"({"containers":[{"name":"c","image":"i"}]})",
                R"("generateName":"Web-","name":"web-x","namespace":"default")"),
       "",
       {{"metadata.generateName", std::string("Invalid value: \"Web-\": ") + kDns1123Subdomain}}},
      {"bad label key and value",
       pod_json(R"({"containers":[{"name":"c","image":"i"}]})",
                R"("name":"p","namespace":"default","labels":{"-bad":"ok","k":"a b"})"),
       "",
       {{"metadata.labels",
         "Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or "
         "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
         "'my.name',  or '123-abc', regex used for validation is "
         "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"},
        {"metadata.labels",
         "Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric "
         "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
         "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
         "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"}}},
      {"unqualified finalizer",
       pod_json(R"({"containers":[{"name":"c","image":"i"}]})",
                R"("name":"p","namespace":"default","finalizers":["custom"])"),
       "",
       {{"metadata.finalizers",
         "Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully "
         "qualified"}}},
      {"metadata is immutable",
       pod_json(R"({"containers":[{"name":"c","image":"i"}]})",
                R"("name":"q","namespace":"other","uid":"u2")"),
       pod_json(R"({"containers":[{"name":"c","image":"i"}]})",
                R"("name":"p","namespace":"default","uid":"u1")"),
       {{"metadata.name", "Invalid value: \"q\": field is immutable"},
        {"metadata.namespace", "Invalid value: \"other\": field is immutable"},
        {"metadata.uid", "Invalid value: \"u2\": field is immutable"}}},
      {"cluster-scoped kinds forbid a namespace",
       R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n","namespace":"default"}})",
       "",
       {{"metadata.namespace", "Forbidden: not allowed on this type"}}},
  });
}
