// Priority admission (actors/apiserver/admission/priority.cpp): one PriorityClass at most is
// the global default.
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

api::PriorityClass priority_class(const std::string& name, int32_t value, bool global_default) {
  api::PriorityClass pc;
  pc.metadata.name = name;
  pc.value = value;
  pc.global_default = global_default;
  return pc;
}

}  // namespace

TEST_CASE("a second globalDefault PriorityClass is refused, on create and on update",
          "[apiserver][admission]") {
  ApiFixture f;
  const auto& type = api::PriorityClass::static_type();
  REQUIRE(f.client->create(priority_class("high", 1000, true)).has_value());

  auto second = f.client->create(priority_class("low", 10, true));
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().code == 403);
  CHECK(second.error().reason == "Forbidden");
  CHECK(second.error().message ==
        "priorityclasses.scheduling.k8s.io \"low\" is forbidden: PriorityClass high is already "
        "marked as default. Only one default can exist");
  CHECK_FALSE(f.client->get(type, "", "low").has_value());

  // Marking another existing class default is refused the same way.
  auto plain = f.client->create(priority_class("medium", 100, false));
  REQUIRE(plain.has_value());
  auto marked = *api::as<api::PriorityClass>(**plain);
  marked.global_default = true;
  auto refused = f.client->update(marked);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().message ==
        "priorityclasses.scheduling.k8s.io \"medium\" is forbidden: PriorityClass high is "
        "already marked as default. Only one default can exist");

  // The default itself may still be updated, and once it is gone another may take its place.
  auto high = f.client->get(type, "", "high");
  REQUIRE(high.has_value());
  auto described = *api::as<api::PriorityClass>(**high);
  described.description = "the default";
  CHECK(f.client->update(described).has_value());
  REQUIRE(f.client->remove(type, "", "high").has_value());
  CHECK(f.client->update(marked).has_value());
}
