// ImageLocality against upstream's table
// (pkg/scheduler/framework/plugins/imagelocality/image_locality_test.go).
#include <catch2/catch.hpp>

#include "actors/scheduler/node_cache.hpp"
#include "actors/scheduler/plugins/image_locality.hpp"
#include "tests/actors/scheduler/score_table.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::scheduler::plugins;
using namespace kactor::testing;

namespace {

constexpr int64_t kMb = 1024 * 1024;

api::Node image_node(const std::string& name, std::vector<api::ContainerImage> images) {
  api::Node n;
  n.metadata.name = name;
  n.status.images = std::move(images);
  return n;
}

api::Pod image_pod(std::vector<std::string> images, std::vector<std::string> init = {}) {
  auto p = api::testing::make_pod("default", "p");
  p.spec.containers.clear();
  for (auto& i : images) p.spec.containers.push_back(api::Container{.name = i, .image = i});
  for (auto& i : init) p.spec.init_containers.push_back(api::Container{.name = i, .image = i});
  return p;
}

/// The scores through a NodeCache, as the scheduler counts image spread.
std::vector<int64_t> scores(const api::Pod& pod, const std::vector<api::Node>& nodes) {
  NodeCache cache;
  for (auto& n : nodes) cache.upsert_node(std::make_shared<const api::Node>(n));
  auto snapshot = cache.snapshot();
  CycleState state;
  state.pod = compute_pod_resources(pod);
  state.snapshot = snapshot.get();
  auto plugin = make_image_locality();
  dynamic_cast<PreScorePlugin*>(plugin.get())->pre_score(state, pod, {});
  auto* score = dynamic_cast<ScorePlugin*>(plugin.get());
  std::vector<int64_t> out;
  for (auto& n : nodes) out.push_back(score->score(state, pod, *snapshot->get(n.metadata.name)));
  return out;
}

}  // namespace

TEST_CASE("ImageLocality scores as upstream's TestImageLocalityPriority", "[scheduler][plugins]") {
  auto node403002000 = [](const std::string& name) {
    return image_node(name, {{{"gcr.io/40:latest", "gcr.io/40:v1", "gcr.io/40:v1"}, 40 * kMb},
                             {{"gcr.io/300:latest", "gcr.io/300:v1"}, 300 * kMb},
                             {{"gcr.io/2000:latest"}, 2000 * kMb}});
  };
  auto node25010 = [](const std::string& name) {
    return image_node(name, {{{"gcr.io/250:latest"}, 250 * kMb}, {{"gcr.io/10:latest", "gcr.io/10:v1"}, 10 * kMb}});
  };
  auto node60040900 = [](const std::string& name) {
    return image_node(name, {{{"gcr.io/600:latest"}, 600 * kMb}, {{"gcr.io/40:latest"}, 40 * kMb},
                             {{"gcr.io/900:latest"}, 900 * kMb}});
  };
  auto node300600900 = [](const std::string& name) {
    return image_node(name, {{{"gcr.io/300:latest"}, 300 * kMb}, {{"gcr.io/600:latest"}, 600 * kMb},
                             {{"gcr.io/900:latest"}, 900 * kMb}});
  };
  auto node400030 = [](const std::string& name) {
    return image_node(name, {{{"gcr.io/4000:latest"}, 4000 * kMb}, {{"gcr.io/30:latest"}, 30 * kMb}});
  };
  auto node203040 = [](const std::string& name) {
    return image_node(name, {{{"gcr.io/20:latest"}, 20 * kMb}, {{"gcr.io/30:latest"}, 30 * kMb},
                             {{"gcr.io/40:latest"}, 40 * kMb}});
  };
  auto empty = [](const std::string& name) { return image_node(name, {}); };

  struct Case {
    const char* upstream_name;
    api::Pod pod;
    std::vector<api::Node> nodes;
    std::vector<int64_t> want;
  };
  std::vector<Case> cases = {
      {"two images spread on two nodes, prefer the larger image one", image_pod({"gcr.io/40", "gcr.io/250"}),
       {node403002000("node1"), node25010("node2")}, {0, 5}},
      {"two images on one node, prefer this node", image_pod({"gcr.io/40", "gcr.io/300"}),
       {node403002000("node1"), node25010("node2")}, {7, 0}},
      {"if exceed limit, use limit", image_pod({"gcr.io/10", "gcr.io/4000"}),
       {node400030("node1"), node25010("node2")}, {100, 0}},
      {"if exceed limit, use limit (with node which has no images present)",
       image_pod({"gcr.io/10", "gcr.io/4000"}), {node400030("node1"), node25010("node2"), empty("node3")},
       {66, 0, 0}},
      {"pod with multiple large images, node2 is preferred", image_pod({"gcr.io/300", "gcr.io/600", "gcr.io/900"}),
       {node60040900("node1"), node300600900("node2"), empty("node3")}, {32, 36, 0}},
      {"pod with multiple small images", image_pod({"gcr.io/30", "gcr.io/40"}),
       {node203040("node1"), node400030("node2")}, {1, 0}},
      {"include InitContainers: two images spread on two nodes, prefer the larger image one",
       image_pod({"gcr.io/30"}, {"gcr.io/300"}), {node403002000("node1"), node203040("node2")}, {6, 0}},
  };
  for (auto& c : cases) {
    INFO(c.upstream_name);
    CHECK(scores(c.pod, c.nodes) == c.want);
  }
}

TEST_CASE("ImageLocality normalizes image names as upstream's TestNormalizedImageName",
          "[scheduler][plugins]") {
  CHECK(normalized_image_name("root") == "root:latest");
  CHECK(normalized_image_name("gcr.io:5000/root") == "gcr.io:5000/root:latest");
  CHECK(normalized_image_name("root:tag") == "root:tag");
  const std::string digest = "root@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  CHECK(normalized_image_name(digest) == digest);
}

TEST_CASE("the node cache counts nodes per image as nodes come, change and go", "[scheduler]") {
  NodeCache cache;
  cache.upsert_node(std::make_shared<const api::Node>(image_node("a", {{{"x:1"}, kMb}})));
  cache.upsert_node(std::make_shared<const api::Node>(image_node("b", {{{"x:1", "x:latest"}, kMb}})));
  CHECK(cache.snapshot()->nodes_with_image("x:1") == 2);
  CHECK(cache.snapshot()->nodes_with_image("x:latest") == 1);
  cache.upsert_node(std::make_shared<const api::Node>(image_node("b", {{{"y:1"}, kMb}})));
  CHECK(cache.snapshot()->nodes_with_image("x:1") == 1);
  CHECK(cache.snapshot()->nodes_with_image("y:1") == 1);
  cache.remove_node("a");
  CHECK(cache.snapshot()->nodes_with_image("x:1") == 0);
}
