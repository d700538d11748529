#include "actors/http/serve.hpp"

#include <memory>
#include <mutex>

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "actors/common/logging.hpp"
#include "actors/http/auth.hpp"
#include "actors/http/caf_backend.hpp"
#include "actors/http/caf_kubelet_backend.hpp"
#include "actors/http/caf_metrics_backend.hpp"
#include "actors/http/kubeconfig.hpp"
#include "actors/http/pki.hpp"
#include "actors/http/server_tls.hpp"

namespace kactor::http {

namespace {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

api::Result<HostPort> parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  auto bad = [&] {
    return api::fail(api::bad_request("--listen must be host:port (an IP address and a port), not \"" +
                                      listen + "\""));
  };
  if (colon == std::string::npos || colon == 0) return bad();
  HostPort out;
  out.host = listen.substr(0, colon);
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  const auto port_text = listen.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos)
    return bad();
  const auto port = std::stoul(port_text);
  if (port > 65535) return bad();
  out.port = static_cast<uint16_t>(port);
  boost::system::error_code ec;
  boost::asio::ip::make_address(out.host, ec);
  if (ec) return bad();
  return out;
}

bool is_loopback(const std::string& host) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(host, ec);
  return !ec && a.is_loopback();
}

/// The host a client on this machine uses: a wildcard listen is reached on loopback.
std::string client_host(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "[::1]";
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

/// <data_dir>/kubeconfig as written last: the admin certificate in it, kept current when the
/// PKI check while serving renews that certificate. Shared by the start and the reloads (on
/// the server's acceptor strand).
struct KubeconfigFile {
  std::mutex mutex;
  std::filesystem::path path;  // empty until serve_api wrote it
  std::string url;
  std::string admin_cert_pem;

  api::Result<void> write(const ClusterPki& pki) {
    auto text = kubeconfig_yaml(pki, url);
    if (!text) return api::fail(text.error());
    if (auto ok = write_kubeconfig(path, *text); !ok) return ok;
    admin_cert_pem = pki.admin_cert_pem;
    return {};
  }

  /// Rewrites the file when `pki`'s admin certificate is not the one in it.
  void keep_current(const ClusterPki& pki, spdlog::logger& log) {
    std::lock_guard lock(mutex);
    if (path.empty() || pki.admin_cert_pem == admin_cert_pem) return;
    if (auto ok = write(pki); !ok)
      log.warn("kubeconfig {}: not rewritten with the renewed admin certificate: {}",
               path.string(), ok.error().message);
    else
      log.info("kubeconfig {}: rewritten with the renewed admin certificate", path.string());
  }
};

}  // namespace

api::Result<ClusterPki> ensure_serving_pki(const ServeOptions& options, TimePoint now) {
  auto where = parse_listen(options.listen);
  if (!where) return api::fail(where.error());
  return ensure_cluster_pki(options.data_dir / "pki", {where->host}, now);
}

ServingApi::~ServingApi() { stop(); }

void ServingApi::stop() {
  if (server_) server_->stop();
  if (backend_) backend_->shutdown();
}

api::Result<std::unique_ptr<ServingApi>> serve_api(caf::actor_system& system, caf::actor apiserver,
                                                   const Clock& clock, ServeOptions options) {
  auto log = actors::logger("http");
  auto where = parse_listen(options.listen);
  if (!where) return api::fail(where.error());
  if (options.insecure_http && !is_loopback(where->host))
    return api::fail(api::bad_request("--insecure-http serves without TLS or authentication: only "
                                      "on a loopback address, not " + where->host));
  std::unique_ptr<ServingApi> out(new ServingApi());
  ServerOptions server;
  server.address = where->host;
  server.port = where->port;
  server.threads = options.threads;
  server.read_timeout = options.read_timeout;
  out->backend_ = std::make_shared<CafBackend>(system, std::move(apiserver));
  std::optional<ClusterPki> pki;
  auto kubeconfig = std::make_shared<KubeconfigFile>();
  if (!options.insecure_http) {
    auto made = ensure_cluster_pki(options.data_dir / "pki", {where->host}, clock.now());
    if (!made) return api::fail(made.error());
    for (const auto& change : made->changes) log->info("pki: {}", change);
    pki = std::move(*made);
    TokenValidator service_accounts;
    if (options.token_issuer)
      service_accounts = service_account_token_validator(options.token_issuer, out->backend_,
                                                         clock, options.service_account_auth);
    auto authenticator = std::make_shared<Authenticator>(*pki, std::move(service_accounts));
    server.configure_tls = [pki = *pki](SSL_CTX* ctx) { return configure_server_tls(ctx, pki); };
    // While serving, pki/ is ensured again as at start: a certificate near its expiry is
    // renewed, files replaced on disk are read, later connections get what changed, and the
    // kubeconfig gets a renewed admin certificate.
    server.reload_tls = reload_serving_tls(
        api_serving_tls(*pki),
        [dir = options.data_dir / "pki", host = where->host, clock = &clock, log, kubeconfig,
         ca_pem = pki->ca_cert_pem]() -> api::Result<ServingTls> {
          auto again = ensure_cluster_pki(dir, {host}, clock->now());
          if (!again) return api::fail(again.error());
          for (const auto& change : again->changes) log->info("pki: {}", change);
          // Client certificates are checked against the CA read at start (the authenticator
          // above): a new CA takes a restart, as its whole rotation does.
          if (again->ca_cert_pem != ca_pem)
            return api::fail(api::bad_request(
                (dir / std::string(kCaCertFile)).string() +
                " is not the CA this server started with: restart it to serve under the new CA"));
          kubeconfig->keep_current(*again, *log);
          return api_serving_tls(*again);
        });
    server.tls_reload_interval = options.tls_reload_interval;
    server.authenticate = [authenticator](std::string_view authorization,
                                          SSL* ssl) -> std::optional<UserInfo> {
      if (auto user = authenticator->from_bearer(authorization)) return user;
      if (ssl) return authenticator->from_peer_certificate(ssl);
      return std::nullopt;
    };
    out->admin_token_ = pki->admin_token;
  }
  HandlerOptions handler_options;
  // /api names the server's address, known once it listens (port 0 picks one): set below.
  if (options.kubelet_for)
    out->kubelets_ = std::make_shared<CafKubeletBackend>(system, std::move(options.kubelet_for));
  else
    out->kubelets_ = std::move(options.kubelets);
  if (options.metrics)
    out->metrics_ = std::make_shared<CafMetricsBackend>(system, std::move(options.metrics));
  out->handler_ = std::make_shared<ApiHandler>(out->backend_, clock, handler_options,
                                               out->kubelets_, out->metrics_);
  auto handler = out->handler_;
  auto started = HttpServer::start(server, [handler](HttpRequest r, ExchangePtr e) {
    handler->handle(std::move(r), std::move(e));
  });
  if (!started) return api::fail(started.error());
  out->server_ = std::move(*started);
  const auto host = client_host(where->host);
  const auto port = out->server_->port();
  out->handler_->set_server_address(fmt::format("{}:{}", host, port));
  out->url_ = fmt::format("{}://{}:{}", options.insecure_http ? "http" : "https", host, port);
  if (pki) {
    out->kubeconfig_ = options.data_dir / "kubeconfig";
    std::lock_guard lock(kubeconfig->mutex);
    kubeconfig->path = out->kubeconfig_;
    kubeconfig->url = out->url_;
    if (auto ok = kubeconfig->write(*pki); !ok) return api::fail(ok.error());
  }
  return out;
}

}  // namespace kactor::http
