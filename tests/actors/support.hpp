// Shared fixture for actor tests: an actor system, a virtual clock and an API
// server over an in-memory store, with a blocking client.
#pragma once

#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include "actors/apiserver/messages.hpp"
#include "actors/client/blocking_client.hpp"
#include "api/types/all.hpp"
#include "api/virtual_clock.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/control_plane.hpp"

namespace kactor::testing {

inline TimePoint test_epoch() {
  return TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 1 / 1).time_since_epoch());
}

struct ApiFixture {
  explicit ApiFixture(apiserver::ApiServerOptions options = {}, std::string data_dir = "")
      : clock(test_epoch()) {
    runtime::ControlPlaneOptions o;
    o.clock = &clock;
    o.apiserver = options;
    o.data_dir = std::move(data_dir);
    auto started = runtime::ControlPlane::start(system.get(), o);
    REQUIRE(started.has_value());
    plane = std::move(*started);
    client = std::make_unique<client::BlockingClient>(system.get(), plane->apiserver());
  }

  runtime::ActorSystem system{2};
  VirtualClock clock;
  std::unique_ptr<runtime::ControlPlane> plane;
  std::unique_ptr<client::BlockingClient> client;
};

inline api::Pod make_pod(const std::string& ns, const std::string& name,
                         std::map<std::string, std::string> labels = {}) {
  api::Pod p;
  p.metadata.namespace_ = ns;
  p.metadata.name = name;
  p.metadata.labels = std::move(labels);
  api::Container c;
  c.name = "app";
  c.image = "nginx:1.25";
  p.spec.containers.push_back(c);
  return p;
}

inline api::Namespace make_namespace(const std::string& name) {
  api::Namespace n;
  n.metadata.name = name;
  return n;
}

}  // namespace kactor::testing
