// Fake kubelets that answer only (kubelet_summary_atom) → Summary, with Summaries the test
// makes: the seam where the metrics server and the node proxy meet the kubelet, for tests that
// must not depend on how the kubelet models resource use. Each node's fake is an actor of its
// own; a silenced one holds its requests unanswered.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "actors/kubelet/protocol/messages.hpp"

namespace kactor::testing {

class FakeStatsKubelets : public std::enable_shared_from_this<FakeStatsKubelets> {
 public:
  /// Sets what `node`'s fake answers (spawning it in `system` on first use).
  void set(caf::actor_system& system, const std::string& node, kubelet::Summary summary) {
    std::lock_guard lock(mutex_);
    auto& n = nodes_[node];
    if (!n.data) n.data = std::make_shared<Data>();
    {
      std::lock_guard data_lock(n.data->mutex);
      n.data->summary = std::move(summary);
    }
    if (!n.actor) n.actor = system.spawn(fake, n.data);
  }
  /// A silenced fake answers nothing until unsilenced.
  void silence(const std::string& node, bool silent) {
    auto d = data(node);
    std::lock_guard lock(d->mutex);
    d->silent = silent;
  }
  /// How often `node`'s fake was asked.
  int asked(const std::string& node) {
    auto d = data(node);
    std::lock_guard lock(d->mutex);
    return d->asked;
  }
  /// The fake of a node, as ServeOptions::kubelet_for and MetricsServerOptions::kubelet_for
  /// look kubelets up (nullopt for a node without one, or after stop()).
  std::function<std::optional<caf::actor>(const std::string&)> lookup() {
    return [self = shared_from_this()](const std::string& node) -> std::optional<caf::actor> {
      std::lock_guard lock(self->mutex_);
      auto it = self->nodes_.find(node);
      if (it == self->nodes_.end() || !it->second.actor) return std::nullopt;
      return it->second.actor;
    };
  }
  /// Stops every fake (before their actor system goes: it waits for its actors).
  void stop() {
    std::lock_guard lock(mutex_);
    for (auto& [name, n] : nodes_) {
      if (n.actor) caf::anon_send_exit(n.actor, caf::exit_reason::user_shutdown);
      n.actor = caf::actor{};
    }
  }

 private:
  struct Data {
    std::mutex mutex;
    kubelet::Summary summary;
    bool silent = false;
    int asked = 0;
  };
  struct FakeState {
    std::vector<caf::response_promise> held;  // a silenced fake's unanswered requests
  };
  struct Node {
    std::shared_ptr<Data> data;
    caf::actor actor;
  };

  static caf::behavior fake(caf::stateful_actor<FakeState>* self, std::shared_ptr<Data> data) {
    return {[self, data](kubelet::kubelet_summary_atom) -> caf::result<kubelet::Summary> {
      std::lock_guard lock(data->mutex);
      ++data->asked;
      if (data->silent) {
        self->state.held.push_back(self->make_response_promise());
        return self->state.held.back();
      }
      return data->summary;
    }};
  }

  std::shared_ptr<Data> data(const std::string& node) {
    std::lock_guard lock(mutex_);
    auto& d = nodes_[node].data;
    if (!d) d = std::make_shared<Data>();
    return d;
  }

  std::mutex mutex_;
  std::map<std::string, Node> nodes_;
};

/// A container's stats with CPU and memory use sampled at `at`.
inline kubelet::ContainerStats container_stats(const std::string& name, uint64_t nano_cores,
                                               uint64_t working_set_bytes, TimePoint at) {
  kubelet::ContainerStats c;
  c.name = name;
  c.cpu.time = at;
  c.cpu.usage_nano_cores = nano_cores;
  c.memory.time = at;
  c.memory.working_set_bytes = working_set_bytes;
  return c;
}

/// A node's own stats with CPU and memory use sampled at `at`.
inline kubelet::NodeStats node_stats(const std::string& name, uint64_t nano_cores,
                                     uint64_t working_set_bytes, TimePoint at) {
  kubelet::NodeStats n;
  n.node_name = name;
  n.cpu.time = at;
  n.cpu.usage_nano_cores = nano_cores;
  n.memory.time = at;
  n.memory.working_set_bytes = working_set_bytes;
  return n;
}

}  // namespace kactor::testing
