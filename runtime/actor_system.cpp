#include "runtime/actor_system.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/apiserver/messages.hpp"

namespace kactor::runtime {

void register_kactor_types(caf::actor_system_config& cfg) {
  apiserver::register_message_types(cfg);
}

ActorSystem::ActorSystem(size_t threads) : config_(std::make_unique<caf::actor_system_config>()) {
  register_kactor_types(*config_);
  config_->load<caf::io::middleman>();
  if (threads > 0) config_->set("scheduler.max-threads", threads);
  // CAF's own logging stays quiet; kactor logs through spdlog.
  system_ = std::make_unique<caf::actor_system>(*config_);
}

ActorSystem::~ActorSystem() {
  system_.reset();
  config_.reset();
}

}  // namespace kactor::runtime
