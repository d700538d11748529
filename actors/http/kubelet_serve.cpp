#include "actors/http/kubelet_serve.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include "actors/http/files.hpp"
#include "actors/http/openssl_ptr.hpp"
#include "actors/http/pki.hpp"
#include "actors/http/server_tls.hpp"
#include "actors/http/x509_inspect.hpp"

namespace kactor::http {
namespace {

/// The client certificate's user when it verified against `ca` (CN the name, each O a
/// group, as upstream's x509 authenticator reads it); nullopt otherwise.
std::optional<UserInfo> certificate_user(const SSL* ssl, const X509* ca) {
  if (ssl == nullptr) return std::nullopt;
  const X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK || !is_signed_by(cert, ca))
    return std::nullopt;
  auto name = subject_common_name(cert);
  if (!name) return std::nullopt;
  return UserInfo{std::move(*name), subject_organizations(cert)};
}

/// The serving pairs from the listener's files (--tls-cert-file, each node's own), or
/// `self_signed` when no --tls-cert-file is given. BadRequest naming the file it could not read.
api::Result<ServingTls> read_serving_files(const KubeletServeOptions& options,
                                           const PemPair& self_signed) {
  ServingTls tls;
  tls.session_id_context = "kactor-kubelet";
  if (!options.tls_cert_file.empty()) {
    auto cert = read_flag_file("--tls-cert-file", options.tls_cert_file);
    if (!cert) return api::fail(cert.error());
    auto key = read_flag_file("--tls-private-key-file", options.tls_private_key_file);
    if (!key) return api::fail(key.error());
    tls.cert_pem = std::move(*cert);
    tls.key_pem = std::move(*key);
  } else {
    tls.cert_pem = self_signed.cert_pem;
    tls.key_pem = self_signed.key_pem;
  }
  for (const auto& [node, files] : options.node_certificates) {
    auto cert = read_flag_file("the serving certificate of node " + node, files.cert_file);
    if (!cert) return api::fail(cert.error());
    auto key = read_flag_file("the serving key of node " + node, files.key_file);
    if (!key) return api::fail(key.error());
    tls.by_server_name[node] = PemPair{std::move(*cert), std::move(*key)};
  }
  return tls;
}

}  // namespace

api::Result<std::unique_ptr<HttpServer>> serve_kubelet_api(const KubeletServeOptions& options,
                                                           KubeletApiSources sources,
                                                           TimePoint now) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(options.address, ec);
  if (ec)
    return api::fail(api::bad_request("--kubelet-address: \"" + options.address +
                                      "\" is not an IP address"));
  if (options.client_ca_file.empty() && !address.is_loopback())
    return api::fail(api::bad_request(
        "--kubelet-address " + options.address +
        ": without --client-ca-file the kubelet API serves anyone (pod logs included); that is "
        "allowed on a loopback address only"));
  if (options.tls_cert_file.empty() != options.tls_private_key_file.empty())
    return api::fail(api::bad_request(
        "--tls-cert-file and --tls-private-key-file are given together or not at all"));

  // Upstream's self-signed kubelet certificate when no --tls-cert-file is given: CN
  // <host>@<unix time>, the host's names. Made once; files are read again on reload.
  PemPair self_signed;
  if (options.tls_cert_file.empty()) {
    std::vector<std::string> hosts = sources.nodes;
    hosts.push_back(options.address);
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    auto made = self_signed_serving_pair(
        fmt::format("{}@{}", sources.nodes.empty() ? options.address : sources.nodes.front(),
                    seconds),
        hosts, now);
    if (!made) return api::fail(made.error());
    self_signed = std::move(*made);
  }
  auto tls = read_serving_files(options, self_signed);
  if (!tls) return api::fail(tls.error());
  ServerOptions server;
  server.address = options.address;
  server.port = options.port;
  server.threads = options.threads;
  if (!options.client_ca_file.empty()) {
    auto ca_pem = read_flag_file("--client-ca-file", options.client_ca_file);
    if (!ca_pem) return api::fail(ca_pem.error());
    std::shared_ptr<X509> ca(parse_certificate_pem(*ca_pem).release(), X509_free);
    if (!ca)
      return api::fail(api::bad_request("--client-ca-file " + options.client_ca_file +
                                        ": holds no PEM certificate"));
    tls->client_ca_pem = std::move(*ca_pem);
    server.authenticate = [ca](std::string_view, SSL* ssl) {
      return certificate_user(ssl, ca.get());
    };
  }
  server.configure_tls = [tls = *tls](SSL_CTX* ctx) { return configure_serving_tls(ctx, tls); };
  // Serving certificates replaced on disk are served from the next connection on (upstream's
  // ReloadKubeletServerCertificateFile). The client CA stays the one read at start: the
  // authenticator above checks against it.
  if (!options.tls_cert_file.empty() || !options.node_certificates.empty()) {
    server.reload_tls = reload_serving_tls(
        *tls, [options, self_signed, ca_pem = tls->client_ca_pem]() -> api::Result<ServingTls> {
          auto again = read_serving_files(options, self_signed);
          if (again) again->client_ca_pem = ca_pem;
          return again;
        });
    server.tls_reload_interval = options.tls_reload_interval;
  }
  // Authenticated users are authorized (upstream's Webhook mode, as kubeadm configures its
  // kubelets); without a client CA nobody is authenticated and everything is allowed
  // (upstream's AlwaysAllow), on loopback only (above).
  KubeletAuthorizer authorize;
  if (!options.client_ca_file.empty()) authorize = static_kubelet_authorizer;
  auto handler = std::make_shared<KubeletApiHandler>(std::move(sources), std::move(authorize));
  auto started = HttpServer::start(std::move(server), [handler](HttpRequest r, ExchangePtr e) {
    handler->handle(std::move(r), std::move(e));
  });
  if (!started)
    return api::fail(api::Status{started.error().code, started.error().reason,
                                 "--kubelet-port: " + started.error().message, {}});
  return started;
}

}  // namespace kactor::http
