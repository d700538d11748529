// Toleration matching and the taint manager's toleration time (upstream ToleratesTaint and
// getMinTolerationTime), table-driven.
#include <catch2/catch.hpp>

#include "api/types/taint_util.hpp"

using namespace kactor;
using namespace std::chrono_literals;

namespace {

api::Taint taint(std::string key, std::string value, std::string effect) {
  return api::Taint{.key = std::move(key), .value = std::move(value), .effect = std::move(effect)};
}

api::Toleration toleration(std::string key, std::string op, std::string value, std::string effect,
                           std::optional<int64_t> seconds = std::nullopt) {
  return api::Toleration{.key = std::move(key),
                         .operator_ = std::move(op),
                         .value = std::move(value),
                         .effect = std::move(effect),
                         .toleration_seconds = seconds};
}

}  // namespace

TEST_CASE("a toleration tolerates a taint by key, value, operator and effect", "[taints]") {
  auto t = taint("k", "v", "NoExecute");
  struct Row {
    api::Toleration toleration;
    bool tolerates;
  };
  std::vector<Row> rows{
      {toleration("k", "Equal", "v", "NoExecute"), true},
      {toleration("k", "", "v", "NoExecute"), true},  // Equal is the default
      {toleration("k", "Equal", "w", "NoExecute"), false},
      {toleration("k", "Exists", "", "NoExecute"), true},
      {toleration("k", "Exists", "", ""), true},  // every effect
      {toleration("k", "Exists", "", "NoSchedule"), false},
      {toleration("", "Exists", "", ""), true},  // everything
      {toleration("", "Equal", "v", "NoExecute"), false},
      {toleration("other", "Exists", "", ""), false},
      {toleration("k", "Gt", "v", ""), false},
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    CHECK(api::tolerates(rows[i].toleration, t) == rows[i].tolerates);
  }
}

TEST_CASE("toleration time: none, for ever, the shortest, or not at all", "[taints]") {
  auto unreachable = taint(api::kTaintNodeUnreachable, "", "NoExecute");
  auto not_ready = taint(api::kTaintNodeNotReady, "", "NoExecute");
  auto for_300 = toleration(api::kTaintNodeUnreachable, "Exists", "", "NoExecute", 300);
  auto for_60 = toleration("", "Exists", "", "NoExecute", 60);
  auto for_ever = toleration(api::kTaintNodeUnreachable, "Exists", "", "NoExecute");
  auto zero = toleration(api::kTaintNodeUnreachable, "Exists", "", "NoExecute", 0);

  // No taint: nothing to wait for.
  CHECK_FALSE(api::toleration_time({for_300}, {}).has_value());
  // An untolerated taint: at once.
  CHECK(api::toleration_time({}, {unreachable}) == Duration::zero());
  CHECK(api::toleration_time({for_300}, {unreachable, not_ready}) == Duration::zero());
  // Tolerated for a while: the shortest of the matching tolerations.
  CHECK(api::toleration_time({for_300}, {unreachable}) == Duration(300s));
  CHECK(api::toleration_time({for_300, for_60}, {unreachable}) == Duration(60s));
  // Tolerated without a limit: for ever, unless another matching toleration has one.
  CHECK_FALSE(api::toleration_time({for_ever}, {unreachable}).has_value());
  CHECK(api::toleration_time({for_ever, for_300}, {unreachable}) == Duration(300s));
  // Zero or negative seconds: at once.
  CHECK(api::toleration_time({zero}, {unreachable}) == Duration::zero());
}
