// Shared helpers for the kubelet tests: an API fixture with informers and a kubelet
// context, synchronous queries of the kubelet, and waiting on API state with a deadline.
#pragma once

#include "actors/client/informer.hpp"
#include "actors/kubelet/kubelet.hpp"
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
  }
  ~KubeletFixture() {
    for (auto& k : kubelets) caf::anon_send_exit(k, caf::exit_reason::user_shutdown);
    informers.shutdown();
  }

  caf::actor spawn(kubelet::KubeletOptions opts) {
    auto k = kubelet::spawn_kubelet(ctx, std::move(opts));
    kubelets.push_back(k);
    return k;
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

  /// Polls `pred` (which reads the API server) until it holds or 10 s of real time pass.
  template <class Pred>
  bool eventually(Pred pred) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred()) return true;
      std::this_thread::yield();
    }
    return pred();
  }

  std::shared_ptr<const api::Pod> pod(const std::string& name) {
    auto r = client->get<api::Pod>("default", name);
    return r ? *r : nullptr;
  }
  std::shared_ptr<const api::Node> node(const std::string& name) {
    auto r = client->get<api::Node>("", name);
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

  /// A kubelet for `name` registered with a pod CIDR the kubelet has adopted.
  caf::actor ready_node(const std::string& name, const std::string& cidr,
                        kubelet::SimRuntimeOptions sim = {}) {
    kubelet::KubeletOptions o;
    o.node_name = name;
    o.sim = sim;
    auto k = spawn(o);
    REQUIRE(eventually([&] {
      auto s = query(k);
      return s && s->registered;
    }));
    REQUIRE(set_pod_cidr(name, cidr));
    REQUIRE(eventually([&] {
      auto s = query(k);
      return s && s->pod_cidr == cidr;
    }));
    return k;
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
};

/// The first container's report of the pod `name` in a kubelet state, if any.
inline const kubelet::ContainerReport* container_of(const kubelet::KubeletState& s,
                                                    const std::string& name) {
  for (const auto& p : s.pods)
    if (p.key == "default/" + name && !p.containers.empty()) return &p.containers.front();
  return nullptr;
}

}  // namespace kactor::testing
