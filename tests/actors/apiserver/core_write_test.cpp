// Core's create path (actors/apiserver/core_write.cpp), driven directly with an injected
// admission chain: what the API server reports is computed after admission.
#include <catch2/catch.hpp>

#include "actors/apiserver/core.hpp"
#include "api/testing/builders.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/all.hpp"
#include "store/store.hpp"

using namespace kactor;

namespace {

/// Fills missing cpu/memory requests and limits of every container, as a LimitRanger with
/// defaults would.
class DefaultResources final : public apiserver::AdmissionPlugin {
 public:
  std::string_view name() const override { return "DefaultResources"; }
  std::optional<api::Status> admit(apiserver::AdmissionRequest& req,
                                   const apiserver::ClusterView&) override {
    auto* pod = req.object ? api::as<api::Pod>(*req.object) : nullptr;
    if (!pod || req.operation != apiserver::Operation::create) return std::nullopt;
    for (auto& c : pod->spec.containers) {
      for (const char* resource : {"cpu", "memory"}) {
        const auto quantity = api::testing::qty(resource == std::string("cpu") ? "500m" : "256Mi");
        c.resources.limits.try_emplace(resource, quantity);
        c.resources.requests.try_emplace(resource, quantity);
      }
    }
    return std::nullopt;
  }
};

std::unique_ptr<store::Store> memory_store(const std::string& name) {
  auto store = store::Store::open({name, store::Durability::memory});
  if (!store) FAIL("opening the store: " << store.error().message);
  return std::move(*store);
}

apiserver::Request create_request(const api::Pod& pod) {
  apiserver::Request req;
  req.verb = apiserver::Verb::create;
  req.resource = "pods";
  req.namespace_ = pod.metadata.namespace_;
  req.object = std::make_shared<api::Pod>(pod);
  return req;
}

}  // namespace

TEST_CASE("the QoS class reflects the requests and limits admission defaulted",
          "[apiserver][admission]") {
  auto store = memory_store("core-write-qos");
  VirtualClock clock(TimePoint{});
  std::vector<std::unique_ptr<apiserver::AdmissionPlugin>> plugins;
  plugins.push_back(std::make_unique<DefaultResources>());
  apiserver::Core core(*store, clock, Random(1), apiserver::AdmissionChain(std::move(plugins)));

  // Without admission this pod would be BestEffort (no requests or limits at all).
  auto response = core.handle(create_request(api::testing::make_pod("default", "web")));
  REQUIRE_FALSE(response.error.has_value());
  const auto& pod = static_cast<const api::Pod&>(*response.object);
  CHECK(pod.spec.containers[0].resources.limits.at("cpu") == api::testing::qty("500m"));
  CHECK(pod.status.qos_class == "Guaranteed");

  // One that sets a cpu request of its own keeps it: limits differ, so Burstable.
  auto burstable = api::testing::make_pod_requesting("default", "batch", "100m", nullptr);
  auto second = core.handle(create_request(burstable));
  REQUIRE_FALSE(second.error.has_value());
  CHECK(static_cast<const api::Pod&>(*second.object).status.qos_class == "Burstable");
}

TEST_CASE("a create whose request names another object than its body is refused",
          "[apiserver]") {
  auto store = memory_store("core-write-name");
  VirtualClock clock(TimePoint{});
  apiserver::Core core(*store, clock, Random(1),
                       apiserver::AdmissionChain(std::vector<std::unique_ptr<apiserver::AdmissionPlugin>>{}));
  auto req = create_request(api::testing::make_pod("default", "b"));
  req.name = "a";  // e.g. a node passing the gate under its own name with another's object
  auto response = core.handle(req);
  REQUIRE(response.error);
  CHECK(response.error->code == 400);
  CHECK(response.error->message ==
        "the name of the object (b) does not match the name on the URL (a)");
  req.name = "b";
  CHECK_FALSE(core.handle(req).error);
}
