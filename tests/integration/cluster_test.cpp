// Whole clusters in one process: nodes, scheduler, controllers, kubelets, proxies.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "actors/client/blocking_client.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

bool ip_in_cidr(const std::string& ip, const std::string& cidr) {
  // /24 node CIDRs: the first three octets match.
  auto prefix = cidr.substr(0, cidr.rfind('.') + 1);
  return ip.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("a 3-node cluster starts and its nodes become Ready", "[cluster]") {
  auto cluster = Cluster::start(seeded_options());
  REQUIRE(cluster.has_value());
  REQUIRE((*cluster)->wait_nodes_ready(3, kWait));
  CHECK((*cluster)->cluster_cidr() == "10.244.0.0/16");
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
  auto started = Cluster::start(seeded_options());
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
  // kube-proxy of every node resolves the service IP to one of them.
  auto svc = cluster.client().get<api::Service>("default", "web");
  REQUIRE(svc.has_value());
  const auto service_ip = (*svc)->spec.cluster_ip;
  REQUIRE_FALSE(service_ip.empty());
  std::set<std::string> endpoint_ips;
  REQUIRE(cluster.wait_for(
      api::Endpoints::static_type(),
      [&](const auto& objs) {
        for (auto& o : objs) {
          auto ep = api::as<api::Endpoints>(o);
          if (ep->metadata.name != "web") continue;
          endpoint_ips.clear();
          for (auto& s : ep->subsets) {
            for (auto& a : s.addresses) endpoint_ips.insert(a.ip);
            for (auto& port : s.ports)
              if (port.port != 80) return false;
          }
          return endpoint_ips.size() == 3;
        }
        return false;
      },
      kWait));
  std::map<std::string, std::string> node_of_ip;  // ready web pod IP -> its node
  {
    auto listed = cluster.client().list<api::Pod>("default");
    REQUIRE(listed.has_value());
    for (auto& p : running_pods({listed->items.begin(), listed->items.end()}, "web"))
      node_of_ip[p->status.pod_ip] = p->spec.node_name;
  }
  for (auto& ip : endpoint_ips) CHECK(node_of_ip.count(ip) == 1);
  for (const auto& node : cluster.node_names()) {
    INFO("through the kube-proxy of " << node);
    REQUIRE(proxy_sees(cluster, node, service_ip, 80, 3));
    for (int i = 0; i < 4; ++i) {
      proxy::Connection conn;
      conn.client_ip = "10.244.200." + std::to_string(10 + i);
      conn.service_ip = service_ip;
      conn.port = 80;
      auto reply = connect_through(cluster, node, conn);
      REQUIRE(reply.has_value());
      CHECK_FALSE(reply->error.has_value());
      REQUIRE(reply->backend.has_value());
      INFO("backend " << reply->backend->to_string() << " on " << reply->node);
      CHECK(endpoint_ips.count(reply->backend->ip) == 1);
      CHECK(reply->backend->port == 80);  // targetPort "http" is the pods' containerPort 80
      CHECK(reply->node == node_of_ip[reply->backend->ip]);
    }
  }
  // A port the Service does not have resolves to nothing.
  proxy::Connection wrong;
  wrong.client_ip = "10.244.200.1";
  wrong.service_ip = service_ip;
  wrong.port = 8080;
  auto refused = connect_through(cluster, cluster.node_names().front(), wrong);
  REQUIRE(refused.has_value());
  CHECK_FALSE(refused->backend.has_value());
  CHECK(refused->error == proxy::ConnectError::unknown_service);

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

  // Deleting the RC deletes its pods (the garbage collector, background propagation, which
  // kubectl asks for; without a policy a core/v1 RC orphans its pods, as upstream).
  client::DeleteOptions background;
  background.propagation_policy = "Background";
  REQUIRE(cluster.client()
              .remove(api::ReplicationController::static_type(), "default", "web", background)
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
  auto started = Cluster::start(seeded_options());
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
  // The scheduler's node informer may still hold a node's not-ready taint when the first
  // attempt runs (the message then names the taint); the taint's removal requeues the pod
  // and the next attempt writes the message below. Wait for it, keeping the last one seen.
  const std::string expected =
      "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No "
      "preemption victims found for incoming pod.";
  std::string message, reason;
  bool bound = false;
  bool settled = cluster.wait_for(
      api::Pod::static_type(),
      [&](const auto& objs) {
        for (auto& o : objs) {
          auto p = api::as<api::Pod>(o);
          if (p->metadata.name != "huge") continue;
          bound = !p->spec.node_name.empty();
          if (bound) return true;
          auto* cond = p->status.condition("PodScheduled");
          if (cond && cond->status == "False") {
            message = cond->message;
            reason = cond->reason;
            return reason == "Unschedulable" && message == expected;
          }
        }
        return false;
      },
      kWait);
  CHECK(settled);
  CHECK_FALSE(bound);
  CHECK(reason == "Unschedulable");
  CHECK(message == expected);
}

TEST_CASE("two clusters in one process do not see each other", "[cluster]") {
  auto one = seeded_options();
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
  auto opts = seeded_options();
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

TEST_CASE("pods keep their IPs when a cluster restarts on its data directory", "[cluster]") {
  auto dir =
      std::filesystem::temp_directory_path() / ("kactor-cluster-ips-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto opts = seeded_options();
  opts.nodes = 1;
  opts.data_dir = (dir / "store").string();
  std::map<std::string, std::string> before;  // pod name -> IP
  {
    auto c = Cluster::start(opts);
    REQUIRE(c.has_value());
    REQUIRE((*c)->wait_nodes_ready(1, kWait));
    // Created in reverse name order, each once the one before runs: they get addresses in
    // creation order, while a restarted kubelet lists them by name, so handing out
    // lowest-free addresses again would give them different ones.
    for (const char* name : {"c", "b", "a"}) {
      api::Pod pod;
      pod.metadata.namespace_ = "default";
      pod.metadata.name = name;
      pod.spec.containers.push_back(api::Container{.name = "app", .image = "pause:3.9"});
      REQUIRE((*c)->client().create(pod).has_value());
      REQUIRE(wait_pod(**c, name, [](const api::Pod& p) {
        return p.status.phase == "Running" && !p.status.pod_ip.empty();
      }));
    }
    auto pods = (*c)->client().list<api::Pod>("default");
    REQUIRE(pods.has_value());
    for (auto& p : pods->items) before[p->metadata.name] = p->status.pod_ip;
  }
  REQUIRE(before.size() == 3);
  CHECK(before.at("c") < before.at("a"));  // the premise: not in name order
  {
    auto c = Cluster::start(opts);
    REQUIRE(c.has_value());
    // The restarted kubelet has taken every pod over once each pod's container counts the
    // restart (the container it ran before is lost) and runs again: the status it wrote then
    // carries the address it chose.
    REQUIRE((*c)->wait_for(
        api::Pod::static_type(),
        [](const std::vector<api::ObjectPtr>& objs) {
          size_t taken_over = 0;
          for (auto& o : objs) {
            auto p = api::as<api::Pod>(o);
            if (!p || p->status.container_statuses.size() != 1) continue;
            const auto& cs = p->status.container_statuses[0];
            if (p->status.phase == "Running" && cs.restart_count >= 1 && cs.state.running)
              ++taken_over;
          }
          return taken_over == 3;
        },
        kWait));
    auto state = kubelet_state(**c, "node-0");
    REQUIRE(state.has_value());
    REQUIRE(state->pods.size() == 3);
    for (auto& p : state->pods) {
      INFO(p.key);
      CHECK(p.phase == "Running");
      CHECK(p.ip == before.at(p.key.substr(p.key.find('/') + 1)));
    }
    for (auto& [name, ip] : before) {
      auto pod = (*c)->client().get<api::Pod>("default", name);
      REQUIRE(pod.has_value());
      CHECK((*pod)->status.pod_ip == ip);
    }
  }
  std::filesystem::remove_all(dir);
}
