// Namespace defaulting (api/defaults/namespace_defaults.cpp).
#include "api/defaults/namespace_defaults.hpp"
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("namespace defaults as the API server fills them", "[defaults]") {
  auto ns = load(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}})");
  ns->type().set_defaults(*ns);
  CHECK(as<Namespace>(*ns)->status.phase == "Active");
  CHECK(as<Namespace>(*ns)->spec.finalizers == std::vector<std::string>{"kubernetes"});
  Namespace terminating;
  terminating.metadata.deletion_timestamp = Time{kactor::TimePoint(std::chrono::seconds(5))};
  terminating.status.phase = "Terminating";
  set_defaults(terminating);
  CHECK(terminating.spec.finalizers.empty());  // /finalize removed it: it stays removed
}

