// The step arithmetic of a rolling update against kubectl's own printed runs.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "actors/rollout/steps.hpp"

using namespace kactor::rollout;

namespace {

/// Runs the loop's arithmetic with every new pod available at once, as kubectl printed it:
/// "up N" / "down N" in order.
std::vector<std::string> simulate(int32_t old_replicas, int32_t desired, IntOrPercent surge,
                                  IntOrPercent unavailable) {
  const auto limits = limits_for(resolve_fenceposts(surge, unavailable, desired), desired, old_replicas);
  int32_t next = 0, old = old_replicas;
  std::vector<std::string> steps;
  for (int guard = 0; (next != desired || old != 0) && guard < 100; ++guard) {
    if (int32_t up = scale_up_target(limits, old, next); up != next) {
      steps.push_back("up " + std::to_string(up));
      next = up;
    }
    if (old != 0) {
      if (int32_t down = scale_down_target(limits, old, next, next); down != old) {
        steps.push_back("down " + std::to_string(down));
        old = down;
      }
    }
  }
  return steps;
}

}  // namespace

TEST_CASE("one surge pod, none unavailable: kubectl's run of my-nginx from 3 to 3", "[rollout]") {
  // kubectl rolling-update my-nginx --image=...: "keep 3 pods available, don't exceed 4 pods".
  auto limits = limits_for(resolve_fenceposts({1, false}, {0, false}, 3), 3, 3);
  CHECK(limits.min_available == 3);
  CHECK(limits.max_total() == 4);
  CHECK(simulate(3, 3, {1, false}, {0, false}) ==
        std::vector<std::string>{"up 1", "down 2", "up 2", "down 1", "up 3", "down 0"});
}

TEST_CASE("no surge, one unavailable: kubectl's run of my-nginx from 4 to 5 pods", "[rollout]") {
  // "keep 4 pods available, don't exceed 5 pods", then up 1, down 3, ..., down 0, up 5.
  auto limits = limits_for(resolve_fenceposts({0, false}, {1, false}, 5), 5, 4);
  CHECK(limits.min_available == 4);
  CHECK(limits.max_total() == 5);
  CHECK(simulate(4, 5, {0, false}, {1, false}) ==
        std::vector<std::string>{"up 1", "down 3", "up 2", "down 2", "up 3", "down 1", "up 4",
                                 "down 0", "up 5"});
}

TEST_CASE("percentages round the surge up and the unavailable pods down", "[rollout]") {
  CHECK(resolve_fenceposts({25, true}, {25, true}, 10) == Fenceposts{3, 2});
  // 10% of 3 is 0.3: the surge rounds up to 1, the unavailable pods down to 0.
  CHECK(resolve_fenceposts({10, true}, {10, true}, 3) == Fenceposts{1, 0});
  CHECK(scaled_value({10, true}, 3, false) == 0);
  CHECK(resolve_fenceposts({50, true}, {0, false}, 1) == Fenceposts{1, 0});
  // Both rounding to nothing: the update must still move, by one unavailable pod.
  CHECK(resolve_fenceposts({0, true}, {10, true}, 5) == Fenceposts{0, 1});
}

TEST_CASE("a bigger surge and unavailable budget moves several pods a step", "[rollout]") {
  // 10 pods, 30% surge (3) and 20% unavailable (2): at most 13 pods, at least 8 available.
  // Down by 10 + 3 - 8 = 5; up to the ceiling again; the old one then fits under the floor
  // entirely, and the new one grows straight to its size.
  CHECK(simulate(10, 10, {30, true}, {20, true}) ==
        std::vector<std::string>{"up 3", "down 5", "up 8", "down 0", "up 10"});
}

TEST_CASE("the old controller shrinks only as new pods become available", "[rollout]") {
  auto limits = limits_for(resolve_fenceposts({1, false}, {0, false}, 3), 3, 3);
  // One new pod, not yet available: neither side may move.
  CHECK(scale_down_target(limits, 3, 1, 0) == 3);
  CHECK(scale_up_target(limits, 3, 1) == 1);
  // Available: one old pod may go.
  CHECK(scale_down_target(limits, 3, 1, 1) == 2);
  // The new one complete and available: the old one goes to zero at once.
  CHECK(scale_down_target(limits, 2, 3, 3) == 0);
  // The old one gone: the new one grows straight to the desired size.
  CHECK(scale_up_target(limits, 0, 1) == 3);
}

TEST_CASE("scaling to zero keeps nothing available", "[rollout]") {
  auto limits = limits_for(resolve_fenceposts({1, false}, {0, false}, 0), 0, 4);
  CHECK(limits.min_available == 0);
  CHECK(limits.max_unavailable == 4);
  CHECK(scale_up_target(limits, 4, 0) == 0);
  CHECK(scale_down_target(limits, 4, 0, 0) == 0);
}

TEST_CASE("max surge and max unavailable take integers and percentages", "[rollout]") {
  CHECK(parse_int_or_percent("3", "--max-surge") == IntOrPercent{3, false});
  CHECK(parse_int_or_percent("25%", "--max-surge") == IntOrPercent{25, true});
  CHECK(parse_int_or_percent("0", "--max-surge") == IntOrPercent{0, false});
  for (const char* bad : {"", "%", "-1", "1.5", "abc", "25%%", "3 ", "99999999999"}) {
    auto r = parse_int_or_percent(bad, "--max-unavailable");
    INFO(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == 400);
    CHECK(r.error().message.find("--max-unavailable must be a non-negative integer or a "
                                 "percentage") == 0);
  }
  CHECK(IntOrPercent{25, true}.to_string() == "25%");
}
