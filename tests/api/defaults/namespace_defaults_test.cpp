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

TEST_CASE("a namespace is labelled with its own name, and the label cannot be changed",
          "[defaults]") {
  // Upstream's namespace defaulting and strategy set kubernetes.io/metadata.name=<name> on
  // create and on every update, so selectors can pick namespaces by name.
  auto created = load(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a",
    "labels":{"owner":"a"}}})");
  created->type().set_defaults(*created);
  CHECK(created->metadata.labels == std::map<std::string, std::string>{
                                        {"kubernetes.io/metadata.name", "team-a"}, {"owner", "a"}});

  auto forged = load(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a",
    "labels":{"kubernetes.io/metadata.name":"team-b"}}})");
  forged->type().set_defaults(*forged);
  CHECK(forged->metadata.labels.at("kubernetes.io/metadata.name") == "team-a");

  Namespace unnamed;  // generateName: the name is not known yet, so neither is the label
  set_defaults(unnamed);
  CHECK(unnamed.metadata.labels.empty());
}
