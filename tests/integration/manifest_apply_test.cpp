// Cluster::apply decodes every document before applying any, and says what it applied when
// the API server refuses one.
#include <catch2/catch.hpp>

#include "actors/client/blocking_client.hpp"
#include "api/types/all.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

std::string config_map(const std::string& name, const std::string& extra = "") {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n" + extra;
}

}  // namespace

TEST_CASE("a manifest with an invalid document applies nothing", "[integration][manifest]") {
  auto options = seeded_options();
  options.nodes = 0;
  auto cluster = Cluster::start(options);
  REQUIRE(cluster.has_value());
  auto applied =
      (*cluster)->apply(config_map("first") + "---\n" + config_map("second", "dta:\n  k: v\n"));
  REQUIRE_FALSE(applied.has_value());
  CHECK(applied.error().message.starts_with("manifest document 2 (ConfigMap second): "));
  CHECK(applied.error().message.find("unknown field \"dta\"") != std::string::npos);
  CHECK_FALSE((*cluster)->client().get<api::ConfigMap>("default", "first").has_value());
  (*cluster)->shutdown();
}

TEST_CASE("a document the API server refuses is named with what was applied before it",
          "[integration][manifest]") {
  auto options = seeded_options();
  options.nodes = 0;
  auto cluster = Cluster::start(options);
  REQUIRE(cluster.has_value());
  // The second is valid to decode but not to the API server (a name with capitals).
  auto applied = (*cluster)->apply(config_map("first") + "---\n" + config_map("Second") + "---\n" +
                                   config_map("third"));
  REQUIRE_FALSE(applied.has_value());
  CHECK(applied.error().code == 422);
  CHECK(applied.error().message.starts_with("manifest document 2 (ConfigMap Second): "));
  CHECK(applied.error().message.ends_with("; applied before it: ConfigMap default/first"));
  CHECK((*cluster)->client().get<api::ConfigMap>("default", "first").has_value());
  CHECK_FALSE((*cluster)->client().get<api::ConfigMap>("default", "third").has_value());
  (*cluster)->shutdown();
}
