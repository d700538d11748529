#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("the manager rejects unknown controllers and honours -name", "[controllers]") {
  ControllerFixture f({"*", "-nodeipam"});
  f.start();
  std::set<std::string> names;
  for (auto& [n, a] : f.manager.controllers) names.insert(n);
  CHECK(!names.contains("nodeipam"));
  CHECK(names.contains("endpoints"));
  f.options.controllers = {"nope"};
  CHECK(!actors::controllers::spawn_controller_manager(f.ctx, f.options).has_value());
}
