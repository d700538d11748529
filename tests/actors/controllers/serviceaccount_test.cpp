#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("a default ServiceAccount appears in every namespace, and comes back",
          "[controllers][serviceaccount]") {
  ControllerFixture f({"serviceaccount"});
  f.start();
  REQUIRE(f.client->create(make_namespace("team-a")).has_value());
  auto has_default = [&](const std::string& ns) {
    return f.client->get<api::ServiceAccount>(ns, "default").has_value();
  };
  REQUIRE(f.wait_until([&] { return has_default("team-a") && has_default("default"); }));
  REQUIRE(f.client->remove(api::ServiceAccount::static_type(), "team-a", "default").has_value());
  REQUIRE(f.wait_until([&] { return has_default("team-a"); }));
}
