// The template hash, the new ReplicaSet's shape and the revision bookkeeping.
#include "actors/controllers/deployment_revision.hpp"
#include "tests/actors/controllers/deployment_support.hpp"

using namespace kactor;
using namespace kactor::testing;
namespace dep = kactor::actors::controllers::deployment;

TEST_CASE("the pod template hash is stable, safe-encoded and moved by the collision count",
          "[controllers][deployment]") {
  auto d = make_deployment(3, api::IntOrString::from_string("25%"),
                           api::IntOrString::from_string("25%"));
  auto h = dep::pod_template_hash(d.spec.template_, std::nullopt);
  CHECK(h == dep::pod_template_hash(d.spec.template_, std::nullopt));
  CHECK_FALSE(h.empty());
  CHECK(h.find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
  CHECK(h != dep::pod_template_hash(d.spec.template_, 1));
  CHECK(dep::pod_template_hash(d.spec.template_, 1) != dep::pod_template_hash(d.spec.template_, 2));
  auto other = d.spec.template_;
  other.spec.containers[0].image = "nginx:1.16.1";
  CHECK(h != dep::pod_template_hash(other, std::nullopt));
}

TEST_CASE("a Deployment's new ReplicaSet carries the hash in name, labels and selector",
          "[controllers][deployment]") {
  auto d = make_deployment(3, api::IntOrString::from_int(1), api::IntOrString::from_int(0));
  auto rs = dep::new_replica_set_for(d);
  auto hash = dep::pod_template_hash(d.spec.template_, std::nullopt);
  CHECK(rs.metadata.name == "web-" + hash);
  CHECK(rs.metadata.labels.at(dep::kPodTemplateHashLabel) == hash);
  CHECK(rs.spec.template_.metadata.labels.at(dep::kPodTemplateHashLabel) == hash);
  CHECK(rs.spec.selector->match_labels.at(dep::kPodTemplateHashLabel) == hash);
  CHECK(rs.spec.selector->match_labels.at("app") == "web");
  REQUIRE(rs.metadata.owner_references.size() == 1);
  auto& ref = rs.metadata.owner_references[0];
  CHECK(ref.kind == "Deployment");
  CHECK(ref.api_version == "apps/v1");
  CHECK(ref.uid == "d-uid");
  CHECK(ref.controller == std::optional<bool>(true));
  CHECK(ref.block_owner_deletion == std::optional<bool>(true));
  // Its template differs from the Deployment's by the hash label only.
  CHECK(dep::equal_ignore_hash(rs.spec.template_, d.spec.template_));
  auto changed = d.spec.template_;
  changed.metadata.labels["tier"] = "front";
  CHECK_FALSE(dep::equal_ignore_hash(rs.spec.template_, changed));
  // The oldest matching ReplicaSet is the new one.
  auto a = make_rs("web-a", 1, 1, 5);
  a.spec.template_ = rs.spec.template_;
  auto b = make_rs("web-b", 1, 1, 1);
  b.spec.template_ = rs.spec.template_;
  auto c = make_rs("web-c", 1, 1, 0);
  c.spec.template_ = changed;
  CHECK(dep::find_new_replica_set(d, {&a, &b, &c}) == &b);
}

TEST_CASE("revisions only move up, and a rolled-back ReplicaSet remembers its old ones",
          "[controllers][deployment]") {
  auto d = make_deployment(3, api::IntOrString::from_int(1), api::IntOrString::from_int(0));
  d.metadata.annotations = {{"kubernetes.io/change-cause", "v2"},
                            {dep::kRevisionAnnotation, "9"},
                            {"kubectl.kubernetes.io/last-applied-configuration", "{}"}};
  auto fresh = make_rs("web-a", 0, 0);
  CHECK(dep::set_new_replica_set_annotations(d, fresh, 3, false));
  CHECK(fresh.metadata.annotations.at(dep::kRevisionAnnotation) == "3");
  CHECK(fresh.metadata.annotations.at("kubernetes.io/change-cause") == "v2");
  CHECK_FALSE(fresh.metadata.annotations.contains("kubectl.kubernetes.io/last-applied-configuration"));
  CHECK_FALSE(fresh.metadata.annotations.contains(dep::kRevisionHistoryAnnotation));
  CHECK_FALSE(dep::set_new_replica_set_annotations(d, fresh, 3, true));  // nothing new
  CHECK_FALSE(dep::set_new_replica_set_annotations(d, fresh, 2, true));  // never down

  auto back = make_rs("web-b", 0, 0, 0, 1);
  REQUIRE(dep::set_new_replica_set_annotations(d, back, 4, true));
  CHECK(back.metadata.annotations.at(dep::kRevisionAnnotation) == "4");
  CHECK(back.metadata.annotations.at(dep::kRevisionHistoryAnnotation) == "1");
  REQUIRE(dep::set_new_replica_set_annotations(d, back, 6, true));
  CHECK(back.metadata.annotations.at(dep::kRevisionAnnotation) == "6");
  CHECK(back.metadata.annotations.at(dep::kRevisionHistoryAnnotation) == "1,4");
  CHECK(dep::max_revision({&fresh, &back}) == 6);
}
