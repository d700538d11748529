// A cluster heals itself when a node dies (node lifecycle and taint eviction controllers),
// all under a VirtualClock: the node turns Unknown after the grace period and is tainted, its
// pods leave the Service's endpoints and the proxies at once, they are evicted when their
// tolerationSeconds run out, and the ReplicationController runs replacements elsewhere.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/client/blocking_client.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/pod_util.hpp"
#include "api/types/taint_util.hpp"
#include "tests/integration/cluster_support.hpp"
#include "tests/integration/virtual_time.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

constexpr Duration kLeaseInterval = 10s;  // the kubelet's default

std::shared_ptr<const api::Node> find_node(const std::vector<api::ObjectPtr>& objs,
                                           const std::string& name) {
  for (auto& o : objs)
    if (auto n = api::as<api::Node>(o); n && n->metadata.name == name) return n;
  return nullptr;
}

std::string ready_of(const api::Node& n) {
  const auto* c = n.status.condition("Ready");
  return c ? c->status : "";
}

bool has_taint(const api::Node& n, const char* key, const char* effect) {
  return api::find_taint(n.spec.taints, key, effect) != nullptr;
}

std::vector<std::shared_ptr<const api::Pod>> pods_on(const std::vector<api::ObjectPtr>& objs,
                                                     const std::string& node) {
  std::vector<std::shared_ptr<const api::Pod>> out;
  for (auto& o : objs)
    if (auto p = api::as<api::Pod>(o); p && p->spec.node_name == node) out.push_back(p);
  return out;
}

/// A cluster on `clock`, with the given nodes (name → zone, "" for none).
std::unique_ptr<Cluster> start_cluster(VirtualClock& clock,
                                       const std::vector<std::pair<std::string, std::string>>& nodes) {
  auto opts = seeded_options();
  opts.clock = &clock;
  opts.node_lease_interval = kLeaseInterval;
  for (auto& [name, zone] : nodes) {
    NodeOptions n{.name = name};
    if (!zone.empty()) n.labels["topology.kubernetes.io/zone"] = zone;
    opts.node_list.push_back(std::move(n));
  }
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  REQUIRE((*started)->wait_nodes_ready(nodes.size(), kWait));
  return std::move(*started);
}

/// A pod bound to `node` with the given tolerations (the admission adds the 300 s defaults
/// for the taints these do not cover).
api::Pod bound_pod(const std::string& name, const std::string& node,
                   std::vector<api::Toleration> tolerations = {}) {
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = name;
  pod.spec.node_name = node;
  pod.spec.tolerations = std::move(tolerations);
  pod.spec.containers.push_back(api::Container{.name = "app", .image = "pause:3.9"});
  return pod;
}

}  // namespace

TEST_CASE("a node that stops is marked Unknown, its pods leave the endpoints and are replaced",
          "[nodefailure]") {
  const auto wall_start = std::chrono::steady_clock::now();
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock, {{"node-0", ""}, {"node-1", ""}, {"node-2", ""}});
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);
  REQUIRE(cluster.apply(web_manifest()).has_value());
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        auto running = running_pods(objs, "web");
        return running.size() == 3 &&
               std::all_of(running.begin(), running.end(), [](auto& p) { return api::is_ready(*p); });
      },
      60s));
  auto svc = cluster.client().get<api::Service>("default", "web");
  REQUIRE(svc.has_value());
  const auto cluster_ip = (*svc)->spec.cluster_ip;

  // The node that runs the most web pods goes.
  std::map<std::string, int> per_node;
  auto all = cluster.client().list<api::Pod>("default");
  REQUIRE(all.has_value());
  for (auto& p : all->items) per_node[p->spec.node_name]++;
  REQUIRE_FALSE(per_node.empty());
  auto most = std::max_element(per_node.begin(), per_node.end(),
                               [](auto& a, auto& b) { return a.second < b.second; });
  const std::string victim = most->first;
  const int lost = most->second;
  std::string survivor = victim == "node-0" ? "node-1" : "node-0";
  REQUIRE(proxy_sees(cluster, survivor, cluster_ip, 80, 3));
  INFO("stopping " << victim << ", which runs " << lost << " of the 3 web pods");
  cluster.stop_node(victim);
  const auto stopped_at = clock.now();

  // After the grace period (50 s, noticed at the next 5 s monitor pass): Unknown, with
  // upstream's reason and message, and tainted unreachable (NoSchedule and NoExecute).
  REQUIRE(time.advance_until(
      api::Node::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto n = find_node(objs, victim);
        return n && ready_of(*n) == "Unknown" &&
               has_taint(*n, api::kTaintNodeUnreachable, "NoExecute") &&
               has_taint(*n, api::kTaintNodeUnreachable, "NoSchedule");
      },
      120s));
  auto node = cluster.client().get<api::Node>("", victim);
  REQUIRE(node.has_value());
  const auto* ready = (*node)->status.condition("Ready");
  REQUIRE(ready);
  // Not before the grace period after the last heartbeat (which came up to one interval
  // before the stop). (No upper bound: under virtual time the cluster may lag the clock by
  // a step or two, more on a busy machine.)
  CHECK(ready->last_transition_time.value - stopped_at >= 50s - kLeaseInterval);
  CHECK(ready->reason == "NodeStatusUnknown");
  CHECK(ready->message == "Kubelet stopped posting node status.");
  CHECK((*node)->status.condition("MemoryPressure")->status == "Unknown");
  const auto* unreachable =
      api::find_taint((*node)->spec.taints, api::kTaintNodeUnreachable, "NoExecute");
  REQUIRE(unreachable);
  REQUIRE(unreachable->time_added.has_value());
  const auto tainted_at = unreachable->time_added->value;
  // The healthy nodes stay Ready and untainted.
  for (const auto& name : cluster.node_names()) {
    auto n = cluster.client().get<api::Node>("", name);
    REQUIRE(n.has_value());
    CHECK(ready_of(**n) == "True");
    CHECK((*n)->spec.taints.empty());
  }

  // Its pods are not Ready at once, so the Service's endpoints and every proxy drop them.
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto on = pods_on(objs, victim);
        return !on.empty() &&
               std::none_of(on.begin(), on.end(), [](auto& p) { return api::is_ready(*p); });
      },
      10s));
  REQUIRE(time.advance_until(
      api::Endpoints::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs) {
          auto ep = api::as<api::Endpoints>(o);
          if (!ep || ep->metadata.name != "web") continue;
          size_t ready = 0, not_ready = 0;
          for (auto& s : ep->subsets) {
            ready += s.addresses.size();
            not_ready += s.not_ready_addresses.size();
          }
          return ready == size_t(3 - lost) && not_ready == size_t(lost);
        }
        return false;
      },
      10s));
  CHECK(proxy_sees(cluster, survivor, cluster_ip, 80, 3 - lost));
  // Nothing is evicted before the pods' 300 s toleration of unreachable has run out.
  time.advance(250s);
  auto pods = cluster.client().list<api::Pod>("default");
  REQUIRE(pods.has_value());
  for (auto& p : pods->items)
    if (p->spec.node_name == victim) CHECK_FALSE(p->metadata.deletion_timestamp.has_value());

  // Then they are evicted (DisruptionTarget, deleted) and replaced on the other nodes.
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto on = pods_on(objs, victim);
        return std::all_of(on.begin(), on.end(),
                           [](auto& p) { return p->metadata.deletion_timestamp.has_value(); });
      },
      120s));

  pods = cluster.client().list<api::Pod>("default");
  REQUIRE(pods.has_value());
  for (auto& p : pods->items) {
    if (p->spec.node_name != victim) continue;
    const auto* target = p->status.condition("DisruptionTarget");
    REQUIRE(target);
    CHECK(target->status == "True");
    CHECK(target->reason == "DeletionByTaintManager");
    // Evicted once their 300 s toleration of the taint had run out.
    CHECK(target->last_transition_time.value - tainted_at >= 300s);
  }
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto running = running_pods(objs, "web");
        return running.size() == 3 &&
               std::all_of(running.begin(), running.end(), [&](auto& p) {
                 return p->spec.node_name != victim && api::is_ready(*p);
               });
      },
      60s));
  CHECK(proxy_sees(cluster, survivor, cluster_ip, 80, 3));

  // The node comes back: Ready again, its taints go.
  REQUIRE(cluster.add_node({.name = victim}).has_value());
  REQUIRE(time.advance_until(
      api::Node::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto n = find_node(objs, victim);
        return n && ready_of(*n) == "True" && n->spec.taints.empty();
      },
      60s));
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - wall_start);
  WARN("virtual " << std::chrono::duration_cast<std::chrono::seconds>(clock.now() - stopped_at).count()
                  << " s of cluster time after the stop took " << wall.count() << " ms of wall time");
}

TEST_CASE("a pod tolerating unreachable for 60 s goes after 60 s, one tolerating it for ever stays",
          "[nodefailure]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock, {{"node-0", ""}, {"node-1", ""}, {"node-2", ""}});
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);
  api::Toleration for_60{.key = api::kTaintNodeUnreachable,
                         .operator_ = "Exists",
                         .effect = "NoExecute",
                         .toleration_seconds = 60};
  api::Toleration for_ever{.key = api::kTaintNodeUnreachable, .operator_ = "Exists", .effect = "NoExecute"};
  REQUIRE(cluster.client().create(bound_pod("brief", "node-1", {for_60})).has_value());
  REQUIRE(cluster.client().create(bound_pod("loyal", "node-1", {for_ever})).has_value());
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        return pods_on(objs, "node-1").size() == 2 &&
               std::all_of(objs.begin(), objs.end(), [](auto& o) {
                 auto p = api::as<api::Pod>(o);
                 return !p || p->status.phase == "Running";
               });
      },
      30s));
  cluster.stop_node("node-1");
  REQUIRE(time.advance_until(
      api::Node::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto n = find_node(objs, "node-1");
        return n && has_taint(*n, api::kTaintNodeUnreachable, "NoExecute");
      },
      120s));
  auto node = cluster.client().get<api::Node>("", "node-1");
  REQUIRE(node.has_value());
  const auto tainted_at =
      api::find_taint((*node)->spec.taints, api::kTaintNodeUnreachable, "NoExecute")->time_added->value;

  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& p : pods_on(objs, "node-1"))
          if (p->metadata.name == "brief") return p->metadata.deletion_timestamp.has_value();
        return true;  // gone already counts
      },
      120s));
  auto brief = cluster.client().get<api::Pod>("default", "brief");
  REQUIRE(brief.has_value());
  const auto* target = (*brief)->status.condition("DisruptionTarget");
  REQUIRE(target);
  CHECK(target->reason == "DeletionByTaintManager");
  CHECK(target->last_transition_time.value - tainted_at >= 60s);
  CHECK(target->last_transition_time.value - tainted_at < 300s);  // not the 300 s default
  // The loyal one stays, long past every default.
  time.advance(400s);
  auto loyal = cluster.client().get<api::Pod>("default", "loyal");
  REQUIRE(loyal.has_value());
  CHECK_FALSE((*loyal)->metadata.deletion_timestamp.has_value());
  CHECK((*loyal)->status.condition("DisruptionTarget") == nullptr);
}

TEST_CASE("one zone down in a multi-zone cluster: its nodes are tainted at the limited rate",
          "[nodefailure]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock, {{"a-0", "a"}, {"a-1", "a"}, {"a-2", "a"},
                                           {"b-0", "b"}, {"b-1", "b"}, {"b-2", "b"}});
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);
  for (const char* n : {"a-0", "a-1", "a-2"})
    REQUIRE(cluster.client().create(bound_pod(std::string("on-") + n, n)).has_value());
  for (const char* n : {"a-0", "a-1", "a-2"}) cluster.stop_node(n);

  // Zone a is fully disrupted, zone b is not: a's nodes get their NoExecute taint one per
  // 1/0.1 s = 10 s (upstream's --node-eviction-rate), the first at once.
  std::vector<TimePoint> tainted;
  REQUIRE(time.advance_until(
      api::Node::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        tainted.clear();
        for (const char* n : {"a-0", "a-1", "a-2"}) {
          auto node = find_node(objs, n);
          const auto* t = node ? api::find_taint(node->spec.taints, api::kTaintNodeUnreachable,
                                                 "NoExecute")
                               : nullptr;
          if (t && t->time_added) tainted.push_back(t->time_added->value);
        }
        return tainted.size() == 3;
      },
      200s));
  std::sort(tainted.begin(), tainted.end());
  CHECK(tainted[1] - tainted[0] >= 10s - 1s);  // timeAdded has whole seconds
  CHECK(tainted[2] - tainted[1] >= 10s - 1s);
  // Zone b is untouched.
  for (const char* n : {"b-0", "b-1", "b-2"}) {
    auto node = cluster.client().get<api::Node>("", n);
    REQUIRE(node.has_value());
    CHECK((*node)->spec.taints.empty());
  }
  // Their pods go 300 s after their node's taint.
  std::map<std::string, TimePoint> taint_of;  // node → its NoExecute taint's timeAdded
  for (const char* n : {"a-0", "a-1", "a-2"}) {
    auto node = cluster.client().get<api::Node>("", n);
    REQUIRE(node.has_value());
    taint_of[n] = api::find_taint((*node)->spec.taints, api::kTaintNodeUnreachable, "NoExecute")
                      ->time_added->value;
  }
  std::vector<std::pair<TimePoint, std::string>> evicted;  // when, and from which node
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        evicted.clear();
        for (auto& o : objs) {
          auto p = api::as<api::Pod>(o);
          if (!p || !p->metadata.deletion_timestamp) continue;
          if (const auto* target = p->status.condition("DisruptionTarget"))
            evicted.emplace_back(target->last_transition_time.value, p->spec.node_name);
        }
        return evicted.size() == 3;
      },
      400s));
  std::sort(evicted.begin(), evicted.end());
  // Each no sooner than 300 s after its node's taint. (How far apart they end up is not
  // checked: the eviction controller counts from when it saw each taint written, and under
  // virtual time a write may land a few steps after the decision that the timeAdded records.)
  for (auto& [at, node] : evicted) CHECK(at - taint_of[node] >= 300s);
}

TEST_CASE("every zone down: nodes turn Unknown but nothing is evicted", "[nodefailure]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock, {{"a-0", "a"}, {"b-0", "b"}});
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);
  REQUIRE(cluster.client().create(bound_pod("on-a", "a-0")).has_value());
  REQUIRE(cluster.client().create(bound_pod("on-b", "b-0")).has_value());
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        return std::all_of(objs.begin(), objs.end(), [](auto& o) {
          auto p = api::as<api::Pod>(o);
          return !p || p->status.phase == "Running";
        });
      },
      30s));
  cluster.stop_node("a-0");
  cluster.stop_node("b-0");
  REQUIRE(time.advance_until(
      api::Node::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto a = find_node(objs, "a-0");
        auto b = find_node(objs, "b-0");
        return a && b && ready_of(*a) == "Unknown" && ready_of(*b) == "Unknown";
      },
      240s));
  time.advance(600s);
  for (const char* n : {"a-0", "b-0"}) {
    auto node = cluster.client().get<api::Node>("", n);
    REQUIRE(node.has_value());
    CHECK_FALSE(api::find_taint((*node)->spec.taints, api::kTaintNodeUnreachable, "NoExecute"));
  }
  auto pods = cluster.client().list<api::Pod>("default");
  REQUIRE(pods.has_value());
  REQUIRE(pods->items.size() == 2);
  for (auto& p : pods->items) CHECK_FALSE(p->metadata.deletion_timestamp.has_value());
}

TEST_CASE("the pods of a Node that is deleted, or marked out of service, are force-deleted",
          "[nodefailure]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock, {{"node-0", ""}, {"node-1", ""}, {"node-2", ""}});
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);
  REQUIRE(cluster.client().create(bound_pod("on-1", "node-1")).has_value());
  REQUIRE(cluster.client().create(bound_pod("on-2", "node-2")).has_value());
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        return std::all_of(objs.begin(), objs.end(), [](auto& o) {
          auto p = api::as<api::Pod>(o);
          return !p || p->status.phase == "Running";
        });
      },
      30s));
  cluster.stop_node("node-1");
  cluster.stop_node("node-2");

  // node-1's Node object is deleted (as `kubectl delete node` would): its pod is orphaned and
  // force-deleted after the 40 s quarantine, with DisruptionTarget DeletionByPodGC.
  REQUIRE(cluster.client().remove(api::Node::static_type(), "", "node-1").has_value());
  const auto deleted_at = clock.now();
  // node-2 is declared out of service: once it is not Ready, its pod (evicted at once, as it
  // does not tolerate the taint) is force-deleted instead of staying Terminating.
  auto node2 = cluster.client().get<api::Node>("", "node-2");
  REQUIRE(node2.has_value());
  api::Node tainted = **node2;
  tainted.spec.taints.push_back(
      api::Taint{.key = "node.kubernetes.io/out-of-service", .value = "nodeshutdown", .effect = "NoExecute"});
  REQUIRE(cluster.client().update(tainted).has_value());

  auto gone = [&](const char* name) {
    return [name](const std::vector<api::ObjectPtr>& objs) {
      return std::none_of(objs.begin(), objs.end(),
                          [&](auto& o) { return o->metadata.name == name; });
    };
  };
  REQUIRE(time.advance_until(api::Pod::static_type(), gone("on-1"), 120s));
  CHECK(clock.now() - deleted_at >= 40s);
  REQUIRE(time.advance_until(api::Pod::static_type(), gone("on-2"), 180s));
  auto node = cluster.client().get<api::Node>("", "node-2");
  REQUIRE(node.has_value());
  CHECK(ready_of(**node) == "Unknown");
}
