// Whole clusters in one process: nodes, scheduler, controllers, kubelets, proxies.
#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "actors/client/blocking_client.hpp"
#include "actors/kubelet/kubelet.hpp"
#include "actors/proxy/messages.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"

using namespace kactor;

namespace {

constexpr auto kWait = std::chrono::seconds(30);

/// examples/manifests/web.yaml: an RC with 3 replicas ("app: web", port named http)
/// behind a Service on port 80 — the manifest the README and the example use.
std::string web_manifest() {
  std::ifstream in(KACTOR_EXAMPLES_DIR "/manifests/web.yaml");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::shared_ptr<const api::Pod>> running_pods(const std::vector<api::ObjectPtr>& objs,
                                                          const std::string& app) {
  std::vector<std::shared_ptr<const api::Pod>> out;
  for (auto& o : objs) {
    auto p = api::as<api::Pod>(o);
    if (!p || p->metadata.labels.count("app") == 0 || p->metadata.labels.at("app") != app) continue;
    if (p->metadata.deletion_timestamp || p->status.phase != "Running" || p->status.pod_ip.empty())
      continue;
    out.push_back(p);
  }
  return out;
}

bool ip_in_cidr(const std::string& ip, const std::string& cidr) {
  // /24 node CIDRs: the first three octets match.
  auto prefix = cidr.substr(0, cidr.rfind('.') + 1);
  return ip.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("a 3-node cluster starts and its nodes become Ready", "[cluster]") {
  auto cluster = Cluster::start({});
  REQUIRE(cluster.has_value());
  REQUIRE((*cluster)->wait_nodes_ready(3, kWait));
  auto nodes = (*cluster)->client().list<api::Node>();
  REQUIRE(nodes.has_value());
  std::set<std::string> cidrs;
  REQUIRE((*cluster)->wait_for(
      api::Node::static_type(),
      [&](const auto& objs) {
        cidrs.clear();
        for (auto& o : objs) {
          auto n = api::as<api::Node>(o);
          if (!n->spec.pod_cidr.empty()) cidrs.insert(n->spec.pod_cidr);
        }
        return cidrs.size() == 3;
      },
      kWait));
}

TEST_CASE("a replication controller's pods run with unique IPs and are replaced", "[cluster]") {
  auto started = Cluster::start({});
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.apply(web_manifest()).has_value());

  std::vector<std::shared_ptr<const api::Pod>> pods;
  REQUIRE(cluster.wait_for(
      api::Pod::static_type(),
      [&](const auto& objs) {
        pods = running_pods(objs, "web");
        return pods.size() == 3;
      },
      kWait));
  std::set<std::string> ips;
  for (auto& p : pods) {
    ips.insert(p->status.pod_ip);
    auto node = cluster.client().get<api::Node>("", p->spec.node_name);
    REQUIRE(node.has_value());
    CHECK(ip_in_cidr(p->status.pod_ip, (*node)->spec.pod_cidr));
    REQUIRE(p->metadata.controller_ref());
    CHECK(p->metadata.controller_ref()->name == "web");
  }
  CHECK(ips.size() == 3);

  // A deleted pod is replaced.
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  auto victim = pods[0]->metadata.name;
  REQUIRE(cluster.client().remove(api::Pod::static_type(), "default", victim, now).has_value());
  REQUIRE(cluster.wait_for(
      api::Pod::static_type(),
      [&](const auto& objs) {
        auto running = running_pods(objs, "web");
        if (running.size() != 3) return false;
        for (auto& p : running)
          if (p->metadata.name == victim) return false;
        return true;
      },
      kWait));

  // The Service's Endpoints hold the three ready pods on the named port, and the
  // kube-proxy of a node resolves the service IP to one of them.
  auto svc = cluster.client().get<api::Service>("default", "web");
  REQUIRE(svc.has_value());
  REQUIRE_FALSE((*svc)->spec.cluster_ip.empty());
  REQUIRE(cluster.wait_for(
      api::Endpoints::static_type(),
      [&](const auto& objs) {
        for (auto& o : objs) {
          auto ep = api::as<api::Endpoints>(o);
          if (ep->metadata.name != "web") continue;
          size_t ready = 0;
          for (auto& s : ep->subsets) {
            ready += s.addresses.size();
            for (auto& port : s.ports)
              if (port.port != 80) return false;
          }
          return ready == 3;
        }
        return false;
      },
      kWait));

  // Scale to 5, then to 2. Before scaling down: each pod's rank, the number of web pods on
  // its node (all five are Running and Ready, so upstream's ranking comes down to it: pods
  // doubled up on a node go first).
  std::map<std::string, int> rank_before;
  for (int replicas : {5, 2}) {
    if (replicas == 2) {
      auto listed = cluster.client().list<api::Pod>("default");
      REQUIRE(listed.has_value());
      std::map<std::string, int> per_node;
      auto web = running_pods(
          std::vector<api::ObjectPtr>(listed->items.begin(), listed->items.end()), "web");
      REQUIRE(web.size() == 5);
      for (auto& p : web) ++per_node[p->spec.node_name];
      for (auto& p : web) rank_before[p->metadata.name] = per_node[p->spec.node_name];
    }
    REQUIRE(cluster.client()
                .patch(api::ReplicationController::static_type(), "default", "web",
                       "application/merge-patch+json",
                       "{\"spec\":{\"replicas\":" + std::to_string(replicas) + "}}")
                .has_value());
    REQUIRE(cluster.wait_for(
        api::Pod::static_type(),
        [&](const auto& objs) {
          size_t alive = 0;
          for (auto& o : objs) {
            auto p = api::as<api::Pod>(o);
            if (p->metadata.labels.count("app") && !p->metadata.deletion_timestamp) ++alive;
          }
          return running_pods(objs, "web").size() == static_cast<size_t>(replicas) &&
                 alive == static_cast<size_t>(replicas);
        },
        kWait));
  }
  // The survivors were never ranked for deletion before a victim.
  auto listed = cluster.client().list<api::Pod>("default");
  REQUIRE(listed.has_value());
  int worst_survivor = 0, best_victim = 100;
  std::set<std::string> survivors;
  for (auto& p : listed->items)
    if (!p->metadata.deletion_timestamp) survivors.insert(p->metadata.name);
  for (auto& [name, rank] : rank_before) {
    if (survivors.count(name))
      worst_survivor = std::max(worst_survivor, rank);
    else
      best_victim = std::min(best_victim, rank);
  }
  CHECK(worst_survivor <= best_victim);

  // Deleting the RC deletes its pods (the garbage collector, background propagation).
  REQUIRE(cluster.client()
              .remove(api::ReplicationController::static_type(), "default", "web")
              .has_value());
  REQUIRE(cluster.wait_for(
      api::Pod::static_type(),
      [&](const auto& objs) {
        for (auto& o : objs)
          if (o->metadata.labels.count("app") && o->metadata.labels.at("app") == "web")
            return false;
        return true;
      },
      kWait));
}

TEST_CASE("pods that fit nowhere stay Pending with the upstream message", "[cluster]") {
  auto started = Cluster::start({});
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(3, kWait));
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = "huge";
  api::Container c;
  c.name = "app";
  c.image = "busybox";
  c.resources.requests["cpu"] = *api::Quantity::parse("64");
  pod.spec.containers.push_back(c);
  REQUIRE(cluster.client().create(pod).has_value());
  std::string message;
  REQUIRE(cluster.wait_for(
      api::Pod::static_type(),
      [&](const auto& objs) {
        for (auto& o : objs) {
          auto p = api::as<api::Pod>(o);
          if (p->metadata.name != "huge") continue;
          auto* cond = p->status.condition("PodScheduled");
          if (cond && cond->status == "False") {
            message = cond->message;
            return cond->reason == "Unschedulable";
          }
        }
        return false;
      },
      kWait));
  CHECK(message == "0/3 nodes are available: 3 Insufficient cpu.");
}

TEST_CASE("two clusters in one process do not see each other", "[cluster]") {
  ClusterOptions one;
  one.nodes = 1;
  auto a = Cluster::start(one);
  auto b = Cluster::start(one);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "only-in-a";
  REQUIRE((*a)->client().create(cm).has_value());
  CHECK((*a)->client().get<api::ConfigMap>("default", "only-in-a").has_value());
  CHECK_FALSE((*b)->client().get<api::ConfigMap>("default", "only-in-a").has_value());
}

TEST_CASE("a cluster restarted on its data directory has the same state", "[cluster]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("kactor-cluster-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ClusterOptions opts;
  opts.nodes = 1;
  opts.data_dir = (dir / "store").string();
  std::string uid, rv, cluster_ip;
  {
    auto c = Cluster::start(opts);
    REQUIRE(c.has_value());
    REQUIRE((*c)->apply(web_manifest()).has_value());
    auto svc = (*c)->client().get<api::Service>("default", "web");
    REQUIRE(svc.has_value());
    uid = (*svc)->metadata.uid;
    rv = (*svc)->metadata.resource_version;
    cluster_ip = (*svc)->spec.cluster_ip;
  }
  {
    auto c = Cluster::start(opts);
    REQUIRE(c.has_value());
    auto svc = (*c)->client().get<api::Service>("default", "web");
    REQUIRE(svc.has_value());
    CHECK((*svc)->metadata.uid == uid);
    CHECK((*svc)->metadata.resource_version == rv);
    CHECK((*svc)->spec.cluster_ip == cluster_ip);
    // `kactor up` applies its manifests again on every start, while the controllers are
    // already writing: that merges, keeps what was allocated, and changes what changed.
    auto manifest = web_manifest();
    auto at = manifest.find("replicas: 3");
    REQUIRE(at != std::string::npos);
    manifest.replace(at, 11, "replicas: 2");
    REQUIRE((*c)->apply(manifest).has_value());
    auto again = (*c)->client().get<api::Service>("default", "web");
    REQUIRE(again.has_value());
    CHECK((*again)->metadata.uid == uid);
    CHECK((*again)->spec.cluster_ip == cluster_ip);
    auto rc = (*c)->client().get<api::ReplicationController>("default", "web");
    REQUIRE(rc.has_value());
    CHECK((*rc)->spec.replicas == 2);
  }
  std::filesystem::remove_all(dir);
}

namespace {

/// Asks a kubelet what it runs, until `holds` is true of the answer or the deadline passes.
std::optional<kubelet::KubeletState> await_kubelet(
    Cluster& cluster, const std::string& node,
    const std::function<bool(const kubelet::KubeletState&)>& holds) {
  caf::scoped_actor self{cluster.system()};
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::optional<kubelet::KubeletState> got;
    self->request(cluster.kubelet(node), std::chrono::seconds(5),
                  kubelet::kubelet_state_atom::value)
        .receive([&](kubelet::KubeletState& s) { got = std::move(s); }, [](caf::error&) {});
    if (got && holds(*got)) return got;
    // The kubelet answers at once; pause briefly so polling does not starve it.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("pods keep their IPs when a cluster restarts on its data directory", "[cluster]") {
  auto dir =
      std::filesystem::temp_directory_path() / ("kactor-cluster-ips-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ClusterOptions opts;
  opts.nodes = 1;
  opts.data_dir = (dir / "store").string();
  auto all_running = [](const kubelet::KubeletState& s) {
    if (s.pods.size() != 3) return false;
    for (auto& p : s.pods)
      if (p.phase != "Running" || p.ip.empty()) return false;
    return true;
  };
  std::map<std::string, std::string> before;  // pod name -> IP
  {
    auto c = Cluster::start(opts);
    REQUIRE(c.has_value());
    REQUIRE((*c)->wait_nodes_ready(1));
    // Created in reverse name order: they get addresses in creation order, while a
    // restarted kubelet lists them by name, so handing out lowest-free addresses again
    // would give them different ones.
    for (const char* name : {"c", "b", "a"}) {
      api::Pod pod;
      pod.metadata.namespace_ = "default";
      pod.metadata.name = name;
      pod.spec.containers.push_back(api::Container{.name = "app", .image = "pause:3.9"});
      REQUIRE((*c)->client().create(pod).has_value());
      REQUIRE(await_kubelet(**c, "node-0", [&](const kubelet::KubeletState& s) {
        for (auto& p : s.pods)
          if (p.key == std::string("default/") + name) return p.phase == "Running";
        return false;
      }));
    }
    REQUIRE((*c)->wait_for(
        api::Pod::static_type(),
        [&](const auto& objs) {
          before.clear();
          for (auto& o : objs)
            if (auto p = api::as<api::Pod>(o); p && !p->status.pod_ip.empty())
              before[p->metadata.name] = p->status.pod_ip;
          return before.size() == 3;
        },
        kWait));
  }
  CHECK(before.at("c") < before.at("a"));  // the premise: not in name order
  {
    auto c = Cluster::start(opts);
    REQUIRE(c.has_value());
    auto state = await_kubelet(**c, "node-0", all_running);
    REQUIRE(state.has_value());
    for (auto& p : state->pods) CHECK(p.ip == before.at(p.key.substr(p.key.find('/') + 1)));
    for (auto& [name, ip] : before) {
      auto pod = (*c)->client().get<api::Pod>("default", name);
      REQUIRE(pod.has_value());
      CHECK((*pod)->status.pod_ip == ip);
    }
  }
  std::filesystem::remove_all(dir);
}
