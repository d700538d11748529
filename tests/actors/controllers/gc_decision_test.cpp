// The garbage collector's rules alone (upstream's attemptToDeleteItem), and the patches it
// sends.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "actors/controllers/gc_decision.hpp"
#include "api/patch/patch.hpp"
#include "api/types/all.hpp"

using namespace kactor;
namespace gc = kactor::actors::controllers::gc;
using Action = gc::Decision::Action;

namespace {

gc::ClassifiedOwner owner(const std::string& uid, gc::OwnerState state) {
  gc::ClassifiedOwner o;
  o.ref.api_version = "v1";
  o.ref.kind = "ConfigMap";
  o.ref.name = "owner-" + uid;
  o.ref.uid = uid;
  o.state = state;
  return o;
}

api::ConfigMap dependent(std::vector<std::string> finalizers = {}) {
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "dep";
  cm.metadata.finalizers = std::move(finalizers);
  return cm;
}

nlohmann::json as_json(const api::Object& o) {
  nlohmann::json j;
  o.type().to_json(o, j);
  return j;
}

}  // namespace

TEST_CASE("gc: a solid owner keeps the dependent, and references to gone owners are dropped",
          "[controllers][gc]") {
  auto cm = dependent();
  auto d = gc::decide(cm, {owner("a", gc::OwnerState::solid)}, false, false);
  CHECK(d.action == Action::keep);
  d = gc::decide(cm,
                 {owner("a", gc::OwnerState::solid), owner("b", gc::OwnerState::dangling),
                  owner("c", gc::OwnerState::waiting_for_dependents)},
                 false, false);
  CHECK(d.action == Action::drop_references);
  CHECK(d.owner_uids == std::vector<std::string>{"b", "c"});
}

TEST_CASE("gc: without a solid owner the dependent is deleted, with the right propagation",
          "[controllers][gc]") {
  auto d = gc::decide(dependent(), {owner("b", gc::OwnerState::dangling)}, false, false);
  CHECK(d.action == Action::remove);
  CHECK(d.propagation == "Background");
  // Its own finalizers say how its dependents go.
  d = gc::decide(dependent({"orphan"}), {owner("b", gc::OwnerState::dangling)}, true, false);
  CHECK(d.propagation == "Orphan");
  // A waiting owner and dependents of its own: foreground, so the wait covers the tree.
  d = gc::decide(dependent(), {owner("c", gc::OwnerState::waiting_for_dependents)}, true, false);
  CHECK(d.propagation == "Foreground");
  CHECK(d.unblock_owner_uids.empty());
  d = gc::decide(dependent(), {owner("c", gc::OwnerState::waiting_for_dependents)}, true, true);
  CHECK(d.unblock_owner_uids == std::vector<std::string>{"c"});
  // No dependents: plain background.
  d = gc::decide(dependent(), {owner("c", gc::OwnerState::waiting_for_dependents)}, false, false);
  CHECK(d.propagation == "Background");
}

TEST_CASE("gc: patches test the current value and change only what they must",
          "[controllers][gc]") {
  auto cm = dependent({"orphan", "example.com/keep"});
  cm.metadata.owner_references = {owner("a", gc::OwnerState::solid).ref,
                                  owner("b", gc::OwnerState::solid).ref};
  auto doc = as_json(cm);

  auto dropped = api::patch::apply_json_patch(doc, nlohmann::json::parse(gc::drop_references_patch(cm, {"a"})));
  REQUIRE(dropped.has_value());
  REQUIRE((*dropped)["metadata"]["ownerReferences"].size() == 1);
  CHECK((*dropped)["metadata"]["ownerReferences"][0]["uid"] == "b");

  auto unblocked = api::patch::apply_json_patch(
      doc, nlohmann::json::parse(gc::unblock_references_patch(cm, {"b"})));
  REQUIRE(unblocked.has_value());
  CHECK((*unblocked)["metadata"]["ownerReferences"][1]["blockOwnerDeletion"] == false);
  CHECK_FALSE((*unblocked)["metadata"]["ownerReferences"][0].contains("blockOwnerDeletion"));

  auto unfinalized = api::patch::apply_json_patch(
      doc, nlohmann::json::parse(gc::remove_finalizer_patch(cm, "orphan")));
  REQUIRE(unfinalized.has_value());
  CHECK((*unfinalized)["metadata"]["finalizers"] == nlohmann::json::array({"example.com/keep"}));

  // A concurrent change of the list fails the patch instead of being overwritten.
  auto changed = cm;
  changed.metadata.owner_references.pop_back();
  CHECK_FALSE(api::patch::apply_json_patch(as_json(changed),
                                           nlohmann::json::parse(gc::drop_references_patch(cm, {"a"})))
                  .has_value());
}

TEST_CASE("gc: a cluster-scoped dependent cannot have a namespaced owner", "[controllers][gc]") {
  api::Namespace ns;
  ns.metadata.name = "n";
  auto ref = owner("u1", gc::OwnerState::solid).ref;
  CHECK(gc::invalid_namespace_message(ns, ref, true) ==
        "ownerRef [v1/ConfigMap, namespace: , name: owner-u1, uid: u1] does not exist in "
        "namespace \"\"");
  CHECK(gc::invalid_namespace_message(ns, ref, false).empty());
  CHECK(gc::invalid_namespace_message(dependent(), ref, true).empty());
}
