// API server: the kubernetes.io/metadata.name label every namespace carries.
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {
constexpr const char* kNameLabel = "kubernetes.io/metadata.name";
}

TEST_CASE("namespaces carry their name as a label that updates cannot remove or change",
          "[apiserver][namespace]") {
  ApiFixture f;
  for (const char* builtin : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    auto ns = f.client->get<api::Namespace>("", builtin);
    REQUIRE(ns.has_value());
    CHECK((*ns)->metadata.labels.at(kNameLabel) == builtin);
  }

  auto created = f.client->create(make_namespace("team-a"));
  REQUIRE(created.has_value());
  CHECK((*created)->metadata.labels.at(kNameLabel) == "team-a");

  auto stripped = *api::as<api::Namespace>(*created);
  stripped.metadata.labels = {{"owner", "a"}};
  auto updated = f.client->update(stripped);
  REQUIRE(updated.has_value());
  CHECK((*updated)->metadata.labels ==
        std::map<std::string, std::string>{{kNameLabel, "team-a"}, {"owner", "a"}});

  auto forged = *api::as<api::Namespace>(*updated);
  forged.metadata.labels[kNameLabel] = "team-b";
  auto kept = f.client->update(forged);
  REQUIRE(kept.has_value());
  CHECK((*kept)->metadata.labels.at(kNameLabel) == "team-a");

  // A generated name is labelled with the name it got.
  api::Namespace generated;
  generated.metadata.generate_name = "tmp-";
  auto gen = f.client->create(generated);
  REQUIRE(gen.has_value());
  CHECK((*gen)->metadata.labels.at(kNameLabel) == (*gen)->metadata.name);
}
