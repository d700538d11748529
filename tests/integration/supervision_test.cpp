// Supervision in a whole cluster: a component that dies is restarted by its supervisor, and
// the handle the cluster holds reaches the new incarnation.
#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include "actors/client/blocking_client.hpp"
#include "actors/common/messages.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

TEST_CASE("a kubelet that dies is restarted and runs the pods scheduled after",
          "[cluster][supervisor]") {
  auto opts = seeded_options();
  opts.nodes = 1;
  opts.supervision.initial_backoff = 10ms;  // the cluster runs on a real clock
  auto cluster = Cluster::start(opts);
  REQUIRE(cluster.has_value());
  REQUIRE((*cluster)->wait_nodes_ready(1, kWait));
  const auto node = (*cluster)->node_names().at(0);
  caf::scoped_actor self{(*cluster)->system()};
  auto incarnation = [&] {
    caf::actor out;
    self->request((*cluster)->kubelet(node), 10s, actors::supervisor_child_atom::value)
        .receive([&](caf::actor& a) { out = a; }, [&](caf::error&) {});
    return out;
  };
  auto first = incarnation();
  REQUIRE(first);
  self->monitor(first);
  self->send_exit(first, caf::exit_reason::kill);
  bool died = false;
  self->receive([&](caf::down_msg&) { died = true; }, caf::after(10s) >> [] {});
  REQUIRE(died);

  // A new incarnation comes after the back-off (bounded wait).
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  caf::actor second;
  while (std::chrono::steady_clock::now() < deadline) {
    second = incarnation();
    if (second && second != first) break;
  }
  REQUIRE(second);
  CHECK(second != first);

  // It runs a pod scheduled to its node after the restart.
  REQUIRE(
      (*cluster)->client().create(api::testing::make_pod("default", "after-restart")).has_value());
  CHECK((*cluster)->wait_for(
      api::Pod::static_type(),
      [](const std::vector<api::ObjectPtr>& pods) {
        for (auto& o : pods) {
          auto p = api::as<api::Pod>(o);
          if (p && p->metadata.name == "after-restart" && p->status.phase == "Running") return true;
        }
        return false;
      },
      kWait));
  (*cluster)->shutdown();
}
