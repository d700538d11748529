// yaml_to_json over any text: a Status or JSON values, and (for values of moderate depth,
// as json_to_yaml's output grows with the square of the depth) json_to_yaml writes YAML
// that reads back as the same values.
#include <nlohmann/json.hpp>

#include "api/codec/json_guard.hpp"
#include "api/yaml/yaml.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace kactor::api;

KACTOR_FUZZ_TARGET(yaml) {
  auto docs = yaml_to_json(input);
  if (!docs) return;
  for (const auto& doc : *docs) {
    FUZZ_REQUIRE(!doc.is_null());
    if (json_guard::measure(doc).depth > 100) continue;
    auto back = yaml_to_json(json_to_yaml(doc));
    FUZZ_REQUIRE(back.has_value());
    FUZZ_REQUIRE(back->size() == 1);
    FUZZ_REQUIRE((*back)[0] == doc);
  }
}
