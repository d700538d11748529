// The node IPAM controller (range allocator): gives every Node without spec.podCIDR a
// subnet of the cluster CIDR, frees it when the Node goes, and rebuilds its bitmap from the
// Nodes' podCIDRs on start, so a restart keeps every assignment.
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/controllers/cidr_set.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

class NodeIpamController : public std::enable_shared_from_this<NodeIpamController> {
 public:
  NodeIpamController(caf::event_based_actor* self, const Context& ctx, int workers, CidrSet set)
      : loop_(self, ctx, "nodeipam", workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, "cidrAllocator"),
        cidrs_(std::move(set)) {}

  caf::behavior start() {
    nodes_ =
        loop_
            .watch(api::Node::static_type(), [this](const client::InformerEvent& e) { on_node(e); })
            .cache;
    return loop_.run(shared_from_this());
  }

 private:
  void forget(const std::string& node) {
    auto it = assigned_.find(node);
    if (it == assigned_.end()) return;
    (void)cidrs_.release(it->second);  // it was accepted by occupy/allocate, so it parses
    assigned_.erase(it);
  }

  void on_node(const client::InformerEvent& e) {
    auto node = api::as<api::Node>(e.object);
    if (!node) return;
    const auto& name = node->metadata.name;
    if (e.type == client::InformerEvent::Type::deleted) return forget(name);
    const auto& cidr = node->spec.pod_cidr;
    if (cidr.empty()) return loop_.enqueue(name);
    auto it = assigned_.find(name);
    if (it != assigned_.end() && it->second == cidr) return;
    forget(name);
    if (auto r = cidrs_.occupy(cidr); !r) {
      loop_.log().warn("node {}: podCIDR {} not tracked: {}", name, cidr, r.error().message);
      return;
    }
    assigned_[name] = cidr;
  }

  void sync(const std::string& name, ControllerLoop::Finish finish) {
    auto node = api::as<api::Node>(nodes_->get(name));
    if (!node || !node->spec.pod_cidr.empty()) return finish(std::nullopt);
    // An earlier attempt whose update has not shown up (or failed) keeps its CIDR.
    std::string cidr;
    if (auto it = assigned_.find(name); it != assigned_.end()) {
      cidr = it->second;
    } else {
      auto got = cidrs_.allocate();
      if (!got) {
        loop_.log().error("node {}: {}", name, got.error().message);
        events_.record(*node, "Warning", "CIDRNotAvailable",
                       "Node " + name + " status is now: CIDRNotAvailable");
        return finish(got.error());  // retried with back-off: a node may go meanwhile
      }
      cidr = *got;
      assigned_[name] = cidr;
    }
    api::Node update = *node;
    update.spec.pod_cidr = cidr;
    update.spec.pod_cidrs = {cidr};
    auto self = shared_from_this();
    client_.update<api::Node>(
        update, [self, name, finish](api::Result<std::shared_ptr<const api::Node>> r) {
          if (r) return finish(std::nullopt);
          if (is_not_found(r.error())) {
            self->forget(name);
            return finish(std::nullopt);
          }
          finish(r.error());
        });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  CidrSet cidrs_;
  std::unordered_map<std::string, std::string> assigned_;  ///< node → its CIDR
  std::shared_ptr<const client::Cache> nodes_;
};

}  // namespace

api::Result<caf::actor> spawn_node_ipam_controller(const Context& ctx,
                                                   const ControllerManagerOptions& opts) {
  auto set = CidrSet::create(opts.cluster_cidr, opts.node_cidr_mask_size);
  if (!set) return api::fail(std::move(set.error()));
  return spawn_controller<NodeIpamController>(ctx, opts.workers, std::move(*set));
}

}  // namespace kactor::actors::controllers
