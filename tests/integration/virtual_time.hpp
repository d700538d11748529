// Driving a whole in-process cluster on a VirtualClock: time moves only when the test moves
// it, in small steps, and after each step the test waits (on a condition, with a real-time
// deadline) until every running kubelet has heartbeated for the new time — so the cluster
// keeps up with the clock and a healthy node never looks silent to the node lifecycle
// controller. Minutes of cluster time then take well under a second of wall time.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "actors/controllers/messages.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"
#include "tests/integration/cluster_support.hpp"

namespace kactor::testing {

class VirtualTime {
 public:
  /// `lease_interval`: the cluster's ClusterOptions::node_lease_interval.
  VirtualTime(Cluster& cluster, VirtualClock& clock, Duration lease_interval,
              Duration step = std::chrono::seconds(1))
      : cluster_(cluster), clock_(clock), lease_interval_(lease_interval), step_(step) {}

  /// Moves time on by `d`, step by step.
  void advance(Duration d) {
    auto until = clock_.now() + d;
    while (clock_.now() < until) one_step(std::min(step_, until - clock_.now()));
  }

  /// Moves time on, step by step, until `holds` is true of the objects of `kind` (checked
  /// after each step, as the API server's watchers see them), for at most `limit`.
  bool advance_until(const api::TypeInfo& kind,
                     const std::function<bool(const std::vector<api::ObjectPtr>&)>& holds,
                     Duration limit) {
    auto until = clock_.now() + limit;
    for (;;) {
      bool held = false;
      // Checked without waiting: the condition either holds now or after more time.
      cluster_.wait_for(
          kind, [&](const std::vector<api::ObjectPtr>& objs) { return held = holds(objs); },
          std::chrono::milliseconds(0));
      if (held) return true;
      if (clock_.now() >= until) return false;
      one_step(std::min(step_, until - clock_.now()));
    }
  }

 private:
  void one_step(Duration d) {
    clock_.advance(d);
    auto now = clock_.now();
    auto nodes = cluster_.node_names();
    // Every running node's Lease renewed within one interval and a step of now: the renewal
    // due in the interval that just ended has landed, so the cluster lags the clock by less
    // than a step or two.
    std::string behind;
    bool kept_up = cluster_.wait_for(
        api::Lease::static_type(),
        [&](const std::vector<api::ObjectPtr>& leases) {
          size_t fresh = 0;
          behind.clear();
          for (auto& o : leases) {
            auto l = api::as<api::Lease>(o);
            if (!l || !l->spec.renew_time) continue;
            if (std::find(nodes.begin(), nodes.end(), l->metadata.name) == nodes.end()) continue;
            if (l->spec.renew_time->value + lease_interval_ + step_ >= now)
              ++fresh;
            else
              behind += " " + l->metadata.name + " renewed " +
                        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           now - l->spec.renew_time->value)
                                           .count()) +
                        " ms ago;";
          }
          return fresh == nodes.size();
        },
        kWait);
    if (!kept_up) {
      auto direct = cluster_.client().list<api::Lease>(api::kNodeLeaseNamespace);
      if (direct)
        for (auto& l : direct->items)
          behind += " [server: " + l->metadata.name + " " +
                    std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       now - l->spec.renew_time->value)
                                       .count()) +
                    " ms ago]";
      behind += " pending timers " + std::to_string(clock_.pending());
    }
    INFO("kubelets behind the clock:" << behind);
    REQUIRE(kept_up);
    // The controllers that act on timers have handled this step's (twice: what a first
    // round set off reaches them before the next step).
    for (int round = 0; round < 2; ++round)
      for (const char* name : {"nodelifecycle", "taint-eviction-controller", "podgc"}) {
        auto controller = cluster_.controller(name);
        if (!controller) continue;
        caf::scoped_actor self{cluster_.system()};
        bool answered = false;
        self->request(controller, kWait, actors::controllers::ctrl_ping_atom::value)
            .receive([&](actors::controllers::ctrl_ping_atom) { answered = true; },
                     [&](caf::error& e) { UNSCOPED_INFO(name << ": " << to_string(e)); });
        REQUIRE(answered);
      }
  }

  Cluster& cluster_;
  VirtualClock& clock_;
  Duration lease_interval_;
  Duration step_;
};

}  // namespace kactor::testing
