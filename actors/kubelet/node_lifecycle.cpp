// The kubelet's Node: registration (or takeover of an existing Node), the Lease heartbeat,
// the status heartbeat, and adopting the pod CIDR the node IPAM controller assigns.
#include <utility>

#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/common/timers.hpp"
#include "actors/kubelet/kubelet_state.hpp"
#include "actors/kubelet/node_status.hpp"
#include "api/resource_version.hpp"
#include "api/types/coordination.hpp"
#include "api/types/node_labels.hpp"

namespace kactor::kubelet {
namespace {

void post_node_status(Self* self, const api::Node& current, bool first);

/// Schedules the next tick of a period at `due`, then advances `due` (no drift when the
/// tick is handled late).
template <class Atom>
void schedule_tick(Self* self, TimePoint& due, Duration period, Atom atom) {
  due += period;
  actors::send_later(clock_of(self), due - clock_of(self).now(), me(self), atom);
}

void retry_registration(Self* self, const std::string& why) {
  auto& st = self->state;
  st.log->warn("node {}: registration failed: {}", st.opts.node_name, why);
  actors::send_later(clock_of(self), st.opts.retry_delay, me(self), register_atom::value);
}

/// The pod network became ready (the node got its pod CIDR): report Ready now rather than
/// at the next heartbeat.
void report_network_ready(Self* self) {
  auto& st = self->state;
  if (!st.node.registered || !st.ips.has_cidr() || st.node_status.reported_network_ready ||
      !st.node.node)
    return;
  if (st.node_status.in_flight)
    st.node_status.dirty = true;
  else
    post_node_status(self, *st.node.node, false);
}

void renew_lease(Self* self) {
  auto& st = self->state;
  if (!st.node.registered) return;
  if (st.lease.in_flight) {
    st.lease.again = true;
    return;
  }
  auto now = clock_of(self).now();
  auto lease = build_lease(st.opts, st.node.node ? st.node.node->metadata.uid : "", now);
  st.lease.in_flight = true;
  auto done = [self](api::Result<std::shared_ptr<const api::Lease>> r) {
    auto& st = self->state;
    st.lease.in_flight = false;
    if (r) {
      st.lease.exists = true;
      if (std::exchange(st.lease.again, false)) renew_lease(self);
      return;
    }
    // NotFound: someone deleted it, create it again; AlreadyExists: update it.
    const auto& e = r.error();
    if (api::is_not_found(e))
      st.lease.exists = false;
    else if (api::is_already_exists(e))
      st.lease.exists = true;
    else if (!api::is_conflict(e))
      st.log->warn("node {}: lease renewal failed: {}", st.opts.node_name, e.message);
    if (api::is_not_found(e) || api::is_already_exists(e) || api::is_conflict(e)) renew_lease(self);
  };
  if (st.lease.exists) {
    st.client->update<api::Lease>(lease, done);
  } else {
    lease.spec.acquire_time = api::MicroTime{now};
    st.client->create<api::Lease>(lease, done);
  }
}

void post_node_status(Self* self, const api::Node& current, bool first) {
  auto& st = self->state;
  api::Node node = current;
  bool network_ready = st.ips.has_cidr() || !current.spec.pod_cidr.empty();
  st.node_status.reported_network_ready = network_ready;
  node.status = build_node_status(st.opts, st.node.ip, st.node.machine_id, current.status,
                                  clock_of(self).now(), network_ready, st.housekeeping.allocatable,
                                  st.housekeeping.pressure);
  node.status.images = reported_images(st.runtime->list_images());
  node.metadata.resource_version.clear();  // the status is ours alone: no precondition
  st.node_status.in_flight = true;
  st.client->update_status<api::Node>(node, [self, first](api::Result<NodePtr> r) {
    auto& st = self->state;
    st.node_status.in_flight = false;
    if (st.node_status.dirty && r) {
      st.node_status.dirty = false;
      post_node_status(self, **r, false);
    }
    if (!r) {
      if (first) return retry_registration(self, r.error().message);
      st.log->warn("node {}: status update failed: {}", st.opts.node_name, r.error().message);
      return;
    }
    on_node(self, *r);
    if (first) {
      st.node.registered = true;
      st.log->debug("node {} registered", st.opts.node_name);
      renew_lease(self);
      report_network_ready(self);  // the CIDR may have come with this very answer
    }
  });
}

/// Takes over a Node that exists (a restarted kubelet, or one registered by hand). As upstream,
/// only the default labels (hostname, os, arch, zone, ...) are brought up to date, by a merge
/// patch of just those labels (applied to the Node as it is then, so a concurrent change of
/// anything else is neither lost nor a conflict); register taints and other labels apply only
/// when the kubelet creates its Node, so an administrator's or a controller's changes stay and
/// NodeRestriction never has cause to refuse the write.
void take_over(Self* self, const api::Node& existing) {
  auto& st = self->state;
  auto patch = default_labels_patch(existing, st.opts);
  if (patch.empty()) return post_node_status(self, existing, true);
  st.client->patch<api::Node>("", existing.metadata.name, "application/merge-patch+json",
                              std::move(patch), [self](api::Result<NodePtr> r) {
                                if (!r) return retry_registration(self, r.error().message);
                                post_node_status(self, **r, true);
                              });
}

}  // namespace

void register_node(Self* self) {
  auto& st = self->state;
  st.client->get<api::Node>("", st.opts.node_name, [self](api::Result<NodePtr> r) {
    auto& st = self->state;
    if (r) return take_over(self, **r);
    if (!api::is_not_found(r.error())) return retry_registration(self, r.error().message);
    api::Node node;
    node.metadata.name = st.opts.node_name;
    initial_node_spec(node, st.opts);
    node.status = build_node_status(st.opts, st.node.ip, st.node.machine_id, {},
                                    clock_of(self).now(), false, st.housekeeping.allocatable,
                                    st.housekeeping.pressure);
    st.client->create<api::Node>(node, [self](api::Result<NodePtr> r) {
      if (!r) return retry_registration(self, r.error().message);
      post_node_status(self, **r, true);
    });
  });
}

void on_node(Self* self, const NodePtr& node) {
  auto& st = self->state;
  if (!node || node->metadata.name != st.opts.node_name) return;
  if (!st.node.node || api::is_newer_version(node->metadata.resource_version,
                                             st.node.node->metadata.resource_version))
    st.node.node = node;
  if (st.ips.has_cidr() || st.node.node->spec.pod_cidr.empty()) return;
  if (auto ok = st.ips.set_cidr(st.node.node->spec.pod_cidr); !ok) {
    st.log->error("node {}: {}", st.opts.node_name, ok.error().message);
    return;
  }
  report_network_ready(self);
  on_pod_network_ready(self);
}

void start_node_lifecycle(Self* self) {
  auto& st = self->state;
  if (auto bad = api::kubelet_label_error(st.opts.labels)) {
    // validate_kubelet_options refuses them; a kubelet spawned with them anyway registers
    // without them rather than retrying a create NodeRestriction refuses for ever.
    st.log->error("node {}: {}; registering without them", st.opts.node_name, *bad);
    std::erase_if(st.opts.labels,
                  [](const auto& kv) { return api::is_unknown_kubelet_label(kv.first); });
  }
  auto now = clock_of(self).now();
  st.lease.next_due = now;
  st.node_status.next_due = now;
  schedule_tick(self, st.lease.next_due, st.opts.lease_interval, lease_tick_atom::value);
  schedule_tick(self, st.node_status.next_due, st.opts.node_status_interval,
                status_tick_atom::value);
  register_node(self);
}

void on_lease_tick(Self* self) {
  auto& st = self->state;
  schedule_tick(self, st.lease.next_due, st.opts.lease_interval, lease_tick_atom::value);
  renew_lease(self);
}

void request_node_status(Self* self) {
  auto& st = self->state;
  if (!st.node.registered || !st.node.node) return;  // registration posts it
  if (st.node_status.in_flight)
    st.node_status.dirty = true;
  else
    post_node_status(self, *st.node.node, false);
}

void on_status_tick(Self* self) {
  auto& st = self->state;
  schedule_tick(self, st.node_status.next_due, st.opts.node_status_interval,
                status_tick_atom::value);
  if (st.node.registered && !st.node_status.in_flight && st.node.node)
    post_node_status(self, *st.node.node, false);
}

}  // namespace kactor::kubelet
