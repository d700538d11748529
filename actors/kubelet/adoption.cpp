// A kubelet that starts on a machine whose runtime outlived its predecessor: the containers
// the runtime still has are adopted by the workers of their pods (resume.hpp says how), the
// rest stopped, so that nothing runs that no pod bound here asks for.
#include <spdlog/spdlog.h>

#include <set>

#include "actors/kubelet/kubelet_state.hpp"
#include "actors/kubelet/resume.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::kubelet {
namespace {

/// The runtime's container for `name` among `found`: a live one, else the last to exit.
const ContainerInfo* best_match(const std::vector<ContainerInfo>& found, const std::string& name) {
  const ContainerInfo* best = nullptr;
  for (const auto& info : found) {
    if (info.container_name != name) continue;
    bool live = info.state != ContainerInfo::State::exited;
    if (!best || (live && best->state == ContainerInfo::State::exited) ||
        (live == (best->state != ContainerInfo::State::exited) &&
         info.finished_at > best->finished_at))
      best = &info;
  }
  return best;
}

const api::ContainerStatus* status_of(const std::vector<api::ContainerStatus>& statuses,
                                      const std::string& name) {
  for (const auto& s : statuses)
    if (s.name == name) return &s;
  return nullptr;
}

/// Stops (if it still runs) and forgets a container no worker wants.
void discard(Self* self, const ContainerInfo& info) {
  auto& st = self->state;
  if (info.state != ContainerInfo::State::exited)
    st.runtime->stop_container(info.id, Duration::zero());
  st.runtime->forget(info.id);
}

}  // namespace

void take_inventory(Self* self) {
  auto& st = self->state;
  for (auto& info : st.runtime->list_containers())
    st.inventory.by_pod[info.pod_uid].push_back(std::move(info));
  if (!st.inventory.by_pod.empty())
    st.log->info(
        "node {}: the runtime has containers of {} pod(s); adopting those still bound here",
        st.opts.node_name, st.inventory.by_pod.size());
}

void resume_containers(Self* self, PodWorker& w) {
  auto& st = self->state;
  const auto& pod = *w.pod;
  std::vector<ContainerInfo> found;
  if (auto it = st.inventory.by_pod.find(w.uid); it != st.inventory.by_pod.end()) {
    found = std::move(it->second);
    st.inventory.by_pod.erase(it);
  }
  std::set<std::string> adopted;
  auto now = clock_of(self).now();
  for (size_t i = 0; i < w.containers.size(); ++i) {
    auto& c = w.containers[i];
    const auto* before = status_of(
        c.is_init() ? pod.status.init_container_statuses : pod.status.container_statuses, c.name);
    const auto* match = found.empty() ? nullptr : best_match(found, c.name);
    auto resumed = resume_container(c, before, match, restart_policy_of(pod, c), now);
    c.started_once = c.role == ContainerRole::sidecar && c.ever_started;
    if (resumed != Resumption::adopt) continue;
    st.containers[c.id] = {w.uid, i};
    adopted.insert(c.id);
    if (c.phase == ContainerRec::Phase::running)
      resume_probing(self, w, i, before && before->started.value_or(false),
                     before && before->ready);
    st.log->debug("pod {}: adopted container {} ({})", w.key, c.name, c.id);
  }
  // Initialized before (its app containers ran): the init containers do not run again.
  const auto* initialized = pod.status.condition("Initialized");
  w.initialized = initialized && initialized->status == "True";
  for (const auto& c : w.containers)
    w.initialized = w.initialized || (!c.is_init() && c.ever_started);
  // The rest are earlier runs (their exits now known) or containers the spec no longer has.
  for (const auto& info : found)
    if (!adopted.contains(info.id)) discard(self, info);
}

void sweep_inventory(Self* self) {
  auto& st = self->state;
  if (st.inventory.swept) return;
  st.inventory.swept = true;
  std::set<std::string> bound;
  for (const auto& obj : st.pods.cache->list())
    if (auto pod = api::as<api::Pod>(obj); pod && !api::is_terminal(*pod))
      bound.insert(pod->metadata.uid);
  for (auto it = st.inventory.by_pod.begin(); it != st.inventory.by_pod.end();) {
    if (bound.contains(it->first)) {
      ++it;  // its worker adopts them once the pod can start (it may wait for an address)
      continue;
    }
    for (const auto& info : it->second) discard(self, info);
    st.log->info("node {}: stopped the containers of pod {}, no longer bound here",
                 st.opts.node_name, it->first);
    it = st.inventory.by_pod.erase(it);
  }
}

}  // namespace kactor::kubelet
