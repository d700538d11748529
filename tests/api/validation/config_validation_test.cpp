// Secret and ConfigMap validation.
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of secrets and configmaps: upstream field paths and messages",
          "[validation]") {
  check_cases({
      {"secret keys and type",
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"},
          "type":"kubernetes.io/tls","data":{"a b":"eA==","tls.crt":"!!"}})",
       "",
       {{"data[a b]",
         "Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', "
         "'_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation "
         "is '[-._a-zA-Z0-9]+')"},
        {"data[tls.crt]", "Invalid value: \"!!\": illegal base64 data"},
        {"data[tls.key]", "Required value"}}},
      {"secret type is immutable",
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"},"type":"a/b"})",
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"}})",
       {{"type", "Invalid value: \"a/b\": field is immutable"}}},
      {"immutable configmap",
       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"k":"2"},"immutable":true})",
       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"k":"1"},"immutable":true})",
       {{"data", "Forbidden: field is immutable when `immutable` is set"}}},
  });
}
