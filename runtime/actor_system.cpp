#include "runtime/actor_system.hpp"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "runtime/tls_actor_system.hpp"

namespace kactor::runtime {

void register_kactor_types(caf::actor_system_config& cfg) {
  apiserver::register_message_types(cfg);
}

size_t default_worker_threads() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  const int cores = sched_getaffinity(0, sizeof(allowed), &allowed) == 0
                        ? CPU_COUNT(&allowed)
                        : static_cast<int>(std::thread::hardware_concurrency());
  return static_cast<size_t>(std::max(cores, 2));
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
  // CAF 0.17's own default is max(cores, 4): on a 2-core machine twice as many busy workers
  // as cores, and the switches between them cost an HTTP GET 14 % of its throughput and a
  // CREATE 20 % (bench/README.md, "One CAF worker per core").
  cfg.set("scheduler.max-threads", threads > 0 ? threads : default_worker_threads());
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

namespace {

/// How long a system being destroyed waits for actors still running. Everything kactor starts
/// is stopped before (Cluster::shutdown, the roles' stop), so this is only ever spent on an
/// actor nobody stopped.
constexpr auto kShutdownGrace = std::chrono::seconds(10);

/// Destroys `system`, waiting at most kShutdownGrace for running actors. CAF 0.17 waits for
/// them for ever by default, so one leaked actor (an idle actor kept alive by a reference
/// cycle) hung the whole process in its destructor — seen about once in 60 runs of an HTTP
/// test (stop the server with a watch open, then the cluster). Past the grace period the
/// leak is logged with the count and the system is destroyed without waiting for it: the
/// process ends rather than hangs; the leak stays visible in the log.
void shut_down(std::unique_ptr<caf::actor_system>& system) {
  if (!system) return;
  const auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
  auto running = system->registry().running();
  // CAF 0.17 offers no timed wait on the registry: poll, briefly, only while actors remain.
  while (running > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    running = system->registry().running();
  }
  if (running > 0) {
    spdlog::warn("actor system shutdown: {} actor(s) still running after {} s (a leak); not "
                 "waiting for them",
                 running, kShutdownGrace.count());
    system->await_actors_before_shutdown(false);
  }
  system.reset();
}

}  // namespace

ActorSystem::ActorSystem(size_t threads, std::optional<Heartbeats> heartbeats)
    : config_(std::make_unique<caf::actor_system_config>()) {
  configure_actor_system(*config_, threads, {}, heartbeats);
  system_ = std::make_unique<caf::actor_system>(*config_);
}

ActorSystem::~ActorSystem() {
  shut_down(system_);
  config_.reset();
}

TlsActorSystem::TlsActorSystem(size_t threads, const TlsConfig& tls,
                               std::optional<Heartbeats> heartbeats)
    : config_(std::make_unique<caf::actor_system_config>()) {
  configure_actor_system(*config_, threads, tls, heartbeats);
  system_ = std::make_unique<caf::actor_system>(*config_);
}

TlsActorSystem::~TlsActorSystem() {
  shut_down(system_);
  config_.reset();
}

}  // namespace kactor::runtime
