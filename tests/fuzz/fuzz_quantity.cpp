// Quantity text: a Status or a quantity whose canonical text parses to the same amount, and
// whose canonical text is a fixed point after at most two round trips. (Not one: upstream
// prints a binary amount that is no whole number of Ki without a suffix, and that bare number
// reads back as DecimalSI, whose canonical text can differ: "155312.5Ki" -> "159040000" ->
// "159040k".)
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
  const std::string settled = again->to_string();
  if (settled != text) {
    FUZZ_REQUIRE(q->format() == Quantity::Format::BinarySI);
    FUZZ_REQUIRE(again->format() == Quantity::Format::DecimalSI);
  }
  auto third = Quantity::parse(settled);
  FUZZ_REQUIRE(third.has_value());
  FUZZ_REQUIRE(*third == *q);
  FUZZ_REQUIRE(third->to_string() == settled);
  (void)q->value();
  (void)q->milli_value();
}
