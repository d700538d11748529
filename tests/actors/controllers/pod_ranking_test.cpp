#include "actors/controllers/pod_ranking.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("surplus pods are ranked as upstream", "[controllers][replication][ranking]") {
  using actors::controllers::PodPtr;
  auto pod = [](std::string name, std::string node, std::string phase, bool ready,
                int sec_created) {
    auto p = std::make_shared<api::Pod>(make_pod("default", name));
    p->spec.node_name = node;
    p->status.phase = phase;
    api::PodCondition c;
    c.type = "Ready";
    c.status = ready ? "True" : "False";
    p->status.conditions.push_back(c);
    p->metadata.creation_timestamp.value = test_epoch() + std::chrono::seconds(sec_created);
    return PodPtr(p);
  };
  auto costly = std::make_shared<api::Pod>(*pod("costly", "n1", "Running", true, 0));
  costly->metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] = "100";
  std::vector<PodPtr> pods{
      pod("ready-old", "n2", "Running", true, 0),
      pod("ready-new", "n2", "Running", true, 5),
      PodPtr(costly),
      pod("pending", "n1", "Pending", false, 0),
      pod("unassigned", "", "Pending", false, 0),
      pod("not-ready", "n1", "Running", false, 0),
      pod("crowded", "n3", "Running", true, 0),
      pod("crowded2", "n3", "Running", true, 0),
      pod("crowded3", "n3", "Running", true, 0),
  };
  auto ranked = actors::controllers::rank_for_deletion(pods, pods);
  std::vector<std::string> names;
  for (auto& p : ranked) names.push_back(p->metadata.name);
  std::vector<std::string> want{"unassigned", "pending",   "not-ready", "crowded", "crowded2",
                                "crowded3",   "ready-new", "ready-old", "costly"};
  CHECK(names == want);
}
