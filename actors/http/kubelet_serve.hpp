// The kubelet's HTTPS listener (upstream's port 10250): the HttpServer of the API server, with
// the kubelet's TLS and the kubelet API handler (kubelet_api.hpp). Started by `kactor node`
// for all its nodes.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "actors/http/kubelet_api.hpp"
#include "actors/http/server.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::http {

struct KubeletServeOptions {
  /// The address to listen on (--kubelet-address) and its port (--kubelet-port; 0: any).
  std::string address = "127.0.0.1";
  uint16_t port = 10250;
  /// The serving certificate and key (--tls-cert-file, --tls-private-key-file): both or
  /// neither; neither: a self-signed one made at start for the nodes' names and the address,
  /// as upstream's kubelet does.
  std::string tls_cert_file;
  std::string tls_private_key_file;
  /// Serving certificates by node name, chosen by the SNI a client asks for (the API server
  /// asks for the node's name): `kactor certs`' kubelet-serving/<node>.crt with --pki-dir. A
  /// client naming another server, or none, gets the certificate above.
  struct CertificateFiles {
    std::string cert_file;
    std::string key_file;
  };
  std::map<std::string, CertificateFiles> node_certificates;
  /// --client-ca-file: only clients presenting a certificate signed by this CA are served
  /// (401 otherwise; /healthz stays open), and only what static_kubelet_authorizer allows
  /// them (403 otherwise). Empty: every client is served everything, which is refused on a
  /// non-loopback address.
  std::string client_ca_file;
  size_t threads = 2;
  /// How often the serving certificate files are read again (ServerOptions::reload_tls):
  /// replaced ones serve the connections that come after.
  std::chrono::milliseconds tls_reload_interval{std::chrono::minutes(1)};
};

/// Starts the listener. Errors name the flag at fault (an unreadable file, a half-given pair,
/// an unauthenticated non-loopback address, a port in use).
api::Result<std::unique_ptr<HttpServer>> serve_kubelet_api(const KubeletServeOptions& options,
                                                           KubeletApiSources sources,
                                                           TimePoint now);

}  // namespace kactor::http
