// The Kubernetes documentation walkthroughs for Deployments and ReplicaSets, with their
// manifests unchanged (tests/e2e/manifests/deployments/), driven by the real kubectl: create,
// `rollout status`, `set image`, a rollout stuck on a mistyped image (nginx:1.161, which the
// simulated registry does not hold), `rollout history`, `rollout undo`, `scale`,
// `rollout pause` / `resume`, a change cause, `rollout undo --to-revision`, `autoscale`; the
// ReplicaSet page's bare pods taken over (pod-rs.yaml) and its autoscaler (hpa-rs.yaml).
#include <algorithm>
#include <filesystem>
#include <functional>
#include <regex>

#include <catch2/catch.hpp>

#include "api/types/all.hpp"
#include "api/types/autoscaling.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;
namespace api = kactor::api;

namespace {

std::string manifest(const std::string& name) {
  return (std::filesystem::path(KACTOR_E2E_MANIFESTS_DIR) / "deployments" / name).string();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// kubectl <args>, which must succeed; its stdout.
std::string ok(const Kubectl& k, const std::vector<std::string>& args) {
  auto r = k.run(args);
  INFO("kubectl " << args[0] << " stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

/// The folded lines of `text` after its header, sorted.
std::vector<std::string> rows(const std::string& text) {
  auto lines = folded_lines(text);
  std::vector<std::string> out;
  for (size_t i = 1; i < lines.size(); ++i)
    if (!lines[i].empty()) out.push_back(lines[i]);
  std::sort(out.begin(), out.end());
  return out;
}

/// The rows of `kubectl get rs` without AGE: "name desired current ready".
std::vector<std::string> replica_sets(const Kubectl& k) {
  std::vector<std::string> out;
  for (auto& row : rows(ok(k, {"get", "rs"}))) out.push_back(row.substr(0, row.rfind(' ')));
  return out;
}

/// `kubectl get rs` has a row "name <desired current ready>" with a name of the Deployment's.
std::string replica_set_with(const Kubectl& k, const std::string& counts) {
  for (auto& row : replica_sets(k))
    if (row.starts_with("nginx-deployment-") && row.ends_with(" " + counts))
      return row.substr(0, row.find(' '));
  return "";
}

std::string rolled_out() { return "deployment \"nginx-deployment\" successfully rolled out\n"; }

/// The REVISION column of `kubectl rollout history`.
std::vector<std::string> revisions(const Kubectl& k) {
  std::vector<std::string> out;
  for (auto& row : rows(ok(k, {"rollout", "history", "deployment/nginx-deployment"})))
    if (row != "REVISION CHANGE-CAUSE") out.push_back(row.substr(0, row.find(' ')));
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return std::stoi(a) < std::stoi(b); });
  return out;
}

/// Waits until the status of the ReplicaSet page's `frontend` holds `holds`.
bool frontend_has(const ServedCluster& c,
                  const std::function<bool(const api::ReplicaSetStatus&)>& holds) {
  return c.cluster->wait_for(api::ReplicaSet::static_type(), [&](const auto& objs) {
    for (auto& o : objs)
      if (auto rs = api::as<api::ReplicaSet>(o); rs && rs->metadata.name == "frontend")
        return holds(rs->status);
    return false;
  });
}

}  // namespace

TEST_CASE("walkthrough: Deployments", "[deployment]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true, 2);
    Kubectl k(bin, c);
    INFO("kubectl " << k.minor());

    // Creating a Deployment.
    CHECK(ok(k, {"apply", "-f", manifest("nginx-deployment.yaml")}) ==
          "deployment.apps/nginx-deployment created\n");
    auto status = ok(k, {"rollout", "status", "deployment/nginx-deployment", "--timeout=60s"});
    CHECK(status.ends_with(rolled_out()));
    auto deployments = rows(ok(k, {"get", "deployments"}));
    REQUIRE(deployments.size() == 1);
    CHECK(deployments[0].starts_with("nginx-deployment 3/3 3 3 "));
    auto v1 = replica_set_with(k, "3 3 3");
    REQUIRE_FALSE(v1.empty());
    auto hash = v1.substr(std::string("nginx-deployment-").size());
    auto pods = rows(ok(k, {"get", "pods", "--show-labels"}));
    REQUIRE(pods.size() == 3);
    for (auto& p : pods) {
      CHECK(p.starts_with(v1 + "-"));
      CHECK(p.ends_with(" app.kubernetes.io/name=nginx,pod-template-hash=" + hash));
    }

    // Updating it.
    CHECK(ok(k, {"set", "image", "deployment.v1.apps/nginx-deployment", "nginx=nginx:1.16.1"}) ==
          "deployment.apps/nginx-deployment image updated\n");
    CHECK(ok(k, {"rollout", "status", "deployment/nginx-deployment", "--timeout=60s"})
              .ends_with(rolled_out()));
    auto v2 = replica_set_with(k, "3 3 3");
    REQUIRE_FALSE(v2.empty());
    CHECK(v2 != v1);
    CHECK(replica_set_with(k, "0 0 0") == v1);
    auto described = ok(k, {"describe", "deployments"});
    INFO(described);
    CHECK(contains(described, "deployment.kubernetes.io/revision: 2"));
    CHECK(std::regex_search(described, std::regex("Progressing +True +NewReplicaSetAvailable")));
    CHECK(std::regex_search(described, std::regex("Available +True +MinimumReplicasAvailable")));
    CHECK(std::regex_search(described,
                            std::regex("NewReplicaSet:\\s+" + v2 + " \\(3/3 replicas created\\)")));
    CHECK(contains(described, "Scaled up replica set " + v2 + " from 0 to 1"));
    CHECK(contains(described, "Scaled down replica set " + v1 + " from 1 to 0"));
    // The page's change cause: annotated on the Deployment, copied to its new ReplicaSet,
    // shown by `rollout history`.
    CHECK(ok(k, {"annotate", "deployment/nginx-deployment",
                 "kubernetes.io/change-cause=image updated to 1.16.1"}) ==
          "deployment.apps/nginx-deployment annotated\n");
    REQUIRE(c.cluster->wait_for(api::ReplicaSet::static_type(), [&](const auto& objs) {
      for (auto& o : objs)
        if (auto rs = api::as<api::ReplicaSet>(o); rs && rs->metadata.name == v2)
          return rs->metadata.annotations.contains("kubernetes.io/change-cause");
      return false;
    }));
    CHECK(rows(ok(k, {"rollout", "history", "deployment/nginx-deployment"})) ==
          (std::vector<std::string>{"1 <none>", "2 image updated to 1.16.1",
                                    "REVISION CHANGE-CAUSE"}));

    // A mistyped image: the rollout gets stuck, one new pod that cannot pull its image.
    CHECK(ok(k, {"set", "image", "deployment/nginx-deployment", "nginx=nginx:1.161"}) ==
          "deployment.apps/nginx-deployment image updated\n");
    auto stuck = k.run({"rollout", "status", "deployment/nginx-deployment", "--timeout=3s"});
    CHECK(stuck.exit_code == 1);
    CHECK(contains(stuck.out, "Waiting for deployment \"nginx-deployment\" rollout to finish: 1 "
                              "out of 3 new replicas have been updated..."));
    REQUIRE(c.cluster->wait_for(api::Pod::static_type(), [](const auto& objs) {
      for (auto& o : objs) {
        auto p = api::as<api::Pod>(o);
        if (!p || p->status.container_statuses.empty()) continue;
        auto& w = p->status.container_statuses[0].state.waiting;
        if (w && w->reason == "ImagePullBackOff") return true;
      }
      return false;
    }));
    CHECK(replica_set_with(k, "3 3 3") == v2);
    auto v3 = replica_set_with(k, "1 1 0");
    REQUIRE_FALSE(v3.empty());
    auto stuck_pods = rows(ok(k, {"get", "pods"}));
    auto bad = std::find_if(stuck_pods.begin(), stuck_pods.end(),
                            [&](auto& row) { return row.starts_with(v3 + "-"); });
    REQUIRE(bad != stuck_pods.end());
    CHECK(contains(*bad, " 0/1 ImagePullBackOff 0 "));
    auto pod_name = bad->substr(0, bad->find(' '));
    auto pod_described = ok(k, {"describe", "pod", pod_name});
    CHECK(contains(pod_described, "Back-off pulling image \"nginx:1.161\""));
    CHECK(contains(pod_described, "Failed to pull image \"nginx:1.161\": rpc error: code = "
                                  "NotFound desc = failed to pull and unpack image "
                                  "\"docker.io/library/nginx:1.161\""));

    // Checking the rollout history, and rolling back to the previous revision.
    CHECK(revisions(k) == std::vector<std::string>{"1", "2", "3"});
    auto rev2 = ok(k, {"rollout", "history", "deployment/nginx-deployment", "--revision=2"});
    CHECK(contains(rev2, "deployment.apps/nginx-deployment with revision #2"));
    CHECK(std::regex_search(rev2, std::regex("Image:\\s+nginx:1\\.16\\.1")));
    CHECK(ok(k, {"rollout", "undo", "deployment/nginx-deployment"}) ==
          "deployment.apps/nginx-deployment rolled back\n");
    CHECK(ok(k, {"rollout", "status", "deployment/nginx-deployment", "--timeout=60s"})
              .ends_with(rolled_out()));
    CHECK(rows(ok(k, {"get", "deployment", "nginx-deployment"}))[0].starts_with(
        "nginx-deployment 3/3 3 3 "));
    CHECK(replica_set_with(k, "3 3 3") == v2);
    CHECK(replica_set_with(k, "0 0 0") != "");
    CHECK(revisions(k) == std::vector<std::string>{"1", "3", "4"});  // 2 came back as 4

    // Scaling.
    CHECK(ok(k, {"scale", "deployment/nginx-deployment", "--replicas=10"}) ==
          "deployment.apps/nginx-deployment scaled\n");
    CHECK(ok(k, {"rollout", "status", "deployment/nginx-deployment", "--timeout=60s"})
              .ends_with(rolled_out()));
    CHECK(replica_set_with(k, "10 10 10") == v2);

    // Pausing: template changes pile up without a rollout; resuming rolls them out at once.
    CHECK(ok(k, {"rollout", "pause", "deployment/nginx-deployment"}) ==
          "deployment.apps/nginx-deployment paused\n");
    // (A template no ReplicaSet has: one equal to an old ReplicaSet's would make that one
    // the new one, its revision moving up even while paused, as upstream.)
    CHECK(ok(k, {"set", "image", "deployment/nginx-deployment", "nginx=nginx:1.27"}) ==
          "deployment.apps/nginx-deployment image updated\n");
    CHECK(ok(k, {"set", "resources", "deployment/nginx-deployment", "-c=nginx",
                 "--limits=cpu=200m,memory=512Mi"}) ==
          "deployment.apps/nginx-deployment resource requirements updated\n");
    REQUIRE(c.cluster->wait_for(api::Deployment::static_type(), [](const auto& objs) {
      for (auto& o : objs)
        if (auto d = api::as<api::Deployment>(o))
          for (auto& cond : d->status.conditions)
            if (cond.type == "Progressing" && cond.reason == "DeploymentPaused" &&
                d->status.observed_generation == d->metadata.generation)
              return true;
      return false;
    }));
    CHECK(revisions(k) == std::vector<std::string>{"1", "3", "4"});
    CHECK(replica_set_with(k, "10 10 10") == v2);
    CHECK(ok(k, {"rollout", "resume", "deployment/nginx-deployment"}) ==
          "deployment.apps/nginx-deployment resumed\n");
    CHECK(ok(k, {"rollout", "status", "deployment/nginx-deployment", "--timeout=60s"})
              .ends_with(rolled_out()));
    auto v5 = replica_set_with(k, "10 10 10");
    CHECK(v5 != v2);
    CHECK(revisions(k) == std::vector<std::string>{"1", "3", "4", "5"});
    CHECK(ok(k, {"get", "deployment", "nginx-deployment", "-o",
                 "jsonpath={.spec.template.spec.containers[0].resources.limits.cpu}"}) == "200m");

    // Rolling back to a named revision: 4 is nginx:1.16.1 without the limits, v2's template.
    CHECK(ok(k, {"rollout", "undo", "deployment/nginx-deployment", "--to-revision=4"}) ==
          "deployment.apps/nginx-deployment rolled back\n");
    CHECK(ok(k, {"rollout", "status", "deployment/nginx-deployment", "--timeout=60s"})
              .ends_with(rolled_out()));
    CHECK(replica_set_with(k, "10 10 10") == v2);
    CHECK(revisions(k) == std::vector<std::string>{"1", "3", "5", "6"});  // 4 came back as 6
    auto missing = k.run({"rollout", "undo", "deployment/nginx-deployment", "--to-revision=2"});
    CHECK(missing.exit_code != 0);
    CHECK(contains(missing.err, "unable to find specified revision 2 in history"));

    // Autoscaling it, as the page ends.
    CHECK(ok(k, {"autoscale", "deployment/nginx-deployment", "--min=10", "--max=15",
                 "--cpu-percent=80"}) ==
          "horizontalpodautoscaler.autoscaling/nginx-deployment autoscaled\n");
    CHECK(ok(k, {"get", "hpa", "nginx-deployment", "-o",
                 "jsonpath={.spec.scaleTargetRef.kind}/{.spec.scaleTargetRef.name} "
                 "{.spec.minReplicas}-{.spec.maxReplicas}"}) == "Deployment/nginx-deployment 10-15");
  }
}

TEST_CASE("walkthrough: ReplicaSet", "[deployment]") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true, 2);
    Kubectl k(bin, c);
    CHECK(ok(k, {"apply", "-f", manifest("frontend.yaml")}) ==
          "replicaset.apps/frontend created\n");
    REQUIRE(frontend_has(c, [](const api::ReplicaSetStatus& s) { return s.ready_replicas == 3; }));
    auto rs = rows(ok(k, {"get", "rs"}));
    REQUIRE(rs.size() == 1);
    CHECK(rs[0].starts_with("frontend 3 3 3 "));
    auto described = ok(k, {"describe", "rs/frontend"});
    CHECK(std::regex_search(
        described, std::regex("Pods Status:\\s+3 Running / 0 Waiting / 0 Succeeded / 0 Failed")));
    auto pods = rows(ok(k, {"get", "pods"}));
    REQUIRE(pods.size() == 3);
    auto pod = pods[0].substr(0, pods[0].find(' '));
    CHECK(pod.starts_with("frontend-"));
    auto owner = ok(k, {"get", "pods", pod, "-o",
                        "jsonpath={.metadata.ownerReferences[0].kind}/"
                        "{.metadata.ownerReferences[0].name}/"
                        "{.metadata.ownerReferences[0].controller}"});
    CHECK(owner == "ReplicaSet/frontend/true");

    // Non-template pod acquisitions: bare pods with matching labels are taken over, and,
    // the ReplicaSet having its three already, deleted at once.
    CHECK(ok(k, {"apply", "-f", manifest("pod-rs.yaml")}) == "pod/pod1 created\npod/pod2 created\n");
    REQUIRE(c.cluster->wait_for(api::Pod::static_type(), [](const auto& objs) {
      size_t frontend = 0;
      for (auto& o : objs) {
        auto p = api::as<api::Pod>(o);
        if (!p) continue;
        if (p->metadata.name == "pod1" || p->metadata.name == "pod2") return false;
        if (!p->metadata.deletion_timestamp) ++frontend;
      }
      return frontend == 3;
    }));
    // The adopting sync counted the two bare pods before deleting them (replicas 5); a later
    // sync writes the three that remain.
    REQUIRE(frontend_has(c, [](const api::ReplicaSetStatus& s) {
      return s.replicas == 3 && s.ready_replicas == 3;
    }));
    CHECK(rows(ok(k, {"get", "rs"}))[0].starts_with("frontend 3 3 3 "));

    CHECK(ok(k, {"scale", "rs/frontend", "--replicas=2"}) == "replicaset.apps/frontend scaled\n");
    REQUIRE(frontend_has(c, [](const api::ReplicaSetStatus& s) { return s.replicas == 2; }));
    CHECK(ok(k, {"delete", "rs", "frontend"}) == "replicaset.apps \"frontend\" deleted\n");
    REQUIRE(c.cluster->wait_for(api::Pod::static_type(), [](const auto& objs) {
      for (auto& o : objs)
        if (o->metadata.namespace_ == "default") return false;
      return true;
    }));

    // The other order: the bare pods first; the ReplicaSet adopts them and makes one more.
    CHECK(ok(k, {"apply", "-f", manifest("pod-rs.yaml")}) == "pod/pod1 created\npod/pod2 created\n");
    CHECK(ok(k, {"apply", "-f", manifest("frontend.yaml")}) ==
          "replicaset.apps/frontend created\n");
    REQUIRE(frontend_has(c, [](const api::ReplicaSetStatus& s) { return s.ready_replicas == 3; }));
    auto adopted = rows(ok(k, {"get", "pods"}));
    REQUIRE(adopted.size() == 3);
    CHECK(adopted[0].starts_with("frontend-"));
    CHECK(adopted[1].starts_with("pod1 1/1 Running "));
    CHECK(adopted[2].starts_with("pod2 1/1 Running "));
    for (const std::string pod : {"pod1", "pod2"})
      CHECK(ok(k, {"get", "pod", pod, "-o",
                   "jsonpath={.metadata.ownerReferences[0].kind}/"
                   "{.metadata.ownerReferences[0].name}"}) == "ReplicaSet/frontend");

    // Autoscaling it. The page's hpa-rs.yaml names no apiVersion in its scaleTargetRef, so
    // the kind is looked up in the core group, where there is no ReplicaSet: upstream's HPA
    // controller reports exactly this, and so does kactor's.
    CHECK(ok(k, {"apply", "-f", manifest("hpa-rs.yaml")}) ==
          "horizontalpodautoscaler.autoscaling/frontend-scaler created\n");
    REQUIRE(c.cluster->wait_for(api::Event::static_type(), [](const auto& objs) {
      for (auto& o : objs)
        if (auto e = api::as<api::Event>(o);
            e && e->involved_object.name == "frontend-scaler" && e->reason == "FailedGetScale")
          return contains(e->message, R"(no matches for kind "ReplicaSet" in group "")");
      return false;
    }));
    CHECK(ok(k, {"delete", "-f", manifest("hpa-rs.yaml")}) ==
          "horizontalpodautoscaler.autoscaling \"frontend-scaler\" deleted\n");
    // The page's alternative names the group (apps/v1), and the HPA finds its target.
    CHECK(ok(k, {"autoscale", "rs", "frontend", "--max=10", "--min=3", "--cpu-percent=50"}) ==
          "horizontalpodautoscaler.autoscaling/frontend autoscaled\n");
    REQUIRE(c.cluster->wait_for(api::HorizontalPodAutoscaler::static_type(), [](const auto& objs) {
      for (auto& o : objs)
        if (auto h = api::as<api::HorizontalPodAutoscaler>(o);
            h && h->metadata.name == "frontend" && h->status.current_replicas == 3)
          return true;
      return false;
    }));
    CHECK(ok(k, {"get", "hpa", "frontend", "-o", "jsonpath={.spec.scaleTargetRef.apiVersion}"}) ==
          "apps/v1");
    CHECK(ok(k, {"delete", "hpa", "frontend"}) ==
          "horizontalpodautoscaler.autoscaling \"frontend\" deleted\n");

    // Isolating a pod: relabelled, it leaves the ReplicaSet, which makes a replacement.
    CHECK(ok(k, {"label", "pod", "pod1", "tier=debug", "--overwrite"}) == "pod/pod1 labeled\n");
    REQUIRE(c.cluster->wait_for(api::Pod::static_type(), [](const auto& objs) {
      size_t owned_ready = 0;
      bool pod1_released = false;
      for (auto& o : objs) {
        auto p = api::as<api::Pod>(o);
        if (!p || p->metadata.namespace_ != "default" || p->metadata.deletion_timestamp) continue;
        if (p->metadata.name == "pod1") pod1_released = p->metadata.owner_references.empty();
        const auto* ready = p->status.condition("Ready");
        if (p->metadata.controller_ref() && ready && ready->status == "True") ++owned_ready;
      }
      return pod1_released && owned_ready == 3;
    }));

    // Deleting just the ReplicaSet: its pods stay, released.
    CHECK(ok(k, {"delete", "rs", "frontend", "--cascade=orphan"}) ==
          "replicaset.apps \"frontend\" deleted\n");
    REQUIRE(c.cluster->wait_for(api::Pod::static_type(), [](const auto& objs) {
      size_t left = 0;
      for (auto& o : objs) {
        auto p = api::as<api::Pod>(o);
        if (!p || p->metadata.namespace_ != "default" || p->metadata.deletion_timestamp) continue;
        if (!p->metadata.owner_references.empty()) return false;
        ++left;
      }
      return left == 4;  // the three it had and the isolated pod1
    }));
    CHECK(folded_lines(ok(k, {"get", "rs", "-o", "name"})).empty());
  }
}
