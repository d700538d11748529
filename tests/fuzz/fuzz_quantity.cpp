// Quantity text: a Status or a quantity whose canonical text parses to the same amount, and
// stays canonical.
#include <string>

#include "api/quantity/quantity.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using kactor::api::Quantity;

KACTOR_FUZZ_TARGET(quantity) {
  auto q = Quantity::parse(input);
  if (!q) return;
  const std::string text = q->to_string();
  auto again = Quantity::parse(text);
  FUZZ_REQUIRE(again.has_value());
  FUZZ_REQUIRE(*again == *q);
  FUZZ_REQUIRE(again->to_string() == text);
  (void)q->value();
  (void)q->milli_value();
}
