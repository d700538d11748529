// The kubelet actor: its state set up, its informers subscribed, its messages wired to the
// phases (node_lifecycle.cpp, pod_sync.cpp, containers.cpp).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/client/messages.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/kubelet/kubelet_state.hpp"
#include "actors/kubelet/node_status.hpp"
#include "actors/kubelet/protocol/messages.hpp"
#include "api/types/node_labels.hpp"

namespace kactor::kubelet {

caf::actor me(Self* self) {
  return caf::actor_cast<caf::actor>(self);
}

Clock& clock_of(Self* self) {
  return *self->state.ctx.clock;
}

namespace {

/// Runtime events may come from any thread (a timer, a process reaper): into the mailbox.
RuntimeEventSink mailbox_sink(Self* self) {
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(me(self));
  return [weak](RuntimeEvent ev) {
    if (auto target = caf::actor_cast<caf::actor>(weak.lock()))
      caf::anon_send(target, std::move(ev));
  };
}

void on_informer_events(Self* self, client::InformerEvents& batch) {
  if (self->current_sender() == caf::actor_cast<caf::strong_actor_ptr>(self->state.pods.actor))
    return on_pod_events(self, batch.events, batch.synced);
  for (auto& ev : batch.events)
    if (ev.type != client::InformerEvent::Type::deleted)
      on_node(self, api::as<api::Node>(ev.object));
}

caf::behavior kubelet_actor(Self* self, actors::Context ctx, KubeletOptions opts) {
  auto& st = self->state;
  st.ctx = ctx;
  st.opts = std::move(opts);
  st.log = actors::logger("kubelet");
  st.client = std::make_unique<client::AsyncClient>(self, *ctx.apiserver);
  st.events = std::make_unique<client::EventRecorder>(self, *ctx.apiserver, *ctx.clock, "kubelet",
                                                      st.opts.node_name);
  st.node.ip = node_address(st.opts);
  st.node.machine_id = ctx.random("kubelet/" + st.opts.node_name).uuid();
  auto factory = st.opts.runtime ? st.opts.runtime : sim_runtime_factory();
  st.runtime = factory(*ctx.clock, mailbox_sink(self));
  take_inventory(self);
  start_housekeeping(self);

  st.nodes =
      ctx.informers->get(api::Node::static_type(), "", "", "metadata.name=" + st.opts.node_name);
  st.pods =
      ctx.informers->get(api::Pod::static_type(), "", "", "spec.nodeName=" + st.opts.node_name);
  self->send(st.nodes.actor, client::subscribe_atom::value, me(self));
  self->send(st.pods.actor, client::subscribe_atom::value, me(self));
  start_node_lifecycle(self);

  return actors::guarded(
      st.log,
      [self](client::InformerEvents& batch) { on_informer_events(self, batch); },
      [self](RuntimeEvent& ev) { on_runtime_event(self, ev); },
      [self](restart_atom, const std::string& uid, uint64_t index, uint64_t epoch) {
        on_restart(self, uid, index, epoch);
      },
      [self](pod_sync_atom, const std::string& uid) { on_pod_sync(self, uid); },
      [self](probe_tick_atom, const std::string& uid, uint64_t index, uint64_t type, uint64_t round,
             int64_t due) {
        on_probe_tick(self, uid, index, static_cast<ProbeType>(type), round,
                      TimePoint{Duration{due}});
      },
      [self](probe_result_atom, const std::string& uid, uint64_t index, uint64_t type,
             uint64_t round, bool success, std::string& message) {
        on_probe_result(self, uid, index, static_cast<ProbeType>(type), round,
                        ProbeResult{success, std::move(message)});
      },
      [self](register_atom) { register_node(self); },
      [self](lease_tick_atom) { on_lease_tick(self); },
      [self](status_tick_atom) { on_status_tick(self); },
      [self](housekeeping_atom, int64_t due) {
        on_housekeeping_tick(self, TimePoint{Duration{due}});
      },
      [self](kubelet_summary_atom) { return stats_summary(self); },
      [self](kubelet_state_atom) { return report(self); },
      [self](kubelet_logs_atom, const PodLogRequest& request) { return serve_log(self, request); },
      [self](kubelet_log_stop_atom, uint64_t follow_id) { stop_log_follower(self, follow_id); },
      [self](kubelet_crash_atom) {
        self->state.log->info("node {}: kubelet stopped abruptly", self->state.opts.node_name);
        self->quit(caf::exit_reason::user_shutdown);
      });
}

}  // namespace

api::Result<void> validate_kubelet_options(const KubeletOptions& opts) {
  if (auto t = parse_thresholds(opts.eviction); !t) return api::fail(t.error());
  if (!(opts.usage.request_fraction >= 0 && opts.usage.request_fraction <= 10))
    return api::fail(api::bad_request(fmt::format(
        "usage.requestFraction: {} must be between 0 and 10", opts.usage.request_fraction)));
  if (opts.housekeeping_interval <= Duration::zero())
    return api::fail(api::bad_request("housekeepingInterval: must be positive"));
  if (auto bad = api::kubelet_label_error(opts.labels)) return api::fail(api::bad_request(*bad));
  return {};
}

caf::actor spawn_kubelet(const actors::Context& ctx, KubeletOptions opts) {
  return ctx.system->spawn(kubelet_actor, ctx, std::move(opts));
}

}  // namespace kactor::kubelet
