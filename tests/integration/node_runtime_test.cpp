// A cluster's node runs its pods through the container runtime its NodeOptions name.
#include <catch2/catch.hpp>

#include <atomic>
#include <iostream>

#include "actors/client/blocking_client.hpp"
#include "actors/kubelet/container_runtime_wrapper.hpp"
#include "actors/kubelet/sim_runtime.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"

using namespace kactor;

namespace {

/// Counts the containers started through it.
class CountingRuntime final : public kubelet::ContainerRuntimeWrapper {
 public:
  CountingRuntime(std::unique_ptr<kubelet::ContainerRuntime> target, std::atomic<int>& starts)
      : ContainerRuntimeWrapper(std::move(target)), starts_(starts) {}
  api::Result<std::string> start_container(const kubelet::ContainerConfig& config) override {
    ++starts_;
    return ContainerRuntimeWrapper::start_container(config);
  }

 private:
  std::atomic<int>& starts_;
};

}  // namespace

TEST_CASE("a node runs its pods through the runtime its NodeOptions give", "[cluster]") {
  std::atomic<int> starts{0};
  ClusterOptions opts;
  opts.seed = 11;
  std::cerr << "cluster seed: " << opts.seed << "\n";
  NodeOptions node;
  node.name = "node-0";
  node.runtime = [&](Clock& clock,
                     kubelet::RuntimeEventSink sink) -> std::unique_ptr<kubelet::ContainerRuntime> {
    return std::make_unique<CountingRuntime>(kubelet::sim_runtime_factory()(clock, std::move(sink)),
                                             starts);
  };
  opts.node_list = {node};
  auto cluster = Cluster::start(opts);
  REQUIRE(cluster.has_value());
  auto& c = **cluster;
  REQUIRE(c.wait_nodes_ready(1));
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = "web";
  pod.spec.containers.push_back(api::Container{.name = "app", .image = "nginx:1.25"});
  REQUIRE(c.client().create(pod).has_value());
  REQUIRE(c.wait_for(api::Pod::static_type(), [](const std::vector<api::ObjectPtr>& pods) {
    return pods.size() == 1 && api::as<api::Pod>(pods[0])->status.phase == "Running";
  }));
  CHECK(starts == 1);
}
