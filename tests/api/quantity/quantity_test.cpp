// Quantity parsing, canonical printing, rounding and arithmetic against upstream's tables.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "api/quantity/quantity.hpp"

using kactor::api::Quantity;
using Format = Quantity::Format;

namespace {

Quantity q(const std::string& text) {
  auto parsed = Quantity::parse(text);
  INFO(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

}  // namespace

TEST_CASE("quantity parses and prints canonically", "[quantity]") {
  struct Case {
    const char* in;
    const char* out;
    Format format;
  };
  const std::vector<Case> cases = {
      {"0", "0", Format::DecimalSI},
      {"0n", "0", Format::DecimalSI},
      {"0m", "0", Format::DecimalSI},
      {"0Ki", "0", Format::BinarySI},
      {"0Gi", "0", Format::BinarySI},
      {"-0", "0", Format::DecimalSI},
      {"1", "1", Format::DecimalSI},
      {"1.5", "1500m", Format::DecimalSI},
      {"0.5", "500m", Format::DecimalSI},
      {"1000", "1k", Format::DecimalSI},
      {"1000m", "1", Format::DecimalSI},
      {"1000M", "1G", Format::DecimalSI},
      {"100", "100", Format::DecimalSI},
      {"1080m", "1080m", Format::DecimalSI},
      {"1.08", "1080m", Format::DecimalSI},
      {"0.001", "1m", Format::DecimalSI},
      {"1000u", "1m", Format::DecimalSI},
      {".001", "1m", Format::DecimalSI},
      {"1.", "1.", Format::DecimalSI},
      {"1.G", "1.G", Format::DecimalSI},
      {"1.0G", "1G", Format::DecimalSI},
      {".", "0", Format::DecimalSI},
      {"-", "0", Format::DecimalSI},
      {"100.035k", "100.035k", Format::DecimalSI},  // upstream keeps it
      {"10.035M", "10.035M", Format::DecimalSI},
      {"10.0351M", "10035100", Format::DecimalSI},
      {"5n", "5n", Format::DecimalSI},
      {"4u", "4u", Format::DecimalSI},
      {"50k", "50k", Format::DecimalSI},
      {"40T", "40T", Format::DecimalSI},
      {"2.5P", "2500T", Format::DecimalSI},
      {"1E", "1E", Format::DecimalSI},
      {"12E", "12E", Format::DecimalSI},
      {"1000E", "1e21", Format::DecimalSI},
      {"1Ki", "1Ki", Format::BinarySI},
      {"1024", "1024", Format::DecimalSI},
      {"1024Mi", "1Gi", Format::BinarySI},
      {"1.5Gi", "1536Mi", Format::BinarySI},
      {"1.5Ki", "1536", Format::BinarySI},
      {"0.5Ki", "512", Format::BinarySI},
      {"0.5Mi", "512Ki", Format::BinarySI},
      {"300Mi", "300Mi", Format::BinarySI},
      {"307200Ki", "300Mi", Format::BinarySI},
      {"1025Ki", "1025Ki", Format::BinarySI},
      {".001Ki", "1024m", Format::BinarySI},
      {".000001Ki", "1024u", Format::DecimalSI},  // below one unit
      {".000000001Ki", "1024n", Format::DecimalSI},
      {".000000000001Ki", "2n", Format::DecimalSI},      // rounds up, changes format
      {"9Ei", "9223372036854775807", Format::BinarySI},  // silently capped at 2^63-1
      {"9223372036854775807Ki", "9223372036854775807", Format::BinarySI},
      {"1e3", "1e3", Format::DecimalExponent},
      {"1E3", "1E3", Format::DecimalExponent},  // already canonical: echoed as written
      {"12e6", "12e6", Format::DecimalExponent},
      {"1e2", "100", Format::DecimalExponent},
      {"100e3", "100e3", Format::DecimalExponent},
      {"1.2e3", "1200", Format::DecimalExponent},
      {"1.3E+6", "1300e3", Format::DecimalExponent},
      {"1E-3", "1E-3", Format::DecimalExponent},
      {"0.5e-1", "50e-3", Format::DecimalExponent},
      {"1.1E-9", "2e-9", Format::DecimalExponent},
      {"0.5e-9", "1e-9", Format::DecimalExponent},
      {"1e-20", "1e-9", Format::DecimalExponent},
      {"0e999999", "0", Format::DecimalExponent},
      {"3.001n", "4n", Format::DecimalSI},
      {"0.9n", "1n", Format::DecimalSI},
      {"0.0000000001", "1n", Format::DecimalSI},
      {"0.00000012345", "124n", Format::DecimalSI},
      {"1.00000000000000000000000000000000000000000000000000000000", "1", Format::DecimalSI},
      {"-1.5", "-1500m", Format::DecimalSI},
      {"-1.5Gi", "-1536Mi", Format::BinarySI},
      {"-0.9n", "-1n", Format::DecimalSI},
      {"+1", "+1", Format::DecimalSI},  // upstream echoes the cached text
      {"010", "010", Format::DecimalSI},
      {"+1.5", "1500m", Format::DecimalSI},
      {"+1Pi", "1Pi", Format::BinarySI},  // upstream's fast path skips Pi: not echoed
      {"+1Ki", "+1Ki", Format::BinarySI},
      {"8Ki", "8Ki", Format::BinarySI},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto parsed = Quantity::parse(c.in);
    REQUIRE(parsed.has_value());
    CHECK(parsed->to_string() == c.out);
    CHECK(parsed->format() == c.format);
  }
}

TEST_CASE("a binary amount that is no whole number of Ki prints bare and reads back as decimal", "[quantity]") {
  // Upstream prints such an amount with no suffix; the bare number then parses as DecimalSI,
  // whose canonical text may differ again ("159040000" -> "159040k"). Two round trips reach a
  // fixed point; this is what tests/fuzz/fuzz_quantity.cpp checks.
  auto first = Quantity::parse("-155312.5Ki");
  REQUIRE(first.has_value());
  CHECK(first->to_string() == "-159040000");
  auto second = Quantity::parse(first->to_string());
  REQUIRE(second.has_value());
  CHECK(*second == *first);
  CHECK(second->format() == Format::DecimalSI);
  CHECK(second->to_string() == "-159040k");
  CHECK(Quantity::parse("-159040k")->to_string() == "-159040k");
}

TEST_CASE("quantity rejects malformed text with upstream messages", "[quantity]") {
  const std::string format_wrong =
      "quantities must match the regular expression "
      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  const std::string suffix = "unable to parse quantity's suffix";
  struct Case {
    const char* in;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", format_wrong},       {"1.2.3", format_wrong}, {"1.1.M", format_wrong},
      {"1+1.0M", format_wrong}, {"0.1am", format_wrong}, {"aoeu", format_wrong},
      {" 1", format_wrong},     {"1 ", format_wrong},    {"1Qi", format_wrong},
      {"5ii", suffix},          {"0.1mi", suffix},       {".5i", suffix},
      {"1i", suffix},           {"-3.01i", suffix},      {"-3.01e-", suffix},
      {"1e", suffix},           {"1kk", suffix},         {"1Ki2", suffix},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto parsed = Quantity::parse(c.in);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == 400);
    CHECK(parsed.error().reason == "BadRequest");
    CHECK(parsed.error().message == c.message);
  }
  // Beyond what 128 bits of nano-units hold (upstream would accept these).
  auto huge = Quantity::parse("1e40");
  REQUIRE_FALSE(huge.has_value());
  CHECK(huge.error().message == "unable to parse numeric part of quantity");
}

TEST_CASE("quantity value and milli_value round away from zero", "[quantity]") {
  struct Case {
    const char* in;
    int64_t value;
    int64_t milli;
  };
  const std::vector<Case> cases = {
      {"0", 0, 0},
      {"1", 1, 1000},
      {"1.5", 2, 1500},
      {"100m", 1, 100},
      {"1n", 1, 1},
      {"1500u", 1, 2},
      {"-1.5", -2, -1500},
      {"-100m", -1, -100},
      {"-1n", -1, -1},
      {"1Ki", 1024, 1024000},
      {"1Gi", 1073741824, 1073741824000},
      {"9.01", 10, 9010},
      {"9Ei", INT64_MAX, INT64_MAX},  // milli saturates where upstream overflows
      {"-9Ei", -INT64_MAX, INT64_MIN},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    Quantity x = q(c.in);
    CHECK(x.value() == c.value);
    CHECK(x.milli_value() == c.milli);
  }
}

TEST_CASE("quantity constructors print like upstream", "[quantity]") {
  CHECK(Quantity::from_milli(1, Format::DecimalSI).to_string() == "1m");
  CHECK(Quantity::from_milli(1000, Format::DecimalSI).to_string() == "1");
  CHECK(Quantity::from_milli(1234000, Format::DecimalSI).to_string() == "1234");
  CHECK(Quantity::from_milli(1024, Format::BinarySI).to_string() == "1024m");
  CHECK(Quantity::from_milli(1024 * 1024, Format::BinarySI).to_string() == "1048576m");
  CHECK(Quantity::from_milli(1000000, Format::DecimalExponent).to_string() == "1e3");
  CHECK(Quantity::from_milli(100, Format::BinarySI).to_string() == "100m");
  CHECK(Quantity::from_value(1, Format::DecimalSI).to_string() == "1");
  CHECK(Quantity::from_value(1000, Format::DecimalSI).to_string() == "1k");
  CHECK(Quantity::from_value(1234000, Format::DecimalSI).to_string() == "1234k");
  CHECK(Quantity::from_value(1024, Format::BinarySI).to_string() == "1Ki");
  CHECK(Quantity::from_value(1024 * 1024, Format::BinarySI).to_string() == "1Mi");
  CHECK(Quantity::from_value(1000000, Format::DecimalExponent).to_string() == "1e6");
  CHECK(Quantity::from_value(5, Format::BinarySI).to_string() == "5");
  CHECK(Quantity::from_value(1025, Format::BinarySI).to_string() == "1025");
  CHECK(Quantity::from_value(0, Format::BinarySI).to_string() == "0");
  CHECK(Quantity::from_value(-2048, Format::BinarySI).to_string() == "-2Ki");
  CHECK(Quantity::from_scaled(1, -9).to_string() == "1n");
  CHECK(Quantity::from_scaled(1000, -9).to_string() == "1u");
  CHECK(Quantity::from_scaled(1, 3).to_string() == "1k");
  CHECK(Quantity::from_scaled(1, 21).to_string() == "1e21");
  CHECK(Quantity::from_scaled(15, -10).to_string() == "2n");
  CHECK(Quantity::from_value(INT64_MAX, Format::DecimalSI).to_string() == "9223372036854775807");
  CHECK(Quantity::from_value(INT64_MIN, Format::DecimalSI).to_string() == "-9223372036854775808");
}

TEST_CASE("quantity compares amounts, not formats", "[quantity]") {
  CHECK(q("1Ki") == q("1024"));
  CHECK(q("1k") == q("1000"));
  CHECK(q("1") == q("1000m"));
  CHECK(q("100m") > q("50m"));
  CHECK(q("50m") < q("100m"));
  CHECK(q("10000T") > q("100Gi"));
  CHECK(q("-1") < q("0"));
  CHECK(q("0") == Quantity{});
  CHECK(q("0.1n") == q("1n"));
  CHECK((q("1Gi") <=> q("1G")) == std::strong_ordering::greater);
  CHECK(q("0").is_zero());
  CHECK_FALSE(q("1n").is_zero());
  CHECK(q("-5m").sign() == -1);
  CHECK(q("5m").sign() == 1);
  CHECK(q("0Ki").sign() == 0);
}

TEST_CASE("quantity arithmetic keeps the left format unless it is zero", "[quantity]") {
  CHECK((q("1Gi") + q("512Mi")).to_string() == "1536Mi");
  CHECK((q("1") + q("500m")).to_string() == "1500m");
  CHECK((q("1Gi") - q("1Gi")).to_string() == "0");
  CHECK((q("1") - q("1Ki")).to_string() == "-1023");
  CHECK((q("1k") + q("1Ki")).to_string() == "2024");
  CHECK((q("1k") + q("1Ki")).format() == Format::DecimalSI);
  // A zero left operand takes the right one's format (upstream Add/Sub).
  CHECK((q("0") + q("1Gi")).to_string() == "1Gi");
  CHECK((q("0") + q("100m")).to_string() == "100m");
  CHECK((q("1Gi") + q("0")).to_string() == "1Gi");
  CHECK((q("0") - q("1Gi")).to_string() == "-1Gi");
  CHECK((q("100m") - q("0")).to_string() == "100m");
  // Arithmetic forgets the echoed text.
  CHECK((q("+1") + q("0")).to_string() == "1");
  CHECK((-q("9.01")).to_string() == "-9010m");
  Quantity sum;
  for (int i = 0; i < 10; ++i) sum += q("100m");
  CHECK(sum == q("1"));
  CHECK(sum.to_string() == "1");
  CHECK(sum.milli_value() == 1000);
}

TEST_CASE("quantity resource lists are ordered maps", "[quantity]") {
  kactor::api::ResourceList list{{"memory", q("1Gi")}, {"cpu", q("500m")}};
  CHECK(list.begin()->first == "cpu");
  CHECK(list.at("memory").value() == 1073741824);
  kactor::api::ResourceList same{{"cpu", q("0.5")}, {"memory", q("1024Mi")}};
  CHECK(list == same);
}

TEST_CASE("quantity parses to upstream's exact amounts", "[quantity]") {
  struct Case {
    const char* in;
    int64_t value;  // amount = value * 10^scale
    int scale;
    Format format;
  };
  // From upstream's TestQuantityParse table.
  const std::vector<Case> cases = {
      {"100.035Ki", 10243584, -2, Format::BinarySI},
      {"0.5Mi", 524288, 0, Format::BinarySI},
      {"0.05Gi", 536870912, -1, Format::BinarySI},
      {"0.025Ti", 274877906944, -1, Format::BinarySI},
      {"7.123456M", 7123456, 0, Format::DecimalSI},
      {"6.987654321G", 6987654321, 0, Format::DecimalSI},
      {"1.01E", 101, 16, Format::DecimalSI},
      {"0.0005k", 5, -1, Format::DecimalSI},
      {".0001k", 100, -3, Format::DecimalSI},
      {"1.7E18", 17, 17, Format::DecimalExponent},
      {"1.53E12", 153, 10, Format::DecimalExponent},
      {"0.00000000050", 1, -9, Format::DecimalSI},
      {"0.00000012354", 124, -9, Format::DecimalSI},
      {"3Ei", 3LL << 60, 0, Format::BinarySI},
      {"-0.000000000001Ki", -2, -9, Format::DecimalSI},
      {"-100.035Ki", -10243584, -2, Format::BinarySI},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    Quantity parsed = q(c.in);
    CHECK(parsed == Quantity::from_scaled(c.value, c.scale));
    CHECK(parsed.format() == c.format);
  }
}
