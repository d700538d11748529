// Fixture for controller tests: the API server fixture plus a Context (shared informers)
// and a waiter that blocks on informer notifications (no sleeps) until a condition holds.
#pragma once

#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/common/context.hpp"
#include "actors/controllers/controller_manager.hpp"
#include "tests/support/api_fixture.hpp"

namespace kactor::testing {

struct ControllerFixture : ApiFixture {
  explicit ControllerFixture(std::vector<std::string> controllers = {"*"})
      : apiserver(plane->apiserver()),
        informers(system.get(), apiserver, clock),
        self(system.get()) {
    ctx.system = &system.get();
    ctx.apiserver = &apiserver;
    ctx.clock = &clock;
    ctx.informers = &informers;
    ctx.seed = 7;
    options.controllers = std::move(controllers);
    // The waiter hears about every kind the tests look at.
    for (auto* t : {&api::Pod::static_type(), &api::ReplicationController::static_type(),
                    &api::ReplicaSet::static_type(), &api::Deployment::static_type(),
                    &api::Endpoints::static_type(),
                    &api::ServiceAccount::static_type(), &api::Node::static_type(),
                    &api::ConfigMap::static_type(), &api::Secret::static_type(),
                    &api::Service::static_type(), &api::Namespace::static_type(),
                    &api::Lease::static_type(), &api::Event::static_type(),
                    &api::PodDisruptionBudget::static_type()})
      self->send(informers.get(*t).actor, client::subscribe_atom::value,
                 caf::actor_cast<caf::actor>(self));
  }

  void start() {
    auto m = actors::controllers::spawn_controller_manager(ctx, options);
    REQUIRE(m.has_value());
    manager = std::move(*m);
  }

  ~ControllerFixture() {
    stop();
    if (options.cloud) stop_actor(options.cloud);  // a cloud a test kept across a restart
    informers.shutdown();
  }

  /// Stops the controllers, and the simulated cloud the manager spawned unless `keep_cloud`
  /// (a test restarting the controllers on the same cloud passes it as `options.cloud`), and
  /// waits until they have terminated (a restart must not race with the old actors).
  void stop(bool keep_cloud = false) {
    for (auto& [name, actor] : manager.controllers) stop_actor(actor);
    manager.controllers.clear();
    if (manager.cloud && !keep_cloud) stop_actor(manager.cloud);
    manager.cloud = caf::actor{};
  }

  void stop_actor(const caf::actor& actor) {
    self->send_exit(actor, caf::exit_reason::user_shutdown);
    self->wait_for(actor);
  }

  /// Waits (real time, bounded) until `done()` holds, waking on every informer batch, or
  /// after `step` at the latest (for conditions that need virtual time advanced in `done`).
  template <class Pred>
  bool wait_until(Pred done, std::chrono::milliseconds limit = std::chrono::seconds(10),
                  std::chrono::milliseconds step = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      self->receive([](client::InformerEvents&) {}, caf::after(std::min(left, step)) >> [] {});
    }
    return true;
  }

  template <class T>
  std::vector<std::shared_ptr<const T>> list(const std::string& ns = "") {
    auto r = client->list<T>(ns);
    REQUIRE(r.has_value());
    return r->items;
  }

  caf::actor apiserver;
  client::InformerFactory informers;
  caf::scoped_actor self;
  actors::Context ctx;
  actors::controllers::ControllerManagerOptions options;
  actors::controllers::ControllerManager manager;
};

/// Acts as kubelet would (the pod runs with `ip`, Ready = `ready` since `now`), for a test that plays the kubelet while controllers delete and
/// change the same pods: false when the pod went away or changed meanwhile (the caller's
/// wait loop tries again), never a failed assertion.
inline bool try_set_pod_running(client::BlockingClient& c, const api::Pod& pod,
                                const std::string& ip, bool ready, TimePoint now) {
  auto fresh = c.get<api::Pod>(pod.metadata.namespace_, pod.metadata.name);
  if (!fresh) return false;
  api::Pod p = **fresh;
  p.status.phase = "Running";
  p.status.pod_ip = ip;
  p.status.pod_ips = {api::PodIP{ip}};
  std::erase_if(p.status.conditions, [](auto& c) { return c.type == "Ready"; });
  api::PodCondition cond;
  cond.type = "Ready";
  cond.status = ready ? "True" : "False";
  cond.last_transition_time.value = now;
  p.status.conditions.push_back(cond);
  return c.update_status(p).has_value();
}

/// The same, asserting the write succeeded.
inline void set_pod_running(client::BlockingClient& c, const api::Pod& pod, const std::string& ip,
                            bool ready, TimePoint now) {
  REQUIRE(try_set_pod_running(c, pod, ip, ready, now));
}

}  // namespace kactor::testing
