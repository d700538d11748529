#include "runtime/actor_system.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"

namespace kactor::runtime {

void register_kactor_types(caf::actor_system_config& cfg) {
  apiserver::register_message_types(cfg);
}

ActorSystem::ActorSystem(size_t threads, std::optional<Heartbeats> heartbeats)
    : config_(std::make_unique<caf::actor_system_config>()) {
  register_kactor_types(*config_);
  config_->load<caf::io::middleman>();
  if (threads > 0) config_->set("scheduler.max-threads", threads);
  if (heartbeats) {
    // CAF 0.17.6: the BASP broker sends a heartbeat every heartbeat-interval and closes a
    // connection that received nothing for connection-timeout (checked only while heartbeats
    // are on, hence both).
    config_->set("middleman.heartbeat-interval", caf::timespan{heartbeats->interval});
    config_->set("middleman.connection-timeout", caf::timespan{heartbeats->timeout});
  }
  // The work-stealing scheduler lets idle workers sleep 10 ms between polls, which
  // would put 10 ms into every request to an idle API server. The sharing policy
  // wakes a worker through a condition variable as soon as work arrives.
  config_->set("scheduler.policy", caf::atom("sharing"));
  // CAF's own logging stays quiet; kactor logs through spdlog.
  system_ = std::make_unique<caf::actor_system>(*config_);
}

ActorSystem::~ActorSystem() {
  system_.reset();
  config_.reset();
}

}  // namespace kactor::runtime
