// The served cluster of tests/support and an HTTP client for it.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/served_cluster.hpp"
#include "support/http_client.hpp"

namespace kactor::http::testing {

using kactor::testing::ServedCluster;

inline HttpClient client_of(const ServedCluster& c) {
  ClientOptions o;
  o.port = c.port;
  return HttpClient(o);
}

inline nlohmann::json json_of(const ClientResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  INFO(r.body);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

}  // namespace kactor::http::testing
