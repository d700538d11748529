// Field selector text: a Status or a selector whose text form parses to the same terms.
// Terms print in the order of their raw text (as upstream), so the printed order is stable
// only from the second printing on.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "api/fields/selector.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using kactor::api::fields::Requirement;
using kactor::api::fields::Selector;

namespace {

std::vector<Requirement> sorted_terms(const Selector& s) {
  auto terms = s.requirements();
  std::sort(terms.begin(), terms.end(), [](const Requirement& a, const Requirement& b) {
    return std::tie(a.field, a.op, a.value) < std::tie(b.field, b.op, b.value);
  });
  return terms;
}

}  // namespace

KACTOR_FUZZ_TARGET(field_selector) {
  auto selector = Selector::parse(input);
  if (!selector) return;
  auto again = Selector::parse(selector->to_string());
  FUZZ_REQUIRE(again.has_value());
  FUZZ_REQUIRE(sorted_terms(*again) == sorted_terms(*selector));
  const std::string text = again->to_string();
  auto third = Selector::parse(text);
  FUZZ_REQUIRE(third.has_value());
  FUZZ_REQUIRE(third->to_string() == text);
}
