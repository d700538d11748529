// A Deployment in a whole in-process cluster under a VirtualClock (issue 12's acceptance):
// v1 → v2 rolls without going below replicas − maxUnavailable available pods nor above
// replicas + maxSurge pods, checked at every event of a pod watch; a v3 whose image cannot be
// pulled stalls and reports ProgressDeadlineExceeded; rolling back (what `kubectl rollout
// undo` does: the old ReplicaSet's template written back) restores v2 under a new revision.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>

#include "actors/client/blocking_client.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/pod_util.hpp"
#include "tests/integration/cluster_support.hpp"
#include "tests/integration/virtual_time.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

constexpr Duration kLeaseInterval = 10s;
constexpr int kReplicas = 4;
constexpr int kMaxSurge = 1;
constexpr int kMaxUnavailable = 1;

api::Deployment web_deployment(const std::string& image) {
  api::Deployment d;
  d.metadata.namespace_ = "default";
  d.metadata.name = "web";
  d.spec.replicas = kReplicas;
  d.spec.selector = api::LabelSelector{{{"app", "web"}}, {}};
  d.spec.template_.metadata.labels = {{"app", "web"}};
  d.spec.template_.spec.containers.push_back(api::Container{.name = "nginx", .image = image});
  d.spec.strategy.type = "RollingUpdate";
  d.spec.strategy.rolling_update = api::RollingUpdateDeployment{
      api::IntOrString::from_int(kMaxUnavailable), api::IntOrString::from_int(kMaxSurge)};
  d.spec.progress_deadline_seconds = 60;
  return d;
}

/// The pods of app=web as a watch reports them, event by event, with the rollout's bounds
/// checked after each event once `checking`.
struct PodStream {
  client::BlockingWatch watch;
  std::map<std::string, std::shared_ptr<const api::Pod>> pods;
  bool checking = false;
  int events = 0;
  int most_pods = 0;
  int fewest_available = kReplicas;

  int active() const {
    int n = 0;
    for (auto& [name, p] : pods) n += api::is_active(*p);
    return n;
  }
  int available() const {
    int n = 0;
    for (auto& [name, p] : pods) n += api::is_active(*p) && api::is_ready(*p);
    return n;
  }
  /// Reads every event that has arrived.
  void drain() {
    while (auto ev = watch.next(0ms)) {
      auto pod = api::as<api::Pod>((*ev)->object);
      if (!pod) continue;
      if ((*ev)->type == apiserver::WatchEvent::Type::deleted)
        pods.erase(pod->metadata.name);
      else
        pods[pod->metadata.name] = pod;
      if (!checking) continue;
      ++events;
      most_pods = std::max(most_pods, active());
      fewest_available = std::min(fewest_available, available());
      INFO("after event " << events << " on pod " << pod->metadata.name);
      REQUIRE(active() <= kReplicas + kMaxSurge);
      REQUIRE(available() >= kReplicas - kMaxUnavailable);
    }
  }
};

std::shared_ptr<const api::Deployment> get_web(Cluster& cluster) {
  auto d = cluster.client().get<api::Deployment>("default", "web");
  REQUIRE(d.has_value());
  return *d;
}

const api::DeploymentCondition* condition(const api::Deployment& d, const std::string& type) {
  for (auto& c : d.status.conditions)
    if (c.type == type) return &c;
  return nullptr;
}

bool rolled_out(const api::Deployment& d) {
  auto* p = condition(d, "Progressing");
  return d.status.observed_generation >= d.metadata.generation &&
         d.status.updated_replicas == kReplicas && d.status.replicas == kReplicas &&
         d.status.available_replicas == kReplicas && p && p->reason == "NewReplicaSetAvailable";
}

/// The ReplicaSet of the Deployment whose pods run `image`.
std::shared_ptr<const api::ReplicaSet> replica_set_of(Cluster& cluster, const std::string& image) {
  auto all = cluster.client().list<api::ReplicaSet>("default");
  REQUIRE(all.has_value());
  for (auto& rs : all->items)
    if (rs->spec.template_.spec.containers.at(0).image == image) return rs;
  return nullptr;
}

/// Writes `change` into the stored Deployment (retrying on conflicts with the controller).
void update_web(Cluster& cluster, const std::function<void(api::Deployment&)>& change) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto copy = *get_web(cluster);
    change(copy);
    auto r = cluster.client().update(copy);
    if (r) return;
    REQUIRE(r.error().code == 409);
  }
  FAIL("could not update the Deployment");
}

}  // namespace

TEST_CASE("a Deployment rolls out within its bounds, stalls on a missing image, and rolls back",
          "[deployment]") {
  VirtualClock clock;
  auto opts = seeded_options();
  opts.clock = &clock;
  opts.node_lease_interval = kLeaseInterval;
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(opts.nodes, kWait));
  VirtualTime time(cluster, clock, kLeaseInterval);

  apiserver::WatchRequest wr;
  wr.resource = "pods";
  wr.namespace_ = "default";
  wr.label_selector = "app=web";
  auto watch = cluster.client().watch(wr);
  REQUIRE(watch.has_value());
  PodStream stream{std::move(*watch)};

  // Step time until `done` holds of the Deployment, reading the pod events as they come.
  auto step_until = [&](const std::function<bool(const api::Deployment&)>& done,
                        Duration limit) {
    auto until = clock.now() + limit;
    for (;;) {
      stream.drain();
      if (done(*get_web(cluster))) return true;
      if (clock.now() >= until) return false;
      time.advance(1s);
    }
  };

  // v1.
  REQUIRE(cluster.client().create(web_deployment("nginx:1.14.2")).has_value());
  REQUIRE(step_until(rolled_out, 120s));
  auto v1 = replica_set_of(cluster, "nginx:1.14.2");
  REQUIRE(v1);
  CHECK(v1->metadata.annotations.at("deployment.kubernetes.io/revision") == "1");
  CHECK(v1->metadata.name.starts_with("web-"));
  CHECK(v1->spec.selector->match_labels.contains("pod-template-hash"));
  CHECK(get_web(cluster)->metadata.annotations.at("deployment.kubernetes.io/revision") == "1");

  // v2: every pod event from here on is within the bounds.
  stream.checking = true;
  update_web(cluster, [](api::Deployment& d) {
    d.spec.template_.spec.containers[0].image = "nginx:1.16.1";
  });
  REQUIRE(step_until(rolled_out, 300s));
  stream.drain();
  INFO("v1 → v2: " << stream.events << " pod events, at most " << stream.most_pods
                   << " pods, at least " << stream.fewest_available << " available");
  // (How much of the surge and the allowance a run uses depends on how the controllers'
  // replies interleave with the clock's steps; the bounds are what must hold.)
  CHECK(stream.events >= 2 * kReplicas);
  auto v2 = replica_set_of(cluster, "nginx:1.16.1");
  REQUIRE(v2);
  CHECK(v2->metadata.annotations.at("deployment.kubernetes.io/revision") == "2");
  CHECK(*v2->spec.replicas == kReplicas);
  CHECK(*replica_set_of(cluster, "nginx:1.14.2")->spec.replicas == 0);  // kept as history

  // v3 cannot be pulled: the rollout stalls within the bounds and times out.
  update_web(cluster, [](api::Deployment& d) {
    d.spec.template_.spec.containers[0].image = "nginx:1.161";
  });
  REQUIRE(step_until(
      [](const api::Deployment& d) {
        auto* p = condition(d, "Progressing");
        return p && p->reason == "ProgressDeadlineExceeded";
      },
      180s));
  auto stalled = get_web(cluster);
  auto* progressing = condition(*stalled, "Progressing");
  CHECK(progressing->status == "False");
  auto v3 = replica_set_of(cluster, "nginx:1.161");
  REQUIRE(v3);
  CHECK(progressing->message == "ReplicaSet \"" + v3->metadata.name + "\" has timed out progressing.");
  CHECK(stalled->status.available_replicas == kReplicas - kMaxUnavailable);
  CHECK(stalled->status.updated_replicas == kMaxSurge + kMaxUnavailable);
  auto* available = condition(*stalled, "Available");
  REQUIRE(available);
  CHECK(available->status == "True");
  // Its pods wait on the image.
  int waiting = 0;
  for (auto& [name, p] : stream.pods) {
    if (p->spec.containers[0].image != "nginx:1.161" || p->status.container_statuses.empty())
      continue;
    auto& w = p->status.container_statuses[0].state.waiting;
    if (w && (w->reason == "ErrImagePull" || w->reason == "ImagePullBackOff")) ++waiting;
    CHECK_FALSE(api::is_ready(*p));
  }
  CHECK(waiting == kMaxSurge + kMaxUnavailable);

  // Roll back as `kubectl rollout undo` does: v2's template (less its hash label) written
  // into the Deployment. The v2 ReplicaSet comes back under revision 4.
  update_web(cluster, [&](api::Deployment& d) {
    d.spec.template_ = v2->spec.template_;
    d.spec.template_.metadata.labels.erase("pod-template-hash");
  });
  REQUIRE(step_until(rolled_out, 300s));
  stream.drain();
  auto back = replica_set_of(cluster, "nginx:1.16.1");
  CHECK(back->metadata.uid == v2->metadata.uid);
  CHECK(back->metadata.annotations.at("deployment.kubernetes.io/revision") == "4");
  CHECK(back->metadata.annotations.at("deployment.kubernetes.io/revision-history") == "2");
  CHECK(*back->spec.replicas == kReplicas);
  CHECK(*replica_set_of(cluster, "nginx:1.161")->spec.replicas == 0);
  CHECK(get_web(cluster)->metadata.annotations.at("deployment.kubernetes.io/revision") == "4");
}

TEST_CASE("a quota that refuses a Deployment's pods shows as ReplicaFailure, until it fits",
          "[deployment][quota]") {
  auto opts = seeded_options();
  opts.nodes = 1;
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  auto& client = cluster.client();
  api::ResourceQuota quota;
  quota.metadata.namespace_ = "default";
  quota.metadata.name = "pod-demo";
  quota.spec.hard = {{"pods", api::Quantity::parse("2").value()}};
  REQUIRE(client.create(quota).has_value());
  // Admission charges only once the controller has written the quota's status.
  REQUIRE(cluster.wait_for(
      api::ResourceQuota::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs)
          if (auto q = api::as<api::ResourceQuota>(o); q && !q->status.hard.empty()) return true;
        return false;
      },
      kWait));

  // Three replicas, two pods allowed: the ReplicaSet's third create is refused.
  auto d = web_deployment("nginx:1.16.1");
  d.spec.replicas = 3;
  REQUIRE(client.create(d).has_value());
  const std::string refused =
      "is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2";
  auto failure_of_rs = [&](const std::vector<api::ObjectPtr>& objs) -> std::optional<api::ReplicaSetCondition> {
    for (auto& o : objs)
      if (auto rs = api::as<api::ReplicaSet>(o); rs && rs->metadata.name.starts_with("web-"))
        for (auto& c : rs->status.conditions)
          if (c.type == "ReplicaFailure") return c;
    return std::nullopt;
  };
  REQUIRE(cluster.wait_for(
      api::ReplicaSet::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) { return failure_of_rs(objs).has_value(); },
      kWait));
  auto rs_failure = *failure_of_rs(client.list(api::ReplicaSet::static_type(), "default")->items);
  CHECK(rs_failure.status == "True");
  CHECK(rs_failure.reason == "FailedCreate");
  CHECK(rs_failure.message.starts_with("pods \"web-"));
  CHECK(rs_failure.message.ends_with(refused));

  // The Deployment carries the same condition.
  auto deployment_failure = [&](const std::vector<api::ObjectPtr>& objs) -> const api::DeploymentCondition* {
    for (auto& o : objs)
      if (auto dep = api::as<api::Deployment>(o); dep && dep->metadata.name == "web")
        return condition(*dep, "ReplicaFailure");
    return nullptr;
  };
  REQUIRE(cluster.wait_for(
      api::Deployment::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) { return deployment_failure(objs) != nullptr; },
      kWait));
  auto web = get_web(cluster);
  auto* failure = condition(*web, "ReplicaFailure");
  REQUIRE(failure);
  CHECK(failure->status == "True");
  CHECK(failure->reason == "FailedCreate");
  CHECK(failure->message == rs_failure.message);
  CHECK(failure->last_transition_time == rs_failure.last_transition_time);
  CHECK(failure->last_update_time == rs_failure.last_transition_time);

  // Scaled to what the quota allows: the ReplicaSet's next sync succeeds and both clear.
  update_web(cluster, [](api::Deployment& dep) { dep.spec.replicas = 2; });
  REQUIRE(cluster.wait_for(
      api::Deployment::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs)
          if (auto dep = api::as<api::Deployment>(o); dep && dep->metadata.name == "web")
            return !condition(*dep, "ReplicaFailure") && dep->status.available_replicas == 2;
        return false;
      },
      kWait));
  REQUIRE(cluster.wait_for(
      api::ReplicaSet::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) { return !failure_of_rs(objs).has_value(); },
      kWait));
}
