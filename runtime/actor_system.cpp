#include "runtime/actor_system.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "runtime/tls_actor_system.hpp"

namespace kactor::runtime {

void register_kactor_types(caf::actor_system_config& cfg) {
  apiserver::register_message_types(cfg);
}

void configure_actor_system(caf::actor_system_config& cfg, size_t threads, const TlsConfig& tls,
                            std::optional<Heartbeats> heartbeats) {
  register_kactor_types(cfg);
  cfg.load<caf::io::middleman>();
  if (tls.enabled()) {
    // Any of these set turns on the module's authentication: certificates required and
    // verified both ways (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
    cfg.openssl_certificate = tls.certificate;
    cfg.openssl_key = tls.key;
    cfg.openssl_cafile = tls.cafile;
    cfg.load<caf::openssl::manager>();
  }
  if (threads > 0) cfg.set("scheduler.max-threads", threads);
  if (heartbeats) {
    // CAF 0.17.6: the BASP broker sends a heartbeat every heartbeat-interval and closes a
    // connection that received nothing for connection-timeout (checked only while heartbeats
    // are on, hence both).
    cfg.set("middleman.heartbeat-interval", caf::timespan{heartbeats->interval});
    cfg.set("middleman.connection-timeout", caf::timespan{heartbeats->timeout});
  }
  // The work-stealing scheduler lets idle workers sleep 10 ms between polls, which
  // would put 10 ms into every request to an idle API server. The sharing policy
  // wakes a worker through a condition variable as soon as work arrives.
  cfg.set("scheduler.policy", caf::atom("sharing"));
  // CAF's own logging stays quiet; kactor logs through spdlog.
}

ActorSystem::ActorSystem(size_t threads, std::optional<Heartbeats> heartbeats)
    : config_(std::make_unique<caf::actor_system_config>()) {
  configure_actor_system(*config_, threads, {}, heartbeats);
  system_ = std::make_unique<caf::actor_system>(*config_);
}

ActorSystem::~ActorSystem() {
  system_.reset();
  config_.reset();
}

TlsActorSystem::TlsActorSystem(size_t threads, const TlsConfig& tls,
                               std::optional<Heartbeats> heartbeats)
    : config_(std::make_unique<caf::actor_system_config>()) {
  configure_actor_system(*config_, threads, tls, heartbeats);
  system_ = std::make_unique<caf::actor_system>(*config_);
}

TlsActorSystem::~TlsActorSystem() {
  system_.reset();
  config_.reset();
}

}  // namespace kactor::runtime
