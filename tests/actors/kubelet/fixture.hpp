// Shared helpers for the kubelet tests: an API fixture with informers and a kubelet
// context, synchronous queries of the kubelet, and waiting for a condition with a deadline,
// re-checked whenever the API objects a kubelet sees change (no polling, no sleeping).
#pragma once

#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/kubelet/kubelet.hpp"
#include "actors/kubelet/protocol/messages.hpp"
#include "api/resource_version.hpp"
#include "tests/support/api_fixture.hpp"

namespace kactor::testing {

struct KubeletFixture : ApiFixture {
  KubeletFixture() : informers(system.get(), plane->apiserver(), clock) {
    apiserver_handle = plane->apiserver();
    ctx.system = &system.get();
    ctx.apiserver = &apiserver_handle;
    ctx.clock = &clock;
    ctx.informers = &informers;
    ctx.seed = 7;
    // Lease renewals are seen through an informer of the fixture's own.
    watch(informers.get(api::Lease::static_type(), kubelet::kNodeLeaseNamespace));
  }
  ~KubeletFixture() {
    for (auto& k : kubelets) caf::anon_send_exit(k, caf::exit_reason::user_shutdown);
    informers.shutdown();
  }

  /// Spawns a kubelet and watches the informers it uses. Subscribed after the kubelet (the
  /// query proves it subscribed), the watcher hears of each change after the kubelet was
  /// sent it, so a query made then answers after the kubelet handled that change.
  caf::actor spawn(kubelet::KubeletOptions opts) {
    auto node = opts.node_name;
    auto k = kubelet::spawn_kubelet(ctx, std::move(opts));
    kubelets.push_back(k);
    REQUIRE(query(k));
    watch(informers.get(api::Node::static_type(), "", "", "metadata.name=" + node));
    watch(informers.get(api::Pod::static_type(), "", "", "spec.nodeName=" + node));
    return k;
  }

  /// Makes eventually() re-check when the Events of `ns` change too.
  void watch_events(const std::string& ns = "default") {
    watch(informers.get(api::Event::static_type(), ns));
  }

  /// Makes eventually() re-check when what `informer` holds changes too.
  void watch(const client::Informer& informer) {
    watcher->send(informer.actor, client::subscribe_atom::value,
                  caf::actor_cast<caf::actor>(watcher));
  }

  /// The Events of `ns` about the object `name` with `reason`.
  std::vector<std::shared_ptr<const api::Event>> events_about(const std::string& name,
                                                              const std::string& reason,
                                                              const std::string& ns = "default") {
    std::vector<std::shared_ptr<const api::Event>> out;
    if (auto list = client->list<api::Event>(ns))
      for (const auto& ev : list->items)
        if (ev->involved_object.name == name && ev->reason == reason) out.push_back(ev);
    return out;
  }

  /// The kubelet's Summary (kubelet_summary_atom): its last resource sample.
  std::optional<kubelet::Summary> summary(const caf::actor& k) {
    caf::scoped_actor self{system.get()};
    std::optional<kubelet::Summary> out;
    self->request(k, std::chrono::seconds(10), kubelet::kubelet_summary_atom::value)
        .receive([&](kubelet::Summary& s) { out = std::move(s); }, [](caf::error&) {});
    return out;
  }

  /// The kubelet's state once it has handled everything sent to it before (timer
  /// messages of a clock advance included): a synchronisation point.
  std::optional<kubelet::KubeletState> query(const caf::actor& k) {
    caf::scoped_actor self{system.get()};
    std::optional<kubelet::KubeletState> out;
    self->request(k, std::chrono::seconds(10), kubelet::kubelet_state_atom::value)
        .receive([&](kubelet::KubeletState& s) { out = std::move(s); }, [](caf::error&) {});
    return out;
  }

  /// The kubelet's state once it has also handled what it sent itself meanwhile (a
  /// container's exit the runtime reported during a stop, a probe due at once): queries
  /// until two answers in a row agree, at least three times.
  std::optional<kubelet::KubeletState> settle(const caf::actor& k) {
    auto last = query(k);
    for (int n = 1; n < 50; ++n) {
      auto next = query(k);
      if (n >= 2 && next == last) return next;
      last = std::move(next);
    }
    return last;
  }

  /// Advances the clock by `d` and waits until the kubelet `k` settled.
  std::optional<kubelet::KubeletState> step(const caf::actor& k, Duration d) {
    clock.advance(d);
    return settle(k);
  }

  /// Checks `pred` now and again after every change the watched informers report, until it
  /// holds or 10 s of real time pass (a deadline for a broken test, not a pace).
  template <class Pred>
  bool eventually(Pred pred) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pred()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      watcher->receive([](client::InformerEvents&) {}, caf::after(left) >> [] {});
    }
    return true;
  }

  std::shared_ptr<const api::Pod> pod(const std::string& name) {
    auto r = client->get<api::Pod>("default", name);
    return r ? *r : nullptr;
  }
  std::shared_ptr<const api::Node> node(const std::string& name) {
    auto r = client->get<api::Node>("", name);
    return r ? *r : nullptr;
  }
  std::shared_ptr<const api::Lease> lease(const std::string& name) {
    auto r = client->get<api::Lease>(kubelet::kNodeLeaseNamespace, name);
    return r ? *r : nullptr;
  }

  /// True once the kubelet has reported the pod's containers (so it has asked the
  /// runtime to start them: advancing the clock now runs their start timers).
  bool reported(const std::string& name) {
    auto p = pod(name);
    return p && !p->status.container_statuses.empty();
  }

  /// Plays the node IPAM controller: gives `name` its pod CIDR.
  bool set_pod_cidr(const std::string& name, const std::string& cidr) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      auto n = node(name);
      if (!n) return false;
      api::Node copy = *n;
      copy.spec.pod_cidr = cidr;
      copy.spec.pod_cidrs = {cidr};
      if (client->update(copy)) return true;
    }
    return false;
  }

  /// Waits until the kubelet of `name` has registered its Node (it renews the Lease only
  /// then, so a Lease proves it).
  void wait_registered(const std::string& name) {
    REQUIRE(eventually([&] { return lease(name) != nullptr; }));
  }

  /// Gives `name` the pod CIDR `cidr` and waits until its kubelet `k` has adopted it.
  void give_pod_cidr(const caf::actor& k, const std::string& name, const std::string& cidr) {
    REQUIRE(set_pod_cidr(name, cidr));
    REQUIRE(eventually([&] {
      auto s = query(k);
      return s && s->pod_cidr == cidr;
    }));
  }

  /// A kubelet for `name` registered with a pod CIDR the kubelet has adopted.
  caf::actor ready_node(const std::string& name, const std::string& cidr,
                        kubelet::SimRuntimeOptions sim = {}) {
    kubelet::KubeletOptions o;
    o.node_name = name;
    o.runtime = kubelet::sim_runtime_factory(sim);
    return ready_node(std::move(o), cidr);
  }
  caf::actor ready_node(kubelet::KubeletOptions o, const std::string& cidr) {
    auto name = o.node_name;
    auto k = spawn(std::move(o));
    REQUIRE(eventually([&] { return node(name) != nullptr; }));
    give_pod_cidr(k, name, cidr);
    return k;
  }

  /// Sets annotation `key` of pod `name` to `value` (empty: removes it) and waits until the
  /// kubelet `k` has seen that version of the pod.
  void annotate(const caf::actor& k, const std::string& name, const std::string& key,
                const std::string& value) {
    std::string written;
    for (int attempt = 0; attempt < 20 && written.empty(); ++attempt) {
      auto p = pod(name);
      REQUIRE(p);
      api::Pod copy = *p;
      if (value.empty())
        copy.metadata.annotations.erase(key);
      else
        copy.metadata.annotations[key] = value;
      if (auto r = client->update(copy)) written = (*r)->metadata.resource_version;
    }
    REQUIRE(!written.empty());
    REQUIRE(eventually([&] {
      auto s = query(k);
      for (const auto& p : s ? s->pods : std::vector<kubelet::PodReport>{})
        if (p.key == "default/" + name) return !api::is_newer_version(written, p.resource_version);
      return false;
    }));
  }

  /// Creates a pod bound to `node` (as if the scheduler had placed it).
  std::shared_ptr<const api::Pod> create_bound(api::Pod p, const std::string& node) {
    p.spec.node_name = node;
    auto r = client->create(p);
    REQUIRE(r.has_value());
    return *r;
  }

  client::InformerFactory informers;
  caf::actor apiserver_handle;
  actors::Context ctx;
  std::vector<caf::actor> kubelets;
  /// Receives the InformerEvents of every watched informer; eventually() waits on it.
  caf::scoped_actor watcher{system.get()};

};

/// The report of the pod `name` in a kubelet state, if any.
inline const kubelet::PodReport* pod_of(const kubelet::KubeletState& s, const std::string& name) {
  for (const auto& p : s.pods)
    if (p.key == "default/" + name) return &p;
  return nullptr;
}

/// The first container's report of the pod `name` in a kubelet state, if any.
inline const kubelet::ContainerReport* container_of(const kubelet::KubeletState& s,
                                                    const std::string& name) {
  for (const auto& p : s.pods)
    if (p.key == "default/" + name && !p.containers.empty()) return &p.containers.front();
  return nullptr;
}

}  // namespace kactor::testing
