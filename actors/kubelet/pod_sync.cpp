// The pods bound to this node: a PodWorker per pod (its address, its containers), its
// status reported to the API server, its deletion finished once its containers stopped.
#include <set>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/common/timers.hpp"
#include "actors/kubelet/container_events.hpp"
#include "actors/kubelet/image_catalog.hpp"
#include "actors/kubelet/kubelet_state.hpp"
#include "actors/kubelet/pod_status.hpp"
#include "api/resource_version.hpp"
#include "api/types/pod_util.hpp"
#include "api/util/go_format.hpp"

namespace kactor::kubelet {
namespace {

/// Takes `pod` as the worker's pod if it is this very pod (same uid) in a newer version.
bool adopt_if_newer(PodWorker& w, const PodPtr& pod) {
  if (!pod || pod->metadata.uid != w.uid ||
      !api::is_newer_version(pod->metadata.resource_version, w.pod->metadata.resource_version))
    return false;
  w.pod = pod;
  return true;
}

/// Pods that already carry a podIP from our range (written before this kubelet restarted)
/// keep it: claimed before any new pod is given the lowest free address.
void claim_previous_ips(Self* self, const std::vector<PodPtr>& pods) {
  auto& st = self->state;
  if (!st.ips.has_cidr()) return;
  for (const auto& pod : pods) {
    if (pod->spec.host_network || pod->status.pod_ip.empty()) continue;
    if (st.workers.count(pod->metadata.uid) || pod->metadata.deletion_timestamp) continue;
    if (!st.ips.claim(pod->metadata.uid, pod->status.pod_ip))
      st.log->warn("pod {}: its address {} is taken or outside {}; it gets a new one",
                   api::object_key(*pod), pod->status.pod_ip, st.ips.cidr());
  }
}

/// A worker for a pod being deleted of which nothing runs here.
void finish_unstarted(Self* self, const PodPtr& pod) {
  auto& st = self->state;
  PodWorker w;
  w.uid = pod->metadata.uid;
  w.key = api::object_key(*pod);
  w.pod = pod;
  w.terminating = true;
  w.initialized = true;
  w.final_phase = api::is_terminal(*pod) ? pod->status.phase : "";
  auto& placed = st.workers.emplace(w.uid, std::move(w)).first->second;
  maybe_finish(self, placed);
}

/// A new worker for `pod`, with its address; nullptr if it cannot start yet (no address).
PodWorker* create_worker(Self* self, const PodPtr& pod) {
  auto& st = self->state;
  const auto& uid = pod->metadata.uid;
  PodWorker w;
  w.uid = uid;
  w.key = api::object_key(*pod);
  w.pod = pod;
  // A pod this node started before a restart keeps its start time.
  w.start_time =
      pod->status.start_time.is_set() ? pod->status.start_time.value : clock_of(self).now();
  if (pod->spec.host_network) {
    w.ip = st.node.ip;
  } else {
    auto ip = st.ips.allocate(uid);
    if (!ip) {
      st.log->error("pod {}: no free address in {}", w.key, st.ips.cidr());
      return nullptr;
    }
    w.ip = *ip;
  }
  auto add = [&](const api::Container& spec, ContainerRole role, size_t index) {
    ContainerRec c;
    c.name = spec.name;
    c.role = role;
    c.spec_index = index;
    c.image = spec.image;
    w.containers.push_back(std::move(c));
  };
  for (size_t i = 0; i < pod->spec.init_containers.size(); ++i) {
    const auto& spec = pod->spec.init_containers[i];
    add(spec, spec.restart_policy == "Always" ? ContainerRole::sidecar : ContainerRole::init, i);
  }
  for (size_t i = 0; i < pod->spec.containers.size(); ++i)
    add(pod->spec.containers[i], ContainerRole::app, i);
  auto& placed = st.workers.emplace(uid, std::move(w)).first->second;
  // The pod may have run here before: carry its containers on (adoption.cpp).
  resume_containers(self, placed);
  start_due(self, placed);
  return &placed;
}

/// The pod is gone from the API server: stop whatever still runs and free its address.
void remove_worker(Self* self, const std::string& uid) {
  auto& st = self->state;
  auto it = st.workers.find(uid);
  if (it == st.workers.end()) return;
  drop_containers(self, it->second);
  st.ips.release(uid);
  st.workers.erase(it);
}

/// After a (re)list the informer's cache is the API server's word on what is bound here: a
/// worker whose pod is not in it was deleted, or bound elsewhere, while this kubelet could not
/// hear of it (upstream's HandlePodCleanups). Its containers stop and its address is freed.
void remove_orphaned_workers(Self* self) {
  auto& st = self->state;
  std::set<std::string> bound;
  for (const auto& obj : st.pods.cache->list())
    if (auto pod = api::as<api::Pod>(obj)) bound.insert(pod->metadata.uid);
  std::vector<std::string> orphaned;
  for (const auto& [uid, w] : st.workers)
    if (!bound.contains(uid)) orphaned.push_back(uid);
  for (const auto& uid : orphaned) {
    st.log->info("node {}: pod {} is no longer bound here; stopping it", st.opts.node_name,
                 st.workers.at(uid).key);
    remove_worker(self, uid);
  }
}

}  // namespace

void sync_pod(Self* self, const PodPtr& pod) {
  auto& st = self->state;
  const auto& uid = pod->metadata.uid;
  auto it = st.workers.find(uid);
  PodWorker* w = nullptr;
  if (it == st.workers.end()) {
    // Nothing of it runs here (unless the runtime still has its containers): it can go.
    if (pod->metadata.deletion_timestamp && !st.inventory.by_pod.contains(uid))
      return finish_unstarted(self, pod);
    if (api::is_terminal(*pod)) return;  // ran to completion before (e.g. under an earlier kubelet)
    if (refuse_pod(self, pod)) return;   // a pressure condition holds (housekeeping.cpp)
    if (!pod->spec.host_network && !st.ips.has_cidr()) return;  // on_pod_network_ready resumes it
    w = create_worker(self, pod);
    if (!w) return;
  } else {
    w = &it->second;
    adopt_if_newer(*w, pod);
  }
  if (w->pod->metadata.deletion_timestamp && !w->terminating) begin_termination(self, *w);
  push_status(self, uid);
}

void on_pod_events(Self* self, const std::vector<client::InformerEvent>& events, bool synced) {
  std::vector<PodPtr> arriving;
  for (const auto& ev : events)
    if (auto pod = api::as<api::Pod>(ev.object);
        pod && ev.type != client::InformerEvent::Type::deleted)
      arriving.push_back(pod);
  claim_previous_ips(self, arriving);
  for (const auto& ev : events) {
    auto pod = api::as<api::Pod>(ev.object);
    if (!pod) continue;
    if (ev.type == client::InformerEvent::Type::deleted) {
      remove_worker(self, pod->metadata.uid);
      continue;
    }
    // A relist after a long gap shows a pod of the same name as a new object (deleted and
    // created again while we were cut off): the old one's worker goes.
    if (auto old = api::as<api::Pod>(ev.old); old && old->metadata.uid != pod->metadata.uid)
      remove_worker(self, old->metadata.uid);
    sync_pod(self, pod);
  }
  if (synced) {
    remove_orphaned_workers(self);
    sweep_inventory(self);
  }
}

void on_pod_network_ready(Self* self) {
  auto& st = self->state;
  // Pods that waited for addresses can start now; those that had one keep it.
  std::vector<PodPtr> waiting;
  for (const auto& obj : st.pods.cache->list())
    if (auto pod = api::as<api::Pod>(obj)) waiting.push_back(pod);
  claim_previous_ips(self, waiting);
  for (const auto& pod : waiting) sync_pod(self, pod);
}

namespace {

/// The status write ran into a newer version of the pod (someone else wrote it since the
/// version the status was computed from): reads the pod again and computes the status anew
/// from it, so that the conditions others own that it carries are kept.
void reread_and_push(Self* self, const std::string& uid) {
  auto& st = self->state;
  auto& w = st.workers.at(uid);
  const auto& meta = w.pod->metadata;
  st.client->get<api::Pod>(meta.namespace_, meta.name, [self, uid](api::Result<PodPtr> r) {
    auto& st = self->state;
    auto it = st.workers.find(uid);
    if (it == st.workers.end()) return;
    auto& w = it->second;
    w.status_in_flight = false;
    w.status_dirty = false;
    if (r && (*r)->metadata.uid != uid) return;  // replaced: the informer removes the worker
    if (!r && api::is_not_found(r.error())) return;  // gone: likewise
    if (r && adopt_if_newer(w, *r)) return push_status(self, uid);
    // The read failed, or did not show the newer version the Conflict spoke of: later.
    if (!r) st.log->warn("pod {}: reading it after a status conflict failed: {}", w.key,
                         r.error().message);
    actors::send_later(clock_of(self), st.opts.retry_delay, me(self), pod_sync_atom::value, uid);
  });
}

}  // namespace

void push_status(Self* self, const std::string& uid) {
  auto& st = self->state;
  auto it = st.workers.find(uid);
  if (it == st.workers.end()) return;
  auto& w = it->second;
  if (w.status_in_flight) {
    w.status_dirty = true;
    return;
  }
  auto status = build_pod_status(w, st.node.ip, clock_of(self).now());
  if (api::is_terminal_phase(status.phase)) w.final_phase = status.phase;
  if (status == w.pod->status) return;
  api::Pod pod = *w.pod;
  pod.status = std::move(status);
  // The status keeps the conditions others own (DisruptionTarget, ...) as the worker's
  // version of the pod has them, so it is written under that version's resourceVersion: a
  // write computed before someone else's gets Conflict, and is computed again from the
  // pod as it is now (docs/kubelet.md, "Pod status").
  w.status_in_flight = true;
  st.client->update_status<api::Pod>(pod, [self, uid, sent = pod.metadata.resource_version](
                                              api::Result<PodPtr> r) {
    auto& st = self->state;
    auto it = st.workers.find(uid);
    if (it == st.workers.end()) return;
    auto& w = it->second;
    // Conflict: unless the informer brought a newer version meanwhile, read it.
    if (!r && api::is_conflict(r.error()) &&
        !api::is_newer_version(w.pod->metadata.resource_version, sent))
      return reread_and_push(self, uid);
    w.status_in_flight = false;
    if (r) {
      adopt_if_newer(w, *r);
    } else if (api::is_conflict(r.error())) {
      w.status_dirty = true;  // computed again from the newer version below
    } else if (!api::is_not_found(r.error())) {
      st.log->warn("pod {}: status update failed: {}", w.key, r.error().message);
      actors::send_later(clock_of(self), st.opts.retry_delay, me(self), pod_sync_atom::value, uid);
    }
    if (w.status_dirty) {
      w.status_dirty = false;
      push_status(self, uid);
    }
  });
}

void maybe_finish(Self* self, PodWorker& w) {
  auto& st = self->state;
  if (!w.terminating || w.delete_sent) return;
  for (const auto& c : w.containers)
    if (c.live()) return;
  w.delete_sent = true;
  client::DeleteOptions opts;
  opts.grace_period_seconds = 0;
  opts.precondition_uid = w.uid;  // only this very pod, not a successor of the same name
  st.client->remove<api::Pod>(
      w.pod->metadata.namespace_, w.pod->metadata.name, opts,
      [self, uid = w.uid](api::Result<PodPtr> r) {
        auto& st = self->state;
        if (r || api::is_not_found(r.error()) || api::is_conflict(r.error()))
          return;  // gone (or replaced)
        auto it = st.workers.find(uid);
        if (it == st.workers.end()) return;
        st.log->warn("pod {}: delete failed: {}", it->second.key, r.error().message);
        it->second.delete_sent = false;
        actors::send_later(clock_of(self), st.opts.retry_delay, me(self), pod_sync_atom::value,
                           uid);
      });
}

void on_pod_sync(Self* self, const std::string& uid) {
  auto& st = self->state;
  auto it = st.workers.find(uid);
  if (it == st.workers.end()) return;
  auto now = clock_of(self).now();
  for (auto& c : it->second.containers) {
    if (!c.pull_failed || c.pull_backing_off || now < c.pull_backoff_at) continue;
    c.pull_backing_off = true;
    const auto& image = spec_of(*it->second.pod, c).image;
    record_container_event(self, it->second, c, "Normal", event_reason::kBackOff,
                           "Back-off pulling image " + api::util::go_quote(image));
    record_container_event(self, it->second, c, "Warning", event_reason::kFailed,
                           "Error: ImagePullBackOff");
  }
  stop_due(self, it->second);
  maybe_finish(self, it->second);
  push_status(self, uid);
}

}  // namespace kactor::kubelet
