// The Kubernetes documentation walkthroughs for limit ranges and quotas, with their manifests
// unchanged (tests/e2e/manifests/quota/, KYAML most of them), driven by the real kubectl:
// what the pages show is what kactor answers.
#include <catch2/catch.hpp>

#include <filesystem>

#include "api/types/all.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;
namespace api = kactor::api;

namespace {

std::string manifest(const std::string& name) {
  return (std::filesystem::path(KACTOR_E2E_MANIFESTS_DIR) / "quota" / name).string();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// kubectl <args> --namespace=<ns>, which must succeed; its stdout.
std::string ok(const Kubectl& k, const std::string& ns, std::vector<std::string> args) {
  args.push_back("--namespace=" + ns);
  auto r = k.run(args);
  INFO("kubectl stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

/// `kubectl apply -f <manifest>` refused: its stderr.
std::string refused(const Kubectl& k, const std::string& ns, const std::string& file) {
  auto r = k.run({"apply", "-f", manifest(file), "--namespace=" + ns});
  CHECK(r.exit_code == 1);
  return r.err;
}

/// The quota controller has computed the quota's status (a reader of the walkthrough looks
/// at it with `kubectl get resourcequota` before going on).
bool quota_computed(const ServedCluster& c, const std::string& ns, const std::string& name) {
  return c.cluster->wait_for(api::ResourceQuota::static_type(), [&](const auto& objs) {
    for (auto& o : objs) {
      auto q = api::as<api::ResourceQuota>(o);
      if (q && q->metadata.namespace_ == ns && q->metadata.name == name)
        return !q->status.hard.empty() && q->status.used.size() == q->status.hard.size();
    }
    return false;
  });
}

std::string resources(const Kubectl& k, const std::string& ns, const std::string& pod) {
  return ok(k, ns, {"get", "pod", pod, "-o", "jsonpath={.spec.containers[0].resources}"});
}

}  // namespace

TEST_CASE("walkthrough: Configure Default Memory Requests and Limits for a Namespace",
          "[quota]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    const std::string ns = "default-mem-example";
    REQUIRE(k.run({"create", "namespace", ns}).exit_code == 0);
    CHECK(ok(k, ns, {"apply", "-f", manifest("memory-defaults.yaml")}) ==
          "limitrange/mem-limit-range created\n");

    // No request, no limit: both defaulted.
    ok(k, ns, {"apply", "-f", manifest("memory-defaults-pod.yaml")});
    CHECK(resources(k, ns, "default-mem-demo") ==
          R"({"limits":{"memory":"512Mi"},"requests":{"memory":"256Mi"}})");

    // A limit but no request: the request equals the limit.
    ok(k, ns, {"apply", "-f", manifest("memory-defaults-pod-2.yaml")});
    CHECK(resources(k, ns, "default-mem-demo-2") ==
          R"({"limits":{"memory":"1Gi"},"requests":{"memory":"1Gi"}})");

    // A request but no limit: the limit is the namespace default.
    ok(k, ns, {"apply", "-f", manifest("memory-defaults-pod-3.yaml")});
    CHECK(resources(k, ns, "default-mem-demo-3") ==
          R"({"limits":{"memory":"512Mi"},"requests":{"memory":"128Mi"}})");
  }
}

TEST_CASE("walkthrough: Configure Minimum and Maximum CPU Constraints for a Namespace",
          "[quota]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    const std::string ns = "constraints-cpu-example";
    REQUIRE(k.run({"create", "namespace", ns}).exit_code == 0);
    ok(k, ns, {"apply", "-f", manifest("cpu-constraints.yaml")});
    // The defaults the page points out, created from max.
    CHECK(ok(k, ns, {"get", "limitrange", "cpu-min-max-demo-lr", "-o", "jsonpath={.spec.limits}"}) ==
          R"([{"default":{"cpu":"800m"},"defaultRequest":{"cpu":"800m"},"max":{"cpu":"800m"},)"
          R"("min":{"cpu":"200m"},"type":"Container"}])");

    ok(k, ns, {"apply", "-f", manifest("cpu-constraints-pod.yaml")});
    CHECK(resources(k, ns, "constraints-cpu-demo") ==
          R"({"limits":{"cpu":"800m"},"requests":{"cpu":"500m"}})");

    auto too_much = refused(k, ns, "cpu-constraints-pod-2.yaml");
    CHECK(contains(too_much, "Error from server (Forbidden): error when creating \"" +
                                 manifest("cpu-constraints-pod-2.yaml") +
                                 "\": pods \"constraints-cpu-demo-2\" is forbidden: maximum cpu "
                                 "usage per Container is 800m, but limit is 1500m"));
    auto too_little = refused(k, ns, "cpu-constraints-pod-3.yaml");
    CHECK(contains(too_little, "pods \"constraints-cpu-demo-3\" is forbidden: minimum cpu usage "
                               "per Container is 200m, but request is 100m"));

    // Nothing specified: the defaults (800m, from max) apply.
    ok(k, ns, {"apply", "-f", manifest("cpu-constraints-pod-4.yaml")});
    CHECK(resources(k, ns, "constraints-cpu-demo-4") ==
          R"({"limits":{"cpu":"800m"},"requests":{"cpu":"800m"}})");
  }
}

TEST_CASE("walkthrough: Configure Default CPU Requests and Limits for a Namespace", "[quota]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    const std::string ns = "default-cpu-example";
    REQUIRE(k.run({"create", "namespace", ns}).exit_code == 0);
    CHECK(ok(k, ns, {"apply", "-f", manifest("cpu-defaults.yaml")}) ==
          "limitrange/cpu-limit-range created\n");

    // No request, no limit: both defaulted.
    ok(k, ns, {"apply", "-f", manifest("cpu-defaults-pod.yaml")});
    CHECK(resources(k, ns, "default-cpu-demo") ==
          R"({"limits":{"cpu":"1"},"requests":{"cpu":"500m"}})");
    // A limit only: the request is the limit, not the default request.
    ok(k, ns, {"apply", "-f", manifest("cpu-defaults-pod-2.yaml")});
    CHECK(resources(k, ns, "default-cpu-demo-2") ==
          R"({"limits":{"cpu":"1"},"requests":{"cpu":"1"}})");
    // A request only: the default limit.
    ok(k, ns, {"apply", "-f", manifest("cpu-defaults-pod-3.yaml")});
    CHECK(resources(k, ns, "default-cpu-demo-3") ==
          R"({"limits":{"cpu":"1"},"requests":{"cpu":"750m"}})");
  }
}

TEST_CASE("walkthrough: Configure Minimum and Maximum Memory Constraints for a Namespace",
          "[quota]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    const std::string ns = "constraints-mem-example";
    REQUIRE(k.run({"create", "namespace", ns}).exit_code == 0);
    ok(k, ns, {"apply", "-f", manifest("memory-constraints.yaml")});
    // The defaults the page points out, created from max.
    CHECK(ok(k, ns, {"get", "limitrange", "mem-min-max-demo-lr", "-o", "jsonpath={.spec.limits}"}) ==
          R"([{"default":{"memory":"1Gi"},"defaultRequest":{"memory":"1Gi"},"max":{"memory":"1Gi"},)"
          R"("min":{"memory":"500Mi"},"type":"Container"}])");

    ok(k, ns, {"apply", "-f", manifest("memory-constraints-pod.yaml")});
    CHECK(resources(k, ns, "constraints-mem-demo") ==
          R"({"limits":{"memory":"800Mi"},"requests":{"memory":"600Mi"}})");

    auto too_much = refused(k, ns, "memory-constraints-pod-2.yaml");
    CHECK(contains(too_much, "Error from server (Forbidden): error when creating \"" +
                                 manifest("memory-constraints-pod-2.yaml") +
                                 "\": pods \"constraints-mem-demo-2\" is forbidden: maximum "
                                 "memory usage per Container is 1Gi, but limit is 1536Mi"));
    auto too_little = refused(k, ns, "memory-constraints-pod-3.yaml");
    CHECK(contains(too_little, "pods \"constraints-mem-demo-3\" is forbidden: minimum memory "
                               "usage per Container is 500Mi, but request is 100Mi"));

    // Nothing specified: the defaults (1Gi, from max) apply.
    ok(k, ns, {"apply", "-f", manifest("memory-constraints-pod-4.yaml")});
    CHECK(resources(k, ns, "constraints-mem-demo-4") ==
          R"({"limits":{"memory":"1Gi"},"requests":{"memory":"1Gi"}})");
  }
}

TEST_CASE("walkthrough: Configure Memory and CPU Quotas for a Namespace", "[quota]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    const std::string ns = "quota-mem-cpu-example";
    REQUIRE(k.run({"create", "namespace", ns}).exit_code == 0);
    ok(k, ns, {"apply", "-f", manifest("quota-mem-cpu.yaml")});
    REQUIRE(quota_computed(c, ns, "mem-cpu-demo"));

    ok(k, ns, {"apply", "-f", manifest("quota-mem-cpu-pod.yaml")});
    CHECK(ok(k, ns, {"get", "resourcequota", "mem-cpu-demo", "-o", "jsonpath={.status.used}"}) ==
          R"({"limits.cpu":"800m","limits.memory":"800Mi","requests.cpu":"400m",)"
          R"("requests.memory":"600Mi"})");
    CHECK(ok(k, ns, {"get", "resourcequota", "mem-cpu-demo", "-o", "jsonpath={.status.hard}"}) ==
          R"({"limits.cpu":"2","limits.memory":"2Gi","requests.cpu":"1","requests.memory":"1Gi"})");

    auto over = refused(k, ns, "quota-mem-cpu-pod-2.yaml");
    CHECK(contains(over, "pods \"quota-mem-cpu-demo-2\" is forbidden: exceeded quota: "
                         "mem-cpu-demo, requested: requests.memory=700Mi, used: "
                         "requests.memory=600Mi, limited: requests.memory=1Gi"));
  }
}

TEST_CASE("walkthrough: Configure a Pod Quota for a Namespace", "[quota]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    const std::string ns = "quota-pod-example";
    REQUIRE(k.run({"create", "namespace", ns}).exit_code == 0);
    ok(k, ns, {"apply", "-f", manifest("quota-pod.yaml")});
    REQUIRE(quota_computed(c, ns, "pod-demo"));
    CHECK(ok(k, ns, {"get", "resourcequota", "pod-demo", "-o", "jsonpath={.status}"}) ==
          R"({"hard":{"pods":"2"},"used":{"pods":"0"}})");

    CHECK(ok(k, ns, {"apply", "-f", manifest("quota-pod-deployment.yaml")}) ==
          "deployment.apps/pod-quota-demo created\n");
    // Three replicas wanted, two admitted: the third create of the Deployment's ReplicaSet is
    // refused by the quota.
    REQUIRE(c.cluster->wait_for(api::Event::static_type(), [&](const auto& objs) {
      for (auto& o : objs) {
        auto e = api::as<api::Event>(o);
        if (e && e->metadata.namespace_ == ns && e->reason == "FailedCreate" &&
            contains(e->message, "exceeded quota: pod-demo, requested: pods=1, used: pods=2, "
                                 "limited: pods=2"))
          return true;
      }
      return false;
    }));
    CHECK(ok(k, ns, {"get", "resourcequota", "pod-demo", "-o", "jsonpath={.status.used}"}) ==
          R"({"pods":"2"})");
    CHECK(folded_lines(ok(k, ns, {"get", "pods", "-l", "purpose=quota-demo", "-o", "name"})).size() ==
          2);
    // The page's `kubectl get deployment pod-quota-demo -o yaml`: two replicas available, and
    // the refusal in the Deployment's ReplicaFailure condition.
    const std::string failure =
        "exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2";
    REQUIRE(c.cluster->wait_for(api::Deployment::static_type(), [&](const auto& objs) {
      for (auto& o : objs) {
        auto d = api::as<api::Deployment>(o);
        if (!d || d->metadata.namespace_ != ns || d->metadata.name != "pod-quota-demo") continue;
        if (d->status.available_replicas != 2) return false;
        for (auto& cond : d->status.conditions)
          if (cond.type == "ReplicaFailure" && contains(cond.message, failure)) return true;
      }
      return false;
    }));
    CHECK(ok(k, ns, {"get", "deployment", "pod-quota-demo", "-o",
                     "jsonpath={.spec.replicas} {.status.availableReplicas}"}) == "3 2");
    CHECK(contains(ok(k, ns, {"get", "deployment", "pod-quota-demo", "-o",
                              R"(jsonpath={.status.conditions[?(@.type=="ReplicaFailure")].message})"}),
                   failure));
    // Only the Deployment's own ReplicaSet: nothing else competes for the quota.
    CHECK(folded_lines(ok(k, ns, {"get", "replicasets", "-o", "name"})).size() == 1);
  }
}

TEST_CASE("walkthrough: Configure Quotas for API Objects", "[quota]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true);
    Kubectl k(bin, c);
    const std::string ns = "quota-object-example";
    REQUIRE(k.run({"create", "namespace", ns}).exit_code == 0);
    ok(k, ns, {"apply", "-f", manifest("quota-objects.yaml")});
    REQUIRE(quota_computed(c, ns, "object-quota-demo"));
    CHECK(ok(k, ns, {"get", "resourcequota", "object-quota-demo", "-o", "jsonpath={.status}"}) ==
          R"({"hard":{"persistentvolumeclaims":"1","services.loadbalancers":"2",)"
          R"("services.nodeports":"0"},"used":{"persistentvolumeclaims":"0",)"
          R"("services.loadbalancers":"0","services.nodeports":"0"}})");

    CHECK(ok(k, ns, {"apply", "-f", manifest("quota-objects-pvc.yaml")}) ==
          "persistentvolumeclaim/pvc-quota-demo created\n");
    // The page's `kubectl get persistentvolumeclaims`: the claim waits for a volume.
    const auto claims = folded_lines(ok(k, ns, {"get", "persistentvolumeclaims"}));
    REQUIRE(claims.size() >= 2);
    CHECK(claims[1].rfind("pvc-quota-demo Pending manual", 0) == 0);

    auto second = refused(k, ns, "quota-objects-pvc-2.yaml");
    CHECK(contains(second, "persistentvolumeclaims \"pvc-quota-demo-2\" is forbidden: exceeded "
                           "quota: object-quota-demo, requested: persistentvolumeclaims=1, used: "
                           "persistentvolumeclaims=1, limited: persistentvolumeclaims=1"));
    // Beyond the page, the other two limits it sets: no NodePort Service at all, two load
    // balancers (each of which would take a NodePort too, so they must not ask for any).
    auto node_port = k.run({"create", "service", "nodeport", "np", "--tcp=80:80", "--namespace=" + ns});
    CHECK(node_port.exit_code == 1);
    CHECK(contains(node_port.err, "services \"np\" is forbidden: exceeded quota: object-quota-demo, "
                                  "requested: services.nodeports=1, used: services.nodeports=0, "
                                  "limited: services.nodeports=0"));
    CHECK(ok(k, ns, {"get", "resourcequota", "object-quota-demo", "-o",
                     "jsonpath={.status.used.persistentvolumeclaims}"}) == "1");
  }
}
