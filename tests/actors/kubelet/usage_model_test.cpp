// The usage model of simulated containers (usage_model.hpp): the annotation grammar, use
// over time for a schedule, and the defaults from requests.
#include <catch2/catch.hpp>

#include "actors/kubelet/usage_model.hpp"
#include "api/testing/builders.hpp"

using namespace kactor;
using namespace kactor::kubelet;
using namespace std::chrono_literals;

namespace {
constexpr int64_t Mi = 1 << 20;
constexpr int64_t kMilli = 1'000'000;  // nanocores in a millicore
}  // namespace

TEST_CASE("usage schedules parse: quantities and '<q> for <d>, then ...'", "[kubelet][usage]") {
  using Segment = UsageSchedule::Segment;
  struct Case {
    const char* text;
    UsageResource resource;
    std::vector<Segment> want;
  };
  const Case cases[] = {
      {"250m", UsageResource::cpu, {{250 * kMilli, Duration::max()}}},
      {"2", UsageResource::cpu, {{2000 * kMilli, Duration::max()}}},
      {"300Mi", UsageResource::memory, {{300 * Mi, Duration::max()}}},
      {" 1Gi ", UsageResource::disk, {{1024 * Mi, Duration::max()}}},
      {"100m for 60s, then 900m", UsageResource::cpu,
       {{100 * kMilli, 60s}, {900 * kMilli, Duration::max()}}},
      {"100Mi for 1m30s, then 200Mi for 2m, then 0", UsageResource::memory,
       {{100 * Mi, 90s}, {200 * Mi, 2min}, {0, Duration::max()}}},
      {"100Mi for 10s,then 1Gi", UsageResource::memory,
       {{100 * Mi, 10s}, {1024 * Mi, Duration::max()}}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto s = UsageSchedule::parse(c.text, c.resource);
    REQUIRE(s.has_value());
    CHECK(s->segments() == c.want);
  }
}

TEST_CASE("usage schedules that do not parse say what is wrong", "[kubelet][usage]") {
  struct Case {
    const char* text;
    const char* says;
  };
  const Case cases[] = {
      {"", "empty"},
      {"lots", "\"lots\" is not a quantity of bytes"},
      {"-5Mi", "\"-5Mi\" is not a quantity"},
      {"100Mi for 60s", "the last segment (\"100Mi for 60s\") must go on for ever"},
      {"100Mi, then 200Mi", "segment 1 (\"100Mi\") has no length"},
      {"100Mi for 60s, 200Mi", "segment 2 (\"200Mi\") does not begin with \"then \""},
      {"100Mi for soon, then 1Gi", "\"soon\" in segment 1 is not a positive duration"},
      {"100Mi for 0s, then 1Gi", "\"0s\" in segment 1 is not a positive duration"},
      {"100Mi for 10s, then", "segment 2 has no quantity after \"then\""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto s = UsageSchedule::parse(c.text, UsageResource::memory);
    REQUIRE(!s.has_value());
    CHECK_THAT(s.error().message, Catch::Contains(c.says));
  }
  auto cpu = UsageSchedule::parse("fast", UsageResource::cpu);
  REQUIRE(!cpu);
  CHECK_THAT(cpu.error().message, Catch::Contains("is not a quantity of cpu (\"250m\")"));
}

TEST_CASE("a schedule's amount and cumulative use change at its boundaries", "[kubelet][usage]") {
  auto s = *UsageSchedule::parse("100m for 60s, then 900m", UsageResource::cpu);
  CHECK(s.at(0s) == 100 * kMilli);
  CHECK(s.at(59s) == 100 * kMilli);
  CHECK(s.at(60s) == 900 * kMilli);
  CHECK(s.at(1h) == 900 * kMilli);
  // 0.1 core for 60 s = 6 core-seconds; then 0.9 core for 10 s = 9 more.
  CHECK(s.cumulative(0s) == 0);
  CHECK(s.cumulative(30s) == 3'000'000'000ull);
  CHECK(s.cumulative(60s) == 6'000'000'000ull);
  CHECK(s.cumulative(70s) == 15'000'000'000ull);
}

TEST_CASE("a container's model: defaults from requests, annotations, per-container ones",
          "[kubelet][usage]") {
  UsageModelOptions opts;  // half of the request; 5m and 16Mi without one
  auto with_requests = api::testing::make_pod("default", "p").spec.containers[0];
  with_requests.name = "app";
  with_requests.resources.requests["cpu"] = api::testing::qty("200m");
  with_requests.resources.requests["memory"] = api::testing::qty("1Gi");
  auto bare = with_requests;
  bare.name = "sidecar";
  bare.resources = {};
  std::vector<std::string> problems;

  auto m = container_usage_model(with_requests, {}, opts, problems);
  CHECK(m.cpu.at(0s) == 100 * kMilli);
  CHECK(m.memory.at(0s) == 512 * Mi);
  CHECK(m.disk.at(0s) == 0);
  auto b = container_usage_model(bare, {}, opts, problems);
  CHECK(b.cpu.at(0s) == 5 * kMilli);
  CHECK(b.memory.at(0s) == 16 * Mi);
  opts.request_fraction = 1.5;  // a node whose containers overrun their requests
  CHECK(container_usage_model(with_requests, {}, opts, problems).memory.at(0s) == 1536 * Mi);
  CHECK(problems.empty());

  Annotations a = {{"kactor.io/memory-usage", "100Mi for 60s, then 2Gi"},
                   {"kactor.io/memory-usage.sidecar", "50Mi"},
                   {"kactor.io/disk-usage", "3Gi"}};
  auto app = container_usage_model(with_requests, a, opts, problems);
  CHECK(app.memory.at(59s) == 100 * Mi);
  CHECK(app.memory.at(60s) == 2048 * Mi);
  CHECK(app.disk.at(0s) == 3072 * Mi);
  CHECK(container_usage_model(bare, a, opts, problems).memory.at(60s) == 50 * Mi);
  CHECK(problems.empty());
}

TEST_CASE("a usage annotation that does not parse is a problem, and the default applies",
          "[kubelet][usage]") {
  auto c = api::testing::make_pod("default", "p").spec.containers[0];
  c.name = "app";
  c.resources.requests["memory"] = api::testing::qty("1Gi");
  std::vector<std::string> problems;
  auto m = container_usage_model(c, {{"kactor.io/memory-usage", "a lot"}}, {}, problems);
  CHECK(m.memory.at(0s) == 512 * Mi);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] ==
        "annotation kactor.io/memory-usage: \"a lot\": \"a lot\" is not a quantity of bytes "
        "(\"300Mi\")");
}
