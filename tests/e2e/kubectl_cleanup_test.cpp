// Namespaces and cascading deletion with the real kubectl: the documentation's namespaces
// walkthrough (its manifests unchanged, in tests/e2e/manifests/namespaces/), namespace
// deletion that finishes, `kubectl delete --cascade=foreground|orphan|background` of RCs, and
// the "Use Cascading Deletion in a Cluster" page with its Deployment
// (tests/e2e/manifests/deployments/nginx-deployment.yaml).
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

/// Waits until `count` pods labelled `key`=`app` are Running and not terminating.
bool pods_running(const ServedCluster& c, const std::string& app, size_t count,
                  const std::string& key = "app") {
  return c.cluster->wait_for(kactor::api::Pod::static_type(), [&](const auto& objs) {
    size_t running = 0;
    for (auto& o : objs) {
      auto it = o->metadata.labels.find(key);
      auto pod = kactor::api::as<kactor::api::Pod>(*o);
      if (it != o->metadata.labels.end() && it->second == app && pod->status.phase == "Running" &&
          !o->metadata.deletion_timestamp)
        ++running;
    }
    return running == count;
  });
}

/// Waits until Deployment `ns`/`name` reports `count` replicas ready, up to date and available
/// (written by its controller after the ReplicaSet's, which follows the pods').
bool deployment_available(const ServedCluster& c, const std::string& ns, const std::string& name,
                          int32_t count) {
  return c.cluster->wait_for(kactor::api::Deployment::static_type(), [&](const auto& objs) {
    for (auto& o : objs) {
      if (o->metadata.namespace_ != ns || o->metadata.name != name) continue;
      const auto& s = kactor::api::as<kactor::api::Deployment>(*o)->status;
      return s.ready_replicas == count && s.updated_replicas == count &&
             s.available_replicas == count;
    }
    return false;
  });
}

/// Waits until no object of `type` is labelled `key`=`value`.
bool none_labelled(const ServedCluster& c, const kactor::api::TypeInfo& type, const std::string& key,
                   const std::string& value) {
  return c.cluster->wait_for(type, [&](const auto& objs) {
    for (auto& o : objs) {
      auto it = o->metadata.labels.find(key);
      if (it != o->metadata.labels.end() && it->second == value) return false;
    }
    return true;
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

    // The page's Deployments: snowflake in development, cattle in production, each namespace
    // seeing only its own.
    auto snowflake = k.run({"create", "deployment", "snowflake",
                            "--image=registry.k8s.io/serve_hostname", "-n=development",
                            "--replicas=2"});
    INFO(snowflake.err);
    CHECK(snowflake.out == "deployment.apps/snowflake created\n");
    CHECK(k.run({"create", "deployment", "cattle", "--image=registry.k8s.io/serve_hostname",
                 "-n=production", "--replicas=5"})
              .exit_code == 0);
    REQUIRE(pods_running(c, "snowflake", 2));
    REQUIRE(pods_running(c, "cattle", 5));
    REQUIRE(deployment_available(c, "development", "snowflake", 2));
    REQUIRE(deployment_available(c, "production", "cattle", 5));
    auto dev = folded_lines(k.run({"get", "deployment", "-n=development"}).out);
    REQUIRE(dev.size() == 2);
    CHECK(dev[1].starts_with("snowflake 2/2 2 2 "));
    CHECK(folded_lines(k.run({"get", "pods", "-l", "app=snowflake", "-n=development", "-o",
                              "name"}).out).size() == 2);
    CHECK(k.run({"get", "pods", "-l", "app=snowflake", "-n=production", "-o", "name"}).out.empty());
    auto prod = folded_lines(k.run({"get", "deployment", "-n=production"}).out);
    REQUIRE(prod.size() == 2);
    CHECK(prod[1].starts_with("cattle 5/5 5 5 "));

    // More content in development, then delete it: kubectl waits until it is gone.
    REQUIRE(k.run({"create", "-n", "development", "-f", "-"}, rc("snowflake-rc", 1)).exit_code == 0);
    REQUIRE(k.run({"create", "configmap", "settings", "-n", "development",
                   "--from-literal=a=b"}).exit_code == 0);
    REQUIRE(pods_running(c, "snowflake-rc", 1));
    auto deleted = k.run({"delete", "namespace", "development", "--wait=true"});
    INFO(deleted.err);
    CHECK(deleted.exit_code == 0);
    CHECK(deleted.out == "namespace \"development\" deleted\n");
    CHECK(k.run({"get", "namespace", "development"}).exit_code == 1);
    CHECK(k.run({"get", "all", "-n", "development", "-o", "name"}).out.empty());
    auto production = folded_lines(k.run({"get", "namespace", "production", "--no-headers"}).out);
    REQUIRE(production.size() == 1);
    CHECK(production[0].starts_with("production Active "));
    CHECK(folded_lines(k.run({"get", "pods", "-l", "app=cattle", "-n=production", "-o", "name"})
                           .out).size() == 5);
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

TEST_CASE("walkthrough: Use Cascading Deletion in a Cluster, with the page's Deployment") {
  namespace api = kactor::api;
  const std::string key = "app.kubernetes.io/name";
  const std::string selector = key + "=nginx";
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    auto deploy = [&] {
      auto applied = k.run({"apply", "-f", kManifests + "/deployments/nginx-deployment.yaml"});
      INFO(applied.err);
      REQUIRE(applied.out == "deployment.apps/nginx-deployment created\n");
      REQUIRE(pods_running(c, "nginx", 3, key));
    };

    // Foreground: the Deployment goes last, after its ReplicaSet and their pods; kubectl waits.
    deploy();
    auto fg = k.run({"delete", "deployment", "nginx-deployment", "--cascade=foreground"});
    INFO(fg.err);
    CHECK(fg.out == "deployment.apps \"nginx-deployment\" deleted\n");
    CHECK(k.run({"get", "pods", "-l", selector, "-o", "name"}).out.empty());
    CHECK(k.run({"get", "replicasets", "-o", "name"}).out.empty());

    // Background: the Deployment goes at once, the garbage collector takes the rest after.
    deploy();
    CHECK(k.run({"delete", "deployment", "nginx-deployment", "--cascade=background"}).exit_code == 0);
    CHECK(k.run({"get", "deployment", "nginx-deployment"}).exit_code == 1);
    CHECK(none_labelled(c, api::ReplicaSet::static_type(), key, "nginx"));
    CHECK(none_labelled(c, api::Pod::static_type(), key, "nginx"));

    // Orphan: the ReplicaSet stays, owned by nobody, and keeps its pods running.
    deploy();
    CHECK(k.run({"delete", "deployment", "nginx-deployment", "--cascade=orphan"}).exit_code == 0);
    CHECK(k.run({"get", "deployment", "nginx-deployment"}).exit_code == 1);
    auto sets = folded_lines(k.run({"get", "replicasets", "-l", selector, "-o", "name"}).out);
    REQUIRE(sets.size() == 1);
    CHECK(k.run({"get", sets[0], "-o", "jsonpath={.metadata.ownerReferences}"}).out.empty());
    REQUIRE(pods_running(c, "nginx", 3, key));
    CHECK(contains(k.run({"get", "pods", "-l", selector, "-o",
                          "jsonpath={.items[0].metadata.ownerReferences[0].kind}"}).out,
                   "ReplicaSet"));
  }
}
