// An actor system as ActorSystem configures it (actor_system.hpp), with CAF's OpenSSL module
// loaded for mutual TLS between role processes (docs/multi-host.md "Security"). A class of its
// own rather than an ActorSystem parameter: actor_system.hpp is included by nearly every test,
// and only the role processes need TLS.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <caf/fwd.hpp>

#include "runtime/actor_system.hpp"

namespace kactor::runtime {

/// This process's certificate and key and the CA both sides' certificates must chain to (PEM
/// files), for the connections of CAF's OpenSSL module. Empty: the module is not loaded.
struct TlsConfig {
  std::string certificate;
  std::string key;
  std::string cafile;
  bool enabled() const { return !certificate.empty(); }
};

/// Applies ActorSystem's configuration to `cfg` (message types, middleman, scheduler) and, with
/// `tls` enabled, CAF's OpenSSL module: caf::openssl::publish and the module's connect then
/// require and verify a certificate on both sides against tls.cafile. `heartbeats` as
/// ActorSystem takes them.
void configure_actor_system(caf::actor_system_config& cfg, size_t threads, const TlsConfig& tls,
                            std::optional<Heartbeats> heartbeats = std::nullopt);

class TlsActorSystem {
 public:
  /// `threads` = 0: default_worker_threads(). With `tls` disabled, the same as ActorSystem.
  TlsActorSystem(size_t threads, const TlsConfig& tls,
                 std::optional<Heartbeats> heartbeats = std::nullopt);
  ~TlsActorSystem();
  caf::actor_system& get() { return *system_; }
  operator caf::actor_system&() { return *system_; }

 private:
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
};

}  // namespace kactor::runtime
