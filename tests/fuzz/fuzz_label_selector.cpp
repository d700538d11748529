// Label selector text: a Status or a selector whose text form parses to the same selector.
#include <string>

#include "api/labels/selector.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using kactor::api::labels::Selector;

KACTOR_FUZZ_TARGET(label_selector) {
  auto selector = Selector::parse(input);
  if (!selector) return;
  const std::string text = selector->to_string();
  auto again = Selector::parse(text);
  FUZZ_REQUIRE(again.has_value());
  FUZZ_REQUIRE(again->to_string() == text);
}
