// Shared fixture for the component tests: an actor system, a virtual clock and an API
// server over an in-memory store, with a blocking client.
#pragma once

#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include "actors/apiserver/messages.hpp"
#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/blocking_client.hpp"
#include "api/testing/builders.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/all.hpp"
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

using api::testing::make_config_map;
using api::testing::make_namespace;
using api::testing::make_node;
using api::testing::make_pod;
using api::testing::make_pod_requesting;
using api::testing::make_replication_controller;
using api::testing::qty;

}  // namespace kactor::testing
