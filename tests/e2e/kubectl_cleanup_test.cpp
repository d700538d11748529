// Namespaces and cascading deletion with the real kubectl: the documentation's namespaces
// walkthrough (its manifests unchanged, in tests/e2e/manifests/namespaces/), namespace
// deletion that finishes, and `kubectl delete --cascade=foreground|orphan|background`.
#include <algorithm>

#include <catch2/catch.hpp>

#include "api/types/all.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;

namespace {

const std::string kManifests = KACTOR_E2E_MANIFESTS_DIR;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string rc(const std::string& name, int replicas) {
  return "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: " + name +
         "\nspec:\n  replicas: " + std::to_string(replicas) + "\n  selector:\n    app: " + name +
         "\n  template:\n    metadata:\n      labels:\n        app: " + name +
         "\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";
}

/// Waits until `count` pods labelled app=`app` are Running and not terminating.
bool pods_running(const ServedCluster& c, const std::string& app, size_t count) {
  return c.cluster->wait_for(kactor::api::Pod::static_type(), [&](const auto& objs) {
    size_t running = 0;
    for (auto& o : objs) {
      auto it = o->metadata.labels.find("app");
      auto pod = kactor::api::as<kactor::api::Pod>(*o);
      if (it != o->metadata.labels.end() && it->second == app && pod->status.phase == "Running" &&
          !o->metadata.deletion_timestamp)
        ++running;
    }
    return running == count;
  });
}

}  // namespace

TEST_CASE("kubectl: the namespaces walkthrough, and a deleted namespace goes with its content") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    for (const char* file : {"namespace-dev.json", "namespace-prod.json"}) {
      auto created = k.run({"create", "-f", kManifests + "/namespaces/" + file});
      INFO(created.err);
      REQUIRE(created.exit_code == 0);
    }
    auto shown = k.run({"get", "namespaces", "--show-labels"});
    REQUIRE(shown.exit_code == 0);
    auto lines = folded_lines(shown.out);
    auto row = [&](const std::string& ns) {
      for (const auto& l : lines)
        if (l.starts_with(ns + " ")) return l;
      return std::string();
    };
    CHECK(row("development").starts_with("development Active "));
    CHECK(contains(row("development"), "name=development"));
    CHECK(row("production").starts_with("production Active "));

    // Content in the namespace, then delete it: kubectl waits until it is gone.
    REQUIRE(k.run({"create", "-n", "development", "-f", "-"}, rc("snowflake", 2)).exit_code == 0);
    REQUIRE(k.run({"create", "configmap", "settings", "-n", "development",
                   "--from-literal=a=b"}).exit_code == 0);
    REQUIRE(pods_running(c, "snowflake", 2));
    auto deleted = k.run({"delete", "namespace", "development", "--wait=true"});
    INFO(deleted.err);
    CHECK(deleted.exit_code == 0);
    CHECK(deleted.out == "namespace \"development\" deleted\n");
    CHECK(k.run({"get", "namespace", "development"}).exit_code == 1);
    CHECK(k.run({"get", "all", "-n", "development", "-o", "name"}).out.empty());
    auto production = folded_lines(k.run({"get", "namespace", "production", "--no-headers"}).out);
    REQUIRE(production.size() == 1);
    CHECK(production[0].starts_with("production Active "));
  }
}

TEST_CASE("kubectl: delete --cascade=foreground, orphan and background") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    for (auto [name, n] : {std::pair{"fg", 2}, std::pair{"orphans", 2}, std::pair{"bg", 1}})
      REQUIRE(k.run({"create", "-f", "-"}, rc(name, n)).exit_code == 0);
    REQUIRE(pods_running(c, "fg", 2));
    REQUIRE(pods_running(c, "orphans", 2));
    REQUIRE(pods_running(c, "bg", 1));

    // Foreground: kubectl waits for the RC, which waits for its pods.
    auto fg = k.run({"delete", "rc", "fg", "--cascade=foreground"});
    INFO(fg.err);
    CHECK(fg.exit_code == 0);
    CHECK(k.run({"get", "pods", "-l", "app=fg", "-o", "name"}).out.empty());

    // Orphan: the pods stay, with no owner.
    CHECK(k.run({"delete", "rc", "orphans", "--cascade=orphan"}).exit_code == 0);
    CHECK(k.run({"get", "rc", "orphans"}).exit_code == 1);
    REQUIRE(pods_running(c, "orphans", 2));
    auto refs = k.run({"get", "pods", "-l", "app=orphans", "-o",
                       "jsonpath={.items[*].metadata.ownerReferences}"});
    CHECK(refs.exit_code == 0);
    CHECK(refs.out.empty());

    // Background (kubectl's default): the pods follow the RC.
    CHECK(k.run({"delete", "rc", "bg"}).exit_code == 0);
    REQUIRE(c.cluster->wait_for(kactor::api::Pod::static_type(), [](const auto& objs) {
      for (auto& o : objs)
        if (o->metadata.labels.count("app") && o->metadata.labels.at("app") == "bg") return false;
      return true;
    }));
  }
}
