// kubectl drain with the real kubectl against a budget: a Deployment of 3 replicas, all on
// node-0 (the other nodes cordoned while it starts), and a PodDisruptionBudget maxUnavailable 1.
// `kubectl drain node-0` may evict one pod at a time: the API server answers the others 429,
// kubectl retries every 5 s, and completes as the replacements become ready on the other
// nodes. Also `kubectl cordon` / `uncordon` and `kubectl get pdb`'s columns.
#include <catch2/catch.hpp>

#include <filesystem>

#include "actors/client/blocking_client.hpp"
#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;
namespace api = kactor::api;

namespace {

/// A Deployment of 3 replicas and a budget of maxUnavailable 1 over them (shared with the
/// integration test tests/integration/disruption_test.cpp).
const std::string kManifest =
    (std::filesystem::path(KACTOR_E2E_MANIFESTS_DIR) / "disruption" / "web.yaml").string();

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string ok(const Kubectl& k, const std::vector<std::string>& args, const std::string& input = "") {
  auto r = k.run(args, input);
  INFO("kubectl " << args[0] << " stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

/// The ready, not terminating pods of app=web, by node.
std::map<std::string, int> ready_web_pods_by_node(const std::vector<api::ObjectPtr>& objs) {
  std::map<std::string, int> out;
  for (const auto& o : objs)
    if (auto p = api::as<api::Pod>(o); p && p->metadata.labels.count("app") &&
                                       p->metadata.labels.at("app") == "web" &&
                                       !p->metadata.deletion_timestamp && api::is_ready(*p))
      ++out[p->spec.node_name];
  return out;
}

}  // namespace

TEST_CASE("kubectl: drain a node under a disruption budget, cordon, uncordon, get pdb", "[drain]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true, 3);
    Kubectl k(bin, c);
    INFO("kubectl " << k.minor());
    CHECK(ok(k, {"cordon", "node-1"}) == "node/node-1 cordoned\n");
    CHECK(ok(k, {"cordon", "node-2"}) == "node/node-2 cordoned\n");
    ok(k, {"apply", "-f", kManifest});
    REQUIRE(c.cluster->wait_for(api::Pod::static_type(), [](const auto& objs) {
      auto by_node = ready_web_pods_by_node(objs);
      return by_node.size() == 1 && by_node.count("node-0") && by_node.at("node-0") == 3;
    }, std::chrono::seconds(60)));
    CHECK(ok(k, {"uncordon", "node-1"}) == "node/node-1 uncordoned\n");
    CHECK(ok(k, {"uncordon", "node-2"}) == "node/node-2 uncordoned\n");
    REQUIRE(c.cluster->wait_for(api::PodDisruptionBudget::static_type(), [](const auto& objs) {
      for (const auto& o : objs)
        if (auto b = api::as<api::PodDisruptionBudget>(o))
          return b->status.current_healthy == 3 && b->status.disruptions_allowed == 1;
      return false;
    }));

    auto pdb = folded_lines(ok(k, {"get", "pdb"}));
    REQUIRE(pdb.size() >= 2);
    CHECK(pdb[0] == "NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE");
    CHECK(pdb[1].rfind("web N/A 1 1 ", 0) == 0);

    auto drain = k.run({"drain", "node-0", "--ignore-daemonsets", "--delete-emptydir-data",
                        "--timeout=50s"});
    INFO("drain stdout: " << drain.out << "\nstderr: " << drain.err);
    REQUIRE(drain.exit_code == 0);
    CHECK(contains(drain.out, "node/node-0 cordoned"));
    // kubectl 1.20 closes with "node/<n> evicted", newer ones with "node/<n> drained".
    CHECK(contains(drain.out, k.minor() <= 20 ? "node/node-0 evicted" : "node/node-0 drained"));
    // Only one pod could go at first: the others were refused and retried.
    CHECK(contains(drain.err, "Cannot evict pod as it would violate the pod's disruption budget."));
    CHECK(contains(drain.out, " evicted"));

    // The three replicas run on the other nodes; node-0 stays unschedulable.
    REQUIRE(c.cluster->wait_for(api::Pod::static_type(), [](const auto& objs) {
      auto by_node = ready_web_pods_by_node(objs);
      int total = 0;
      for (const auto& [node, n] : by_node) total += n;
      return total == 3 && !by_node.count("node-0");
    }, std::chrono::seconds(60)));
    auto node = c.cluster->client().get<api::Node>("", "node-0");
    REQUIRE(node);
    CHECK((*node)->spec.unschedulable);
    CHECK(ok(k, {"uncordon", "node-0"}) == "node/node-0 uncordoned\n");
  }
}
