// KubeletBackend over HTTPS: reaches a kubelet in another process through its own API
// (kubelet_api.hpp), as kube-apiserver does: to the node's address and
// status.daemonEndpoints.kubeletEndpoint.Port, with the node's name as the TLS server name
// (which node of a `kactor node` listener is meant), presenting a client certificate (the
// cluster PKI's apiserver-kubelet-client), verifying the kubelet's serving certificate when
// given a CA for it (--kubelet-certificate-authority). Each request runs on a worker thread of its own
// pool, on the connection the node's last answer left open when there is one (keep-alive); a
// followed log on a thread and a connection of its own until it ends or its reader cancels.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "actors/http/kubelet_backend.hpp"
#include "actors/http/pki.hpp"
#include "api/status.hpp"
#include "api/types/node.hpp"

namespace kactor::http {

/// Where a kubelet's API listens.
struct KubeletEndpoint {
  std::string host;
  uint16_t port = 0;
  bool operator==(const KubeletEndpoint&) const = default;
};

/// The kubelet endpoint a Node publishes: its ExternalIP, else its InternalIP (kactor's
/// preferred address types: a `kactor node` host reports the address its kubelet API is
/// reached at as the ExternalIP, its simulated InternalIP is not routable), and
/// status.daemonEndpoints.kubeletEndpoint.Port. 503 ServiceUnavailable naming what is
/// missing.
api::Result<KubeletEndpoint> kubelet_endpoint_of(const api::Node& node);

/// Finds a node's kubelet endpoint (called on a worker thread: it may block briefly, e.g. to
/// read the Node from the API server). 404 for a node that does not exist.
using KubeletEndpointLookup = std::function<api::Result<KubeletEndpoint>(const std::string& node)>;

struct HttpsKubeletOptions {
  /// The client certificate and key presented to kubelets (PEM); empty: none.
  std::string client_cert_pem;
  std::string client_key_pem;
  /// --kubelet-certificate-authority (PEM): when set, a kubelet's serving certificate must
  /// chain to it and name the node (a DNS subjectAltName equal to the node's name, which is
  /// also the SNI asked for); one that does not is refused, 503 naming why. Empty: serving
  /// certificates are not verified, as kube-apiserver without the flag (kubelets serve
  /// self-signed ones by default).
  std::string certificate_authority_pem;
  /// Connecting, the TLS handshake and an answer's head (and a whole answer that is not
  /// followed) must come within this.
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
  /// Worker threads for summaries and logs that are not followed.
  size_t threads = 4;
  /// Connections kept open between requests, at most one per node: the metrics servers ask
  /// every kubelet for a summary every 15 s, and a kept connection spares both sides a TCP
  /// connect and a TLS handshake each time (as Go's HTTP client, which kube-apiserver and
  /// metrics-server use, keeps its connections). 0: none (every request connects).
  /// Unset: a quarter of the process's open-file limit.
  std::optional<size_t> max_idle_connections;
  /// A kept connection is used again only within this of its last answer. Below the
  /// kubelet API's 30 s idle timeout, so a request does not race the kubelet closing it.
  std::chrono::milliseconds idle_connection_timeout = std::chrono::seconds(20);
  /// The client certificate renewed while running: asked at most every
  /// `client_certificate_reload_interval`, before a connection; a pair that differs from the
  /// one in use serves the connections made after (sessions of the old one are dropped). A
  /// pair that does not load is logged and the one in use stays. Empty: read once.
  std::function<api::Result<PemPair>()> reload_client_certificate;
  std::chrono::milliseconds client_certificate_reload_interval{std::chrono::minutes(1)};
};

class HttpsKubeletBackend final : public KubeletBackend {
 public:
  /// BadRequest when the client certificate, its key or the certificate authority do not
  /// load.
  static api::Result<std::shared_ptr<HttpsKubeletBackend>> make(HttpsKubeletOptions options,
                                                                KubeletEndpointLookup lookup);
  ~HttpsKubeletBackend() override;

  std::shared_ptr<LogControl> pod_logs(const std::string& node, kubelet::PodLogRequest request,
                                       OnChunk on_chunk) override;
  void summary(const std::string& node, OnSummary done) override;
  /// Connections whose TLS handshake resumed an earlier session of their node.
  uint64_t resumed_handshakes() const;
  /// Requests sent on a connection kept from an earlier request.
  uint64_t reused_connections() const;

  struct Impl;

 private:
  explicit HttpsKubeletBackend(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

/// The kubelet API's target for `request` (/containerLogs/<ns>/<pod>/<container>?...).
std::string container_logs_target(const kubelet::PodLogRequest& request);

}  // namespace kactor::http
