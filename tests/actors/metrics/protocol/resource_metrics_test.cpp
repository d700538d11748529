// The conversions metrics-server applies to the kubelet's numbers, and the window as Go prints
// a Duration.
#include <catch2/catch.hpp>

#include "actors/metrics/protocol/resource_metrics.hpp"
#include "api/time/go_duration.hpp"

using namespace kactor;
using namespace kactor::metrics;

TEST_CASE("CPU from nanocores prints as metrics-server prints it") {
  CHECK(cpu_quantity(250000000).to_string() == "250m");
  CHECK(cpu_quantity(123456).to_string() == "123456n");
  CHECK(cpu_quantity(2000000000).to_string() == "2");
  CHECK(cpu_quantity(1500).to_string() == "1500n");
  CHECK(cpu_quantity(1000).to_string() == "1u");
  CHECK(cpu_quantity(0).to_string() == "0");
}

TEST_CASE("memory from working-set bytes prints in binary units") {
  CHECK(memory_quantity(126418944).to_string() == "123456Ki");
  CHECK(memory_quantity(268435456).to_string() == "256Mi");
  CHECK(memory_quantity(1500).to_string() == "1500");
  // Below 1024 upstream's Quantity prints binary amounts in decimal, as metrics-server shows.
  CHECK(memory_quantity(1000).to_string() == "1k");
  CHECK(memory_quantity(0).to_string() == "0");
}

TEST_CASE("a huge counter saturates instead of wrapping negative") {
  CHECK(memory_quantity(UINT64_MAX).sign() == 1);
  CHECK(cpu_quantity(UINT64_MAX).sign() == 1);
}

TEST_CASE("windows print as Go prints a Duration") {
  using namespace std::chrono;
  CHECK(format_go_duration(seconds(15)) == "15s");
  CHECK(format_go_duration(seconds(0)) == "0s");
  CHECK(format_go_duration(seconds(90)) == "1m30s");
  CHECK(format_go_duration(minutes(60)) == "1h0m0s");
  CHECK(format_go_duration(milliseconds(20046)) == "20.046s");
  CHECK(format_go_duration(milliseconds(1500)) == "1.5s");
  CHECK(format_go_duration(microseconds(1500)) == "1.5ms");
  CHECK(format_go_duration(nanoseconds(12)) == "12ns");
}
