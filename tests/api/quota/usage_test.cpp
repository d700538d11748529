// api/quota: what objects charge against a ResourceQuota, which quotas select them, and the
// list arithmetic the admission plugin and the quota controller share.
#include <catch2/catch.hpp>

#include "api/quota/usage.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

using namespace kactor;
using namespace kactor::api;
using api::testing::qty;

namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

Container container(const std::string& name, ResourceList requests, ResourceList limits = {}) {
  Container c;
  c.name = name;
  c.image = "nginx";
  c.resources.requests = std::move(requests);
  c.resources.limits = std::move(limits);
  return c;
}

Pod pod_with(std::vector<Container> containers) {
  Pod p = api::testing::make_pod("ns", "p");
  p.spec.containers = std::move(containers);
  return p;
}

ResourceQuota quota_scoped(std::vector<std::string> scopes) {
  ResourceQuota q;
  q.metadata.namespace_ = "ns";
  q.metadata.name = "q";
  q.spec.scopes = std::move(scopes);
  q.spec.hard["pods"] = qty("10");
  return q;
}

}  // namespace

TEST_CASE("a pod charges its count and its requests and limits under both names", "[quota]") {
  auto p = pod_with({container("a", {{"cpu", qty("250m")}, {"memory", qty("64Mi")}},
                               {{"cpu", qty("500m")}, {"memory", qty("128Mi")}}),
                     container("b", {{"cpu", qty("250m")}, {"example.com/gpu", qty("2")},
                                     {"hugepages-2Mi", qty("4Mi")}})});
  auto u = quota::usage(p, kNow);
  CHECK(u.at("pods") == qty("1"));
  CHECK(u.at("count/pods") == qty("1"));
  CHECK(u.at("cpu") == qty("500m"));
  CHECK(u.at("requests.cpu") == qty("500m"));
  CHECK(u.at("requests.memory") == qty("64Mi"));
  CHECK(u.at("limits.cpu") == qty("500m"));
  CHECK(u.at("limits.memory") == qty("128Mi"));
  CHECK(u.at("requests.example.com/gpu") == qty("2"));
  CHECK_FALSE(u.contains("example.com/gpu"));  // extended resources: requests.* only
  CHECK(u.at("hugepages-2Mi") == qty("4Mi"));
  CHECK(u.at("requests.hugepages-2Mi") == qty("4Mi"));
  CHECK_FALSE(u.contains("requests.ephemeral-storage"));
}

TEST_CASE("init containers bound a pod's requests from below, sidecars add to them", "[quota]") {
  auto p = pod_with({container("app", {{"cpu", qty("1")}})});
  p.spec.init_containers = {container("init", {{"cpu", qty("3")}})};
  CHECK(quota::pod_requests(p.spec).at("cpu") == qty("3"));
  auto sidecar = container("sidecar", {{"cpu", qty("500m")}});
  sidecar.restart_policy = "Always";
  p.spec.init_containers = {sidecar, container("init", {{"cpu", qty("1")}})};
  // app 1 + sidecar 0.5 = 1.5 beats init 1 + sidecar 0.5.
  CHECK(quota::pod_requests(p.spec).at("cpu") == qty("1500m"));
  p.spec.overhead["cpu"] = qty("100m");
  CHECK(quota::pod_requests(p.spec).at("cpu") == qty("1600m"));
}

TEST_CASE("terminal pods and pods past their grace period charge nothing", "[quota]") {
  auto p = pod_with({container("a", {{"cpu", qty("1")}})});
  CHECK(quota::pod_counts(p, kNow));
  p.status.phase = "Succeeded";
  CHECK_FALSE(quota::pod_counts(p, kNow));
  CHECK(quota::usage(p, kNow).empty());
  p.status.phase = "Running";
  p.metadata.deletion_timestamp = Time{kNow - std::chrono::seconds(20)};
  p.metadata.deletion_grace_period_seconds = 30;
  CHECK(quota::pod_counts(p, kNow));  // still within its grace period
  p.metadata.deletion_grace_period_seconds = 10;
  CHECK_FALSE(quota::pod_counts(p, kNow));
}

TEST_CASE("services charge their count, load balancers and node ports", "[quota]") {
  auto svc = api::testing::make_service("ns", "s", {{"app", "x"}});
  svc.spec.ports.push_back(svc.spec.ports.front());
  svc.spec.ports.back().name = "second";
  auto u = quota::usage(svc, kNow);
  CHECK(u.at("services") == qty("1"));
  CHECK(u.at("count/services") == qty("1"));
  CHECK(u.at("services.nodeports").is_zero());
  CHECK(u.at("services.loadbalancers").is_zero());
  svc.spec.type = "NodePort";
  CHECK(quota::usage(svc, kNow).at("services.nodeports") == qty("2"));
  svc.spec.type = "LoadBalancer";
  CHECK(quota::usage(svc, kNow).at("services.loadbalancers") == qty("1"));
  CHECK(quota::usage(svc, kNow).at("services.nodeports") == qty("2"));
  // Without allocated node ports only the ones asked for explicitly count.
  svc.spec.allocate_load_balancer_node_ports = false;
  svc.spec.ports[0].node_port = 30080;
  CHECK(quota::usage(svc, kNow).at("services.nodeports") == qty("1"));
}

TEST_CASE("claims charge their count and storage, also per storage class", "[quota]") {
  PersistentVolumeClaim pvc;
  pvc.metadata.namespace_ = "ns";
  pvc.metadata.name = "c";
  pvc.spec.storage_class_name = "gold";
  pvc.spec.resources.requests["storage"] = qty("5Gi");
  auto u = quota::usage(pvc, kNow);
  CHECK(u.at("persistentvolumeclaims") == qty("1"));
  CHECK(u.at("requests.storage") == qty("5Gi"));
  CHECK(u.at("gold.storageclass.storage.k8s.io/requests.storage") == qty("5Gi"));
  CHECK(u.at("gold.storageclass.storage.k8s.io/persistentvolumeclaims") == qty("1"));
  CHECK(quota::matching_resources(PersistentVolumeClaim::static_type(),
                                  {"requests.storage", "pods",
                                   "gold.storageclass.storage.k8s.io/requests.storage"}) ==
        quota::ResourceNames{"gold.storageclass.storage.k8s.io/requests.storage",
                             "requests.storage"});
}

TEST_CASE("every other kind charges count/<resource>.<group>, legacy kinds their plain name",
          "[quota]") {
  ConfigMap cm;
  cm.metadata.namespace_ = "ns";
  cm.metadata.name = "c";
  auto u = quota::usage(cm, kNow);
  CHECK(u.at("configmaps") == qty("1"));
  CHECK(u.at("count/configmaps") == qty("1"));
  CHECK(quota::object_count_name(Deployment::static_type()) == "count/deployments.apps");
  Deployment d;
  CHECK(quota::usage(d, kNow) == ResourceList{{"count/deployments.apps", qty("1")}});
  CHECK(quota::matching_resources(Deployment::static_type(),
                                  {"count/deployments.apps", "pods", "configmaps"}) ==
        quota::ResourceNames{"count/deployments.apps"});
  CHECK(quota::matching_resources(Pod::static_type(),
                                  {"pods", "requests.cpu", "limits.memory", "secrets",
                                   "requests.example.com/gpu", "services"}) ==
        quota::ResourceNames{"limits.memory", "pods", "requests.cpu",
                             "requests.example.com/gpu"});
}

TEST_CASE("quota scopes select pods", "[quota]") {
  auto best_effort = pod_with({container("a", {})});
  auto burstable = pod_with({container("a", {{"cpu", qty("1")}})});
  CHECK(quota::matches_scopes(quota_scoped({}), best_effort));
  CHECK(quota::matches_scopes(quota_scoped({"BestEffort"}), best_effort));
  CHECK_FALSE(quota::matches_scopes(quota_scoped({"BestEffort"}), burstable));
  CHECK(quota::matches_scopes(quota_scoped({"NotBestEffort"}), burstable));

  auto terminating = burstable;
  terminating.spec.active_deadline_seconds = 30;
  CHECK(quota::matches_scopes(quota_scoped({"Terminating"}), terminating));
  CHECK_FALSE(quota::matches_scopes(quota_scoped({"Terminating"}), burstable));
  CHECK(quota::matches_scopes(quota_scoped({"NotTerminating"}), burstable));
  CHECK(quota::matches_scopes(quota_scoped({"NotTerminating", "NotBestEffort"}), burstable));
  CHECK_FALSE(quota::matches_scopes(quota_scoped({"Terminating", "NotBestEffort"}), burstable));

  auto by_class = [](const char* op, std::vector<std::string> values) {
    auto q = quota_scoped({});
    q.spec.scope_selector = ScopeSelector{{{"PriorityClass", op, std::move(values)}}};
    return q;
  };
  auto high = burstable;
  high.spec.priority_class_name = "high";
  CHECK(quota::matches_scopes(by_class("In", {"high", "medium"}), high));
  CHECK_FALSE(quota::matches_scopes(by_class("In", {"medium"}), high));
  CHECK(quota::matches_scopes(by_class("NotIn", {"medium"}), high));
  CHECK(quota::matches_scopes(by_class("Exists", {}), high));
  CHECK_FALSE(quota::matches_scopes(by_class("Exists", {}), burstable));
  CHECK_FALSE(quota::matches_scopes(by_class("DoesNotExist", {}), burstable));

  // Only pods have scopes: a scoped quota selects no other kind.
  ConfigMap cm;
  CHECK(quota::matches_scopes(quota_scoped({}), cm));
  CHECK_FALSE(quota::matches_scopes(quota_scoped({"BestEffort"}), cm));
}

TEST_CASE("a quota on cpu or memory needs every container to declare it", "[quota]") {
  auto p = pod_with({container("app", {{"cpu", qty("1")}}, {{"cpu", qty("1")}}),
                     container("sidecar", {})});
  p.spec.init_containers = {container("init", {{"memory", qty("1Gi")}})};
  CHECK(quota::unmet_constraints(p, {"pods", "requests.storage"}).empty());
  CHECK(quota::unmet_constraints(p, {"limits.cpu", "requests.memory", "pods"}) ==
        "must specify limits.cpu for: init,sidecar; requests.memory for: app,sidecar");
}

TEST_CASE("resource list arithmetic", "[quota]") {
  ResourceList a{{"cpu", qty("1")}, {"pods", qty("2")}};
  ResourceList b{{"cpu", qty("500m")}, {"memory", qty("1Gi")}};
  CHECK(quota::add(a, b) ==
        ResourceList{{"cpu", qty("1500m")}, {"memory", qty("1Gi")}, {"pods", qty("2")}});
  CHECK(quota::subtract_non_negative(b, a) ==
        ResourceList{{"cpu", qty("0")}, {"memory", qty("1Gi")}});
  CHECK(quota::exceeded(a, {{"cpu", qty("1")}, {"pods", qty("1")}}) ==
        quota::ResourceNames{"pods"});
  CHECK(quota::pretty(quota::add(a, b)) == "cpu=1500m,memory=1Gi,pods=2");
  CHECK(quota::pretty(quota::ResourceNames{"b", "a"}) == "a,b");
  CHECK(quota::remove_zeros({{"cpu", qty("0")}, {"pods", qty("1")}}) ==
        ResourceList{{"pods", qty("1")}});
}
