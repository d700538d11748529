// The service controller (kube-controller-manager's service-lb-controller): a load balancer
// in the cloud for every Service of type LoadBalancer, its address in
// status.loadBalancer.ingress, its hosts kept to the ready nodes, and the load balancer
// deleted (behind the service.kubernetes.io/load-balancer-cleanup finalizer) when the
// Service goes or stops being a LoadBalancer. Services with spec.loadBalancerClass belong to
// another implementation and are left alone. docs/cloud.md describes the behaviour.
#include <algorithm>
#include <map>
#include <optional>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/cloud/cloud_provider.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

constexpr const char* kCleanupFinalizer = "service.kubernetes.io/load-balancer-cleanup";
constexpr const char* kExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";

using ServicePtr = std::shared_ptr<const api::Service>;
using Finish = ControllerLoop::Finish;

bool has_finalizer(const api::Service& svc) {
  const auto& f = svc.metadata.finalizers;
  return std::find(f.begin(), f.end(), kCleanupFinalizer) != f.end();
}

/// Upstream's wantsLoadBalancer: type LoadBalancer and no other implementation named.
bool wants_load_balancer(const api::Service& svc) {
  return svc.spec.type == "LoadBalancer" && !svc.spec.load_balancer_class;
}

/// Upstream's needsCleanup: our finalizer is on a Service that is going or no longer wants
/// a load balancer.
bool needs_cleanup(const api::Service& svc) {
  return has_finalizer(svc) && (svc.metadata.deletion_timestamp || !wants_load_balancer(svc));
}

/// A node that should receive load-balancer traffic: Ready, not going away, not excluded by
/// the label. (Upstream 1.30+ keeps not-ready nodes in the set, StableLoadBalancerNodeSet;
/// issue 11 asks for the ready ones, as upstream did before.)
bool is_lb_host(const api::Node& node) {
  if (node.metadata.deletion_timestamp || node.metadata.labels.contains(kExcludeLabel))
    return false;
  const auto* ready = node.status.condition("Ready");
  return ready && ready->status == "True";
}

/// Upstream's loggableNodeNames: at most 5 node names, Go's %v of a slice ("[a b]").
std::string loggable_node_names(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size() && i < 5; ++i) out += (i ? " " : "") + v[i];
  return out + "]";
}

std::optional<api::Status> outcome(const api::Status& s) { return s; }

class ServiceController : public std::enable_shared_from_this<ServiceController> {
 public:
  ServiceController(caf::event_based_actor* self, const Context& ctx, int workers,
                    caf::actor cloud, std::string cluster_name)
      : loop_(self, ctx, "service-lb-controller", workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, "service-controller"),
        cloud_(self, std::move(cloud)),
        cluster_name_(std::move(cluster_name)) {}

  caf::behavior start() {
    services_ = loop_.watch(api::Service::static_type(), loop_.enqueue_key()).cache;
    nodes_ = loop_
                 .watch(api::Node::static_type(),
                        [this](const client::InformerEvent& e) { on_node_event(e); })
                 .cache;
    return loop_.run(shared_from_this());
  }

 private:
  /// What this controller last had the cloud provision for a Service.
  struct Provisioned {
    ServicePtr service;
    std::vector<std::string> hosts;
  };

  std::vector<std::string> current_hosts() const {
    std::vector<std::string> out;
    for (auto& o : nodes_->list())
      if (auto node = api::as<api::Node>(o); node && is_lb_host(*node))
        out.push_back(node->metadata.name);
    std::sort(out.begin(), out.end());
    return out;
  }

  /// Only a node that joins or leaves the host set can change it (upstream
  /// shouldSyncUpdatedNode): a heartbeat — every node, every few seconds — must not
  /// recompute the set over all nodes, which at 5,000 nodes made this loop quadratic.
  void on_node_event(const client::InformerEvent& e) {
    using Type = client::InformerEvent::Type;
    if (e.type == Type::updated) {
      auto before = api::as<api::Node>(e.old);
      auto after = api::as<api::Node>(e.object);
      if (before && after && is_lb_host(*before) == is_lb_host(*after)) return;
    }
    on_node_change();
  }

  /// A change of the host set revisits every Service this controller provisioned.
  void on_node_change() {
    // Nothing provisioned, nothing to revisit: skip building the host set (a cluster's
    // nodes registering one by one made that quadratic). The set is unknown from then on,
    // so the next change after a provisioning revisits everything.
    if (provisioned_.empty()) {
      last_hosts_.reset();
      return;
    }
    auto hosts = current_hosts();
    if (hosts == last_hosts_) return;
    last_hosts_ = std::move(hosts);
    for (auto& [key, p] : provisioned_) loop_.enqueue(key);
  }

  cloud::LoadBalancerRequest request_for(ServicePtr svc, std::vector<std::string> hosts = {}) {
    return cloud::LoadBalancerRequest{cluster_name_, std::move(svc), std::move(hosts)};
  }

  void sync(const std::string& key, Finish finish) {
    auto svc = api::as<api::Service>(services_->get(key));
    if (!svc || (svc->metadata.deletion_timestamp && !has_finalizer(*svc))) {
      // Going or gone without our finalizer (someone removed it): the load balancer still goes.
      auto it = provisioned_.find(key);
      if (it == provisioned_.end()) return finish(std::nullopt);
      auto old = it->second.service;
      return cloud_.ensure_load_balancer_deleted(
          request_for(old), [this, key, finish](cloud::LoadBalancerReply r) {
            if (r.error) return finish(outcome(*r.error));
            provisioned_.erase(key);
            finish(std::nullopt);
          });
    }
    if (needs_cleanup(*svc)) return delete_load_balancer(svc, std::move(finish));
    if (wants_load_balancer(*svc)) return ensure_load_balancer(svc, std::move(finish));
    // Not ours (another type, or another loadBalancerClass), with nothing left to clean up.
    provisioned_.erase(key);
    finish(std::nullopt);
  }

  // -- provisioning ---------------------------------------------------------------------

  void ensure_load_balancer(ServicePtr svc, Finish finish) {
    const auto key = api::object_key(*svc);
    auto hosts = current_hosts();
    // Provisioned for this very spec: only the hosts may need an update.
    if (auto it = provisioned_.find(key);
        it != provisioned_.end() && it->second.service->metadata.uid == svc->metadata.uid &&
        it->second.service->spec == svc->spec && !svc->status.load_balancer.ingress.empty()) {
      if (it->second.hosts == hosts) return finish(std::nullopt);
      return update_hosts(svc, std::move(hosts), std::move(finish));
    }
    // The finalizer goes on before anything exists in the cloud, so the load balancer can
    // never outlive a Service deleted meanwhile.
    if (!has_finalizer(*svc)) {
      api::Service with = *svc;
      with.metadata.finalizers.push_back(kCleanupFinalizer);
      return client_.update<api::Service>(
          with, [this, finish](api::Result<ServicePtr> r) {
            if (!r) return finish(outcome(r.error()));
            ensure_load_balancer(*r, finish);
          });
    }
    events_.record(*svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
    cloud_.ensure_load_balancer(
        request_for(svc, hosts), [this, svc, hosts, finish](cloud::LoadBalancerReply r) {
          if (r.error) {
            events_.record(*svc, "Warning", "SyncLoadBalancerFailed",
                           "Error syncing load balancer: failed to ensure load balancer: " +
                               r.error->message);
            return finish(outcome(*r.error));
          }
          provisioned_[api::object_key(*svc)] = Provisioned{svc, hosts};
          events_.record(*svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer");
          write_status(svc, r.status, finish);
        });
  }

  void update_hosts(ServicePtr svc, std::vector<std::string> hosts, Finish finish) {
    cloud_.update_load_balancer(
        request_for(svc, hosts), [this, svc, hosts, finish](cloud::LoadBalancerReply r) {
          if (r.error) {
            events_.record(*svc, "Warning", "UpdateLoadBalancerFailed",
                           "Error updating load balancer with new hosts " +
                               loggable_node_names(hosts) +
                               " [node names limited, total number of nodes: " +
                               std::to_string(hosts.size()) + "], error: " + r.error->message);
            return finish(outcome(*r.error));
          }
          provisioned_[api::object_key(*svc)].hosts = hosts;
          events_.record(*svc, "Normal", "UpdatedLoadBalancer",
                         "Updated load balancer with new hosts");
          finish(std::nullopt);
        });
  }

  /// status.loadBalancer as the cloud reports it (written only when different).
  void write_status(ServicePtr svc, const api::LoadBalancerStatus& status, Finish finish,
                    std::function<void(ServicePtr)> then = {}) {
    if (svc->status.load_balancer == status) {
      if (then) return then(svc);
      return finish(std::nullopt);
    }
    api::Service next = *svc;
    next.status.load_balancer = status;
    client_.update_status<api::Service>(next, [finish, then](api::Result<ServicePtr> r) {
      // NotFound: the Service is gone (its finalizer removed meanwhile): nothing to report.
      if (!r) return finish(api::is_not_found(r.error()) ? std::nullopt : outcome(r.error()));
      if (then) return then(*r);
      finish(std::nullopt);
    });
  }

  // -- clean-up -------------------------------------------------------------------------

  void delete_load_balancer(ServicePtr svc, Finish finish) {
    events_.record(*svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer");
    cloud_.ensure_load_balancer_deleted(
        request_for(svc), [this, svc, finish](cloud::LoadBalancerReply r) {
          if (r.error) {
            events_.record(*svc, "Warning", "SyncLoadBalancerFailed",
                           "Error syncing load balancer: failed to delete load balancer: " +
                               r.error->message);
            return finish(outcome(*r.error));
          }
          provisioned_.erase(api::object_key(*svc));
          auto remove = [this, finish](ServicePtr fresh) { remove_finalizer(fresh, finish); };
          // A Service that stays (its type changed) no longer reports an address; one being
          // deleted is about to go, so only its finalizer matters.
          if (svc->metadata.deletion_timestamp) return remove(svc);
          write_status(svc, {}, finish, remove);
        });
  }

  void remove_finalizer(ServicePtr svc, Finish finish) {
    api::Service without = *svc;
    std::erase(without.metadata.finalizers, std::string(kCleanupFinalizer));
    client_.update<api::Service>(without, [this, svc, finish](api::Result<ServicePtr> r) {
      if (!r && !api::is_not_found(r.error())) return finish(outcome(r.error()));
      events_.record(*svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer");
      finish(std::nullopt);
    });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  cloud::CloudProvider cloud_;
  std::string cluster_name_;
  std::shared_ptr<const client::Cache> services_, nodes_;
  std::map<std::string, Provisioned> provisioned_;
  /// The host set at the last node change; nullopt: not known.
  std::optional<std::vector<std::string>> last_hosts_;
};

}  // namespace

api::Result<caf::actor> spawn_service_controller(const Context& ctx,
                                                 const ControllerManagerOptions& opts) {
  if (!opts.cloud)
    return api::fail(api::bad_request("service-lb-controller: no cloud provider"));
  return spawn_controller<ServiceController>(ctx, opts.workers, opts.cloud, opts.cluster_name);
}

}  // namespace kactor::actors::controllers
