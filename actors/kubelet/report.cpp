// What the kubelet answers to kubelet_state_atom: its pods and containers as it sees them.
#include <algorithm>

#include "actors/kubelet/kubelet_state.hpp"
#include "actors/kubelet/pod_status.hpp"

namespace kactor::kubelet {

KubeletState report(Self* self) {
  auto& st = self->state;
  KubeletState out;
  out.node_name = st.opts.node_name;
  out.registered = st.node.registered;
  out.pod_cidr = st.ips.cidr();
  out.ips = st.ips.in_use();
  for (const auto& [uid, w] : st.workers) {
    PodReport p{w.key, uid, w.pod->metadata.resource_version, pod_phase(w), w.ip, w.terminating,
                {},    {}};
    for (const auto& c : w.containers) {
      auto s = container_status(c, *w.pod);
      ContainerReport r;
      r.name = c.name;
      r.container_id = c.id;
      r.restart_count = c.restart_count;
      r.ready = s.ready;
      r.started = s.started.value_or(false);
      r.exit_code = c.terminated ? c.terminated->exit_code : 0;
      if (s.state.waiting) r.state = "Waiting", r.reason = s.state.waiting->reason;
      if (s.state.running) r.state = "Running";
      if (s.state.terminated) r.state = "Terminated", r.reason = s.state.terminated->reason;
      if (c.phase == ContainerRec::Phase::running) ++out.running_containers;
      (c.is_init() ? p.init_containers : p.containers).push_back(std::move(r));
    }
    out.pods.push_back(std::move(p));
  }
  out.log_followers = static_cast<int>(st.log_followers.size());
  std::sort(out.pods.begin(), out.pods.end(),
            [](const PodReport& a, const PodReport& b) { return a.key < b.key; });
  return out;
}

}  // namespace kactor::kubelet
