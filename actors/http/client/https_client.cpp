#include "actors/http/client/https_client.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace kactor::http::client {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

/// Biggest answer read (a list of many objects); the API server's own limits are lower.
constexpr size_t kBodyLimit = 256 * 1024 * 1024;

api::Status unavailable(const ClusterAccess& a, const std::string& why) {
  api::Status s;
  s.code = 503;
  s.reason = "ServiceUnavailable";
  s.message = "the server " + a.server + " could not be reached: " + why;
  return s;
}

}  // namespace

struct HttpsClient::Impl {
  ClusterAccess access;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<ssl::context> tls_ctx;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  bool connected() { return (tls || plain) && lowest().socket().is_open(); }
  void drop() {
    plain.reset();
    tls.reset();
    buffer.clear();
  }

  /// The TLS context, built once; a bad CA or key is an error here, not a crash.
  api::Result<void> ensure_context() {
    if (!access.tls || tls_ctx) return {};
    try {
      ssl::context ctx(ssl::context::tls_client);
      if (access.ca_pem.empty()) {
        ctx.set_verify_mode(ssl::verify_none);
      } else {
        ctx.add_certificate_authority(net::buffer(access.ca_pem));
        ctx.set_verify_mode(ssl::verify_peer);
      }
      if (!access.client_cert_pem.empty()) {
        ctx.use_certificate_chain(net::buffer(access.client_cert_pem));
        ctx.use_private_key(net::buffer(access.client_key_pem), ssl::context::pem);
      }
      tls_ctx.emplace(std::move(ctx));
      return {};
    } catch (const std::exception& e) {
      return api::fail(api::bad_request(std::string("the kubeconfig's certificates: ") + e.what()));
    }
  }

  /// Runs the I/O until `done` or the deadline; false (and the connection closed) on timeout.
  bool run(const bool& done) {
    ioc.restart();
    ioc.run_for(timeout);
    if (done) return true;
    beast::error_code ec;
    if (tls || plain) lowest().socket().close(ec);
    ioc.restart();
    ioc.run();
    drop();
    return false;
  }

  api::Result<void> connect() {
    drop();
    if (auto ctx = ensure_context(); !ctx) return ctx;
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    auto endpoints = resolver.resolve(access.host, std::to_string(access.port), ec);
    if (ec) return api::fail(unavailable(access, ec.message()));
    bool done = false;
    if (access.tls) {
      tls.emplace(ioc, *tls_ctx);
      // Server name for the certificate's check (an IP address is checked against its SANs).
      beast::error_code not_ip;
      net::ip::make_address(access.host, not_ip);
      if (not_ip) SSL_set_tlsext_host_name(tls->native_handle(), access.host.c_str());
      if (!access.ca_pem.empty()) tls->set_verify_callback(ssl::host_name_verification(access.host));
      beast::get_lowest_layer(*tls).async_connect(endpoints, [&](beast::error_code e, auto) {
        if (e) {
          ec = e;
          done = true;
          return;
        }
        tls->async_handshake(ssl::stream_base::client, [&](beast::error_code e2) {
          ec = e2;
          done = true;
        });
      });
    } else {
      plain.emplace(ioc);
      plain->async_connect(endpoints, [&](beast::error_code e, auto) {
        ec = e;
        done = true;
      });
    }
    if (!run(done)) return api::fail(unavailable(access, "timed out connecting"));
    if (ec) {
      drop();
      return api::fail(unavailable(access, ec.message()));
    }
    return {};
  }
};

HttpsClient::HttpsClient(ClusterAccess access, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->access = std::move(access);
  impl_->timeout = timeout;
}

HttpsClient::~HttpsClient() = default;

const ClusterAccess& HttpsClient::access() const { return impl_->access; }

api::Result<HttpResponse> HttpsClient::request(const std::string& method, const std::string& target,
                                               const std::string& body,
                                               const std::string& content_type) {
  auto& im = *impl_;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = im.connected();
    if (!reused)
      if (auto c = im.connect(); !c) return api::fail(c.error());
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, im.access.host);
    req.set(bhttp::field::user_agent, "kactor");
    req.set(bhttp::field::accept, "application/json");
    if (!im.access.token.empty() && im.access.client_cert_pem.empty())
      req.set(bhttp::field::authorization, "Bearer " + im.access.token);
    if (!body.empty()) req.set(bhttp::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    req.keep_alive(true);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kBodyLimit);
    bool done = false;
    beast::error_code result;
    auto exchange = [&](auto& stream) {
      bhttp::async_write(stream, req, [&](beast::error_code ec, size_t) {
        if (ec) {
          result = ec;
          done = true;
          return;
        }
        bhttp::async_read(stream, im.buffer, parser, [&](beast::error_code ec2, size_t) {
          result = ec2;
          done = true;
        });
      });
    };
    if (im.tls)
      exchange(*im.tls);
    else
      exchange(*im.plain);
    if (!im.run(done)) {
      api::Status s = api::timeout("the server " + im.access.server + " did not answer " + method +
                                   " " + target + " in time");
      return api::fail(s);
    }
    if (result) {
      im.drop();
      if (reused && attempt == 0) continue;  // the server closed a kept-alive connection
      return api::fail(unavailable(im.access, result.message()));
    }
    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[bhttp::field::content_type]);
    out.body = std::move(res.body());
    if (!res.keep_alive()) im.drop();
    return out;
  }
  return api::fail(unavailable(im.access, "no answer"));
}

}  // namespace kactor::http::client
