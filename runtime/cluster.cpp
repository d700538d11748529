#include "runtime/cluster.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include <filesystem>
#include <mutex>
#include <set>

#include "actors/client/blocking_client.hpp"
#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/common/context.hpp"
#include "actors/controllers/controller_manager.hpp"
#include "api/types/taint_util.hpp"
#include "actors/kubelet/kubelet.hpp"
#include "actors/metrics/metrics_server.hpp"
#include "actors/proxy/proxy.hpp"
#include "actors/scheduler/scheduler.hpp"
#include "actors/tokens/jwt.hpp"
#include "api/codec/object_codec.hpp"
#include "api/types/all.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/control_plane.hpp"
#include "runtime/pod_network.hpp"
#include "runtime/real_clock.hpp"
#include "runtime/roles.hpp"

namespace kactor {

struct Cluster::Impl {
  ClusterOptions options;
  std::unique_ptr<runtime::ActorSystem> system;
  std::unique_ptr<runtime::RealClock> owned_clock;
  Clock* clock = nullptr;
  std::unique_ptr<runtime::ControlPlane> plane;
  caf::actor apiserver;
  std::unique_ptr<client::InformerFactory> informers;
  actors::Context ctx;
  std::unique_ptr<client::BlockingClient> client;
  actors::controllers::ControllerManager controllers;
  /// The cloud provider ClusterOptions::cloud_provider spawned (invalid: the simulated one).
  caf::actor given_cloud;
  caf::actor scheduler;
  caf::actor metrics;
  struct Node {
    caf::actor kubelet;
    caf::actor proxy;
  };
  /// Guards `nodes`: the metrics server and the HTTP API look kubelets up from their threads.
  mutable std::mutex nodes_mutex;
  std::map<std::string, Node> nodes;
  size_t next_node_index = 0;
  /// Every node name started, stopped ones included: their Node objects keep their subnets.
  std::set<std::string> started_names;
  /// Node subnets in the pod network (options.cluster_cidr, resolved).
  size_t node_subnets = 0;
  bool stopped = false;
};

namespace {

api::ResourceList default_capacity() {
  return {{"cpu", *api::Quantity::parse("4")},
          {"memory", *api::Quantity::parse("8Gi")},
          {"pods", *api::Quantity::parse("110")}};
}

}  // namespace

size_t count_ready_nodes(const std::vector<api::ObjectPtr>& nodes) {
  size_t ready = 0;
  for (const auto& o : nodes) {
    auto n = api::as<api::Node>(o);
    if (!n) continue;
    const auto* c = n->status.condition("Ready");
    if (!c || c->status != "True") continue;
    // Until the node lifecycle controller has taken its not-ready taint off (it goes on
    // while a new node waits for its pod network), the scheduler would still pass it over.
    bool tainted = std::any_of(n->spec.taints.begin(), n->spec.taints.end(), [](auto& t) {
      return t.key == api::kTaintNodeNotReady || t.key == api::kTaintNodeUnreachable;
    });
    if (!tainted) ++ready;
  }
  return ready;
}

Cluster::Cluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

api::Result<std::unique_ptr<Cluster>> Cluster::start(ClusterOptions options) {
  // The pod network first: a cluster whose nodes cannot all get a subnet is refused before
  // anything starts (otherwise the nodes past the last subnet stay NotReady, silently).
  const int node_mask = actors::controllers::ControllerManagerOptions{}.node_cidr_mask_size;
  const size_t node_count = options.node_list.empty() ? options.nodes : options.node_list.size();
  auto pod_network = runtime::pod_network_for(options.cluster_cidr, node_count, node_mask,
                                              options.apiserver.services.service_cidr);
  if (!pod_network) return api::fail(std::move(pod_network.error()));
  options.cluster_cidr = *pod_network;

  auto im = std::make_unique<Impl>();
  if (options.node_capacity.empty()) options.node_capacity = default_capacity();
  im->options = options;
  im->node_subnets = runtime::node_subnets(options.cluster_cidr, node_mask);
  im->system = std::make_unique<runtime::ActorSystem>(options.threads);
  if (options.clock) {
    im->clock = options.clock;
  } else {
    im->owned_clock = std::make_unique<runtime::RealClock>();
    im->clock = im->owned_clock.get();
  }
  if (!options.apiserver.tokens.issuer) {
    auto issuer = runtime::token_issuer_for(options.data_dir);
    if (!issuer) return api::fail(issuer.error());
    options.apiserver.tokens.issuer = std::move(*issuer);
  }
  im->options.apiserver.tokens.issuer = options.apiserver.tokens.issuer;
  runtime::ControlPlaneOptions cp;
  cp.data_dir = options.data_dir;
  cp.durability = options.durability;
  cp.seed = options.seed;
  cp.clock = im->clock;
  cp.apiserver = options.apiserver;
  cp.supervision = options.supervision;
  auto plane = runtime::ControlPlane::start(im->system->get(), cp);
  if (!plane) return api::fail(plane.error());
  im->plane = std::move(*plane);
  im->apiserver = im->plane->apiserver();
  im->informers =
      std::make_unique<client::InformerFactory>(im->system->get(), im->apiserver, *im->clock);
  im->ctx.system = &im->system->get();
  im->ctx.apiserver = &im->apiserver;
  im->ctx.clock = im->clock;
  im->ctx.informers = im->informers.get();
  im->ctx.seed = options.seed;
  im->client = std::make_unique<client::BlockingClient>(im->system->get(), im->apiserver);

  // The same pieces the role processes start (runtime/roles.hpp), here over the local API server.
  auto manager = runtime::start_controller_manager(
      im->ctx, options, [impl = im.get()](const std::string& node) -> std::optional<caf::actor> {
        std::lock_guard lock(impl->nodes_mutex);
        auto it = impl->nodes.find(node);
        if (it == impl->nodes.end() || !it->second.kubelet) return std::nullopt;
        return it->second.kubelet;
      });
  if (!manager) return api::fail(manager.error());
  im->metrics = manager->metrics;
  im->controllers = std::move(manager->controllers);
  im->given_cloud = manager->given_cloud;
  if (options.scheduler) im->scheduler = runtime::start_scheduler(im->ctx, options);

  std::unique_ptr<Cluster> cluster(new Cluster(std::move(im)));
  std::vector<NodeOptions> nodes = options.node_list;
  if (nodes.empty())
    for (size_t i = 0; i < options.nodes; ++i) nodes.push_back({});
  for (auto& n : nodes)
    if (auto added = cluster->add_node(std::move(n)); !added) return api::fail(added.error());
  return cluster;
}

Cluster::~Cluster() {
  shutdown();
}

client::BlockingClient& Cluster::client() {
  return *impl_->client;
}
caf::actor_system& Cluster::system() {
  return impl_->system->get();
}
const caf::actor& Cluster::apiserver() const {
  return impl_->apiserver;
}
Clock& Cluster::clock() {
  return *impl_->clock;
}
std::shared_ptr<const tokens::TokenIssuer> Cluster::token_issuer() const {
  return impl_->options.apiserver.tokens.issuer;
}

const std::string& Cluster::cluster_cidr() const {
  return impl_->options.cluster_cidr;
}

api::Result<std::string> Cluster::add_node(NodeOptions node) {
  auto& im = *impl_;
  size_t index = im.next_node_index++;
  if (node.name.empty()) node.name = "node-" + std::to_string(index);
  std::unique_lock lock(im.nodes_mutex);
  if (im.nodes.count(node.name)) return api::fail(api::already_exists("nodes", node.name));
  auto ko = runtime::kubelet_options_for(im.options, node, static_cast<int>(index));
  if (!ko) return api::fail(ko.error());
  if (!im.started_names.contains(node.name) && im.started_names.size() >= im.node_subnets)
    return api::fail(runtime::cluster_cidr_invalid(
        im.options.cluster_cidr,
        fmt::format("all its {} node subnets are taken; node {} would stay NotReady",
                    im.node_subnets, node.name)));
  im.started_names.insert(node.name);
  auto started = runtime::start_node(im.ctx, *ko, im.options.supervision);
  Impl::Node n{started.kubelet, started.proxy};
  im.nodes.emplace(node.name, n);
  return node.name;
}

void Cluster::stop_node(const std::string& name) {
  auto& im = *impl_;
  std::lock_guard lock(im.nodes_mutex);
  auto it = im.nodes.find(name);
  if (it == im.nodes.end()) return;
  caf::anon_send(it->second.kubelet, kubelet::kubelet_crash_atom::value);
  caf::anon_send_exit(it->second.proxy, caf::exit_reason::kill);
  im.nodes.erase(it);
}

std::vector<std::string> Cluster::node_names() const {
  std::vector<std::string> out;
  std::lock_guard lock(impl_->nodes_mutex);
  for (const auto& [name, n] : impl_->nodes) out.push_back(name);
  return out;
}

caf::actor Cluster::proxy(const std::string& node) const {
  std::lock_guard lock(impl_->nodes_mutex);
  auto it = impl_->nodes.find(node);
  return it == impl_->nodes.end() ? caf::actor{} : it->second.proxy;
}

caf::actor Cluster::kubelet(const std::string& node) const {
  std::lock_guard lock(impl_->nodes_mutex);
  auto it = impl_->nodes.find(node);
  return it == impl_->nodes.end() ? caf::actor{} : it->second.kubelet;
}

caf::actor Cluster::controller(const std::string& name) const {
  for (auto& [n, actor] : impl_->controllers.controllers)
    if (n == name) return actor;
  return caf::actor{};
}

caf::actor Cluster::cloud() const {
  if (!controller("service-lb-controller")) return caf::actor{};
  return impl_->given_cloud ? impl_->given_cloud : impl_->controllers.cloud;
}

caf::actor Cluster::metrics() const {
  return impl_->metrics;
}

api::Result<std::vector<api::ObjectPtr>> Cluster::apply(std::string_view manifest,
                                                        const runtime::ManifestOptions& options) {
  auto decoded = runtime::parse_manifest(manifest, "manifest", options);
  if (!decoded) return api::fail(decoded.error());
  return apply(*decoded);
}

api::Result<std::vector<api::ObjectPtr>> Cluster::apply(const runtime::Manifest& manifest) {
  std::vector<api::ObjectPtr> out;
  // A refusal names the document and what was applied before it (nothing is rolled back).
  auto refused = [&](const runtime::ManifestObject& doc, api::Status status) {
    std::string applied;
    for (const auto& o : out)
      applied += (applied.empty() ? "" : ", ") + o->type().kind + " " + api::object_key(*o);
    status.message = doc.description + ": " + status.message +
                     "; applied before it: " + (applied.empty() ? "nothing" : applied);
    return api::fail(std::move(status));
  };
  for (const auto& doc : manifest.objects) {
    const auto& obj = doc.object;
    auto created = client().create(*obj);
    if (created) {
      out.push_back(*created);
      continue;
    }
    if (created.error().reason != "AlreadyExists") return refused(doc, created.error());
    // Exists: merge the manifest into it on the server (a strategic merge patch applies to
    // the latest version, so controllers writing meanwhile cause no conflict; fields the
    // manifest leaves out, like an allocated clusterIP, stay).
    auto ns = obj->metadata.namespace_.empty() && obj->type().namespaced ? std::string("default")
                                                                         : obj->metadata.namespace_;
    auto updated =
        client().patch(obj->type(), ns, obj->metadata.name,
                       "application/strategic-merge-patch+json", api::encode_json_string(*obj));
    if (!updated) return refused(doc, updated.error());
    out.push_back(*updated);
  }
  return out;
}

namespace {

/// Subscribes to `inf` and asks `done` after each batch it delivers (and once before the
/// first) until `done` says yes or `deadline` passes; unsubscribes either way. A new
/// subscriber first gets the informer's content (as added, once synced), then every change.
bool follow_informer(caf::actor_system& system, const client::Informer& inf,
                     std::chrono::milliseconds deadline,
                     const std::function<bool(const client::InformerEvents* batch)>& done) {
  caf::scoped_actor self{system};
  self->send(inf.actor, client::subscribe_atom::value, caf::actor_cast<caf::actor>(self));
  const auto until = std::chrono::steady_clock::now() + deadline;
  bool result = done(nullptr);
  while (!result) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    self->receive([&](client::InformerEvents& batch) { result = done(&batch); },
                  caf::after(left) >> [] {});
  }
  self->send(inf.actor, client::unsubscribe_atom::value, caf::actor_cast<caf::actor>(self));
  return result;
}

}  // namespace

bool Cluster::wait_for(const api::TypeInfo& kind,
                       const std::function<bool(const std::vector<api::ObjectPtr>&)>& holds,
                       std::chrono::milliseconds deadline) {
  auto inf = impl_->informers->get(kind);
  // The cache, not the batch: it holds everything the batches built up.
  return follow_informer(system(), inf, deadline, [&](const client::InformerEvents*) {
    return inf.cache->synced() && holds(inf.cache->list());
  });
}

bool Cluster::wait_for_state(const api::TypeInfo& kind,
                             const std::function<bool(const api::Object&)>& seen,
                             std::chrono::milliseconds deadline) {
  auto inf = impl_->informers->get(kind);
  return follow_informer(system(), inf, deadline, [&](const client::InformerEvents* batch) {
    if (!batch) return false;
    bool found = false;
    for (auto& e : batch->events)
      if (e.object && seen(*e.object)) found = true;
    return found;
  });
}

bool Cluster::wait_nodes_ready(size_t count, std::chrono::milliseconds deadline) {
  return wait_for(
      api::Node::static_type(),
      [count](const std::vector<api::ObjectPtr>& nodes) {
        return count_ready_nodes(nodes) >= count;
      },
      deadline);
}

void Cluster::shutdown() {
  auto& im = *impl_;
  if (im.stopped) return;
  im.stopped = true;
  auto& sys = im.system->get();
  using runtime::stop_actor;
  stop_actor(sys, im.metrics);
  std::map<std::string, Impl::Node> nodes;
  {
    std::lock_guard lock(im.nodes_mutex);
    nodes.swap(im.nodes);
  }
  for (auto& [name, n] : nodes) {
    stop_actor(sys, n.kubelet);
    stop_actor(sys, n.proxy);
  }
  stop_actor(sys, im.scheduler);
  for (auto& [name, a] : im.controllers.controllers) stop_actor(sys, a);
  im.controllers.controllers.clear();
  stop_actor(sys, im.controllers.cloud);
  stop_actor(sys, im.given_cloud);
  im.informers->shutdown();
  im.client.reset();
  im.plane->stop();
}

}  // namespace kactor
