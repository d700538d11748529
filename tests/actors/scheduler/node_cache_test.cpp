// The scheduler's NodeCache holds each pod once: a status update (which the scheduler does
// not look at) moves the held object on to the newest version instead of keeping the
// version it scheduled alive beside the informer's.
#include <catch2/catch.hpp>

#include "actors/scheduler/node_cache.hpp"
#include "api/testing/builders.hpp"

using namespace kactor;
using namespace kactor::scheduler;

TEST_CASE("a confirmed pod's status update replaces the object the cache holds, not its "
          "accounting",
          "[scheduler][cache]") {
  NodeCache cache;
  cache.upsert_node(std::make_shared<api::Node>(api::testing::make_node("n1")));
  auto scheduled = api::testing::make_pod("default", "p");
  scheduled.spec.node_name = "n1";
  auto assumed = std::make_shared<const api::Pod>(scheduled);
  cache.assume(assumed, "n1");
  const auto before = cache.snapshot();
  const auto info = cache.pod("default/p");
  REQUIRE(info);

  auto running = scheduled;
  running.metadata.resource_version = "7";
  running.status.phase = "Running";
  auto newest = std::make_shared<const api::Pod>(running);
  cache.upsert_pod(newest);

  CHECK_FALSE(cache.is_assumed("default/p"));
  CHECK(cache.pod("default/p") == info);  // the same PodInfo: nothing recomputed
  CHECK(info->pod == newest);             // ... now holding the newest object
  CHECK(assumed.use_count() == 1);        // the scheduled version is no longer kept
  CHECK(cache.snapshot()->get("n1")->pods.size() == 1);
  CHECK(before->get("n1")->pods.size() == 1);

  // A change the scheduler looks at (labels) still makes a new PodInfo.
  auto relabelled = running;
  relabelled.metadata.labels["tier"] = "web";
  cache.upsert_pod(std::make_shared<const api::Pod>(relabelled));
  CHECK(cache.pod("default/p") != info);
  CHECK(cache.pod("default/p")->pod->metadata.labels.at("tier") == "web");
  CHECK(cache.snapshot()->get("n1")->pods.size() == 1);
}
