// The Kubernetes API of a running cluster, served over HTTPS: the one assembly of the PKI,
// the kubeconfig, authentication, the CAF bridge, the handler and the server, shared by
// `kactor up` and the tests that drive a cluster with the real kubectl.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/http/handler.hpp"
#include "actors/http/pki.hpp"
#include "actors/http/server.hpp"
#include "actors/http/service_account_auth.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::http {

struct ServeOptions {
  /// host:port to listen on; port 0 picks a free one.
  std::string listen = "127.0.0.1:6443";
  /// Plain HTTP without authentication: refused unless `listen` is a loopback address.
  bool insecure_http = false;
  /// Holds pki/ (created on first start, reused after) and the kubeconfig.
  std::filesystem::path data_dir = "kactor-data";
  size_t threads = 2;
  /// A request must arrive whole within this (see ServerOptions::read_timeout).
  std::chrono::seconds read_timeout{30};
  /// How often pki/ is checked again while serving (ServerOptions::reload_tls): the serving
  /// certificate is renewed within 30 days of expiry and files replaced on disk are picked up,
  /// for the connections that come after.
  std::chrono::milliseconds tls_reload_interval{std::chrono::minutes(1)};
  /// The kubelet of a node, for pods/log (kactor::Cluster::kubelet); empty: pods/log answers
  /// 503. Called from the server's threads.
  std::function<std::optional<caf::actor>(const std::string& node)> kubelet_for;
  /// Used when `kubelet_for` is empty: the kubelets of other processes, reached through their
  /// HTTPS API (`kactor apiserver`: an HttpsKubeletBackend).
  std::shared_ptr<KubeletBackend> kubelets;
  /// The metrics server (kactor::Cluster::metrics) behind metrics.k8s.io; invalid: that API
  /// answers 503.
  caf::actor metrics;
  /// The cluster's service-account token issuer (kactor::Cluster::token_issuer): bearer tokens
  /// it signed authenticate as their service account. Null: only the admin's token and
  /// client certificates authenticate.
  std::shared_ptr<const tokens::TokenIssuer> token_issuer;
  ServiceAccountAuthOptions service_account_auth;
};

class ServingApi {
 public:
  ~ServingApi();
  /// https://127.0.0.1:6443 (or http://... with insecure_http).
  const std::string& url() const { return url_; }
  /// <data_dir>/kubeconfig; empty with insecure_http.
  const std::filesystem::path& kubeconfig() const { return kubeconfig_; }
  /// The admin's bearer token (empty with insecure_http).
  const std::string& admin_token() const { return admin_token_; }
  const ApiHandler& handler() const { return *handler_; }
  /// Stops serving (idempotent); the cluster goes on.
  void stop();

 private:
  friend api::Result<std::unique_ptr<ServingApi>> serve_api(caf::actor_system&, caf::actor,
                                                            const Clock&, ServeOptions);
  ServingApi() = default;
  std::shared_ptr<ApiBackend> backend_;
  std::shared_ptr<KubeletBackend> kubelets_;
  std::shared_ptr<MetricsBackend> metrics_;
  std::shared_ptr<ApiHandler> handler_;
  std::unique_ptr<HttpServer> server_;
  std::string url_;
  std::filesystem::path kubeconfig_;
  std::string admin_token_;
};

/// The PKI serve_api will use (created or renewed now, in <data_dir>/pki, for `listen`'s
/// host): `kactor up` reads the CA from it before the cluster starts, for the
/// root-ca-cert-publisher. BadRequest for a malformed `listen`.
api::Result<ClusterPki> ensure_serving_pki(const ServeOptions& options, TimePoint now);

/// Starts serving the API server `apiserver` of `system`. Errors name the flag or file at fault
/// (an address in use, a refused --insecure-http, an unreadable PKI file).
api::Result<std::unique_ptr<ServingApi>> serve_api(caf::actor_system& system, caf::actor apiserver,
                                                   const Clock& clock, ServeOptions options);

}  // namespace kactor::http
