// A CAF actor system configured for kactor (message types registered, I/O module
// loaded), owning its configuration, as CAF requires the config to outlive it.
#pragma once

#include <memory>
#include <string>

#include <caf/fwd.hpp>

namespace kactor::runtime {

/// Mutual TLS for the connections of CAF's OpenSSL module: this process's certificate and key
/// and the CA both sides' certificates must chain to (PEM files). Empty: the module is not loaded.
struct TlsConfig {
  std::string certificate;
  std::string key;
  std::string cafile;
  bool enabled() const { return !certificate.empty(); }
};

class ActorSystem {
 public:
  /// `threads` = 0: CAF's default (one worker per core). With `tls` enabled, CAF's OpenSSL
  /// module is loaded with it (caf::openssl::publish / the manager's connect then verify the
  /// peer's certificate against tls.cafile, both ways); the plaintext middleman stays.
  explicit ActorSystem(size_t threads = 0, const TlsConfig& tls = {});
  ~ActorSystem();
  caf::actor_system& get() { return *system_; }
  operator caf::actor_system&() { return *system_; }

 private:
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
};

/// Registers the API server protocol's message types with `cfg`: what the role processes send
/// each other (docs/multi-host.md); the other components' messages stay in process.
void register_kactor_types(caf::actor_system_config& cfg);

}  // namespace kactor::runtime
