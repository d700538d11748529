// The HTTP/1.1 server: Boost.Beast over Asio on its own I/O threads, TLS by default. It reads
// each request whole (size and time limits), authenticates it, hands it to a RequestHandler and
// writes the answer, or streams one (chunked, flushed per chunk) for watches. Keep-alive for
// ordinary answers; a streamed answer closes its connection when it ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "actors/http/exchange.hpp"
#include "api/codec/limits.hpp"
#include "api/status.hpp"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace kactor::http {

/// Sets up TLS on a fresh OpenSSL context (certificates, the client CA).
using TlsSetup = std::function<api::Result<void>(SSL_CTX*)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 6443;  // 0: a free port (see HttpServer::port())
  size_t threads = 2;
  /// Sets up TLS (certificates, the client CA); empty: plain HTTP.
  TlsSetup configure_tls;
  /// Certificates renewed while the server runs (upstream's dynamic serving certificates):
  /// every `tls_reload_interval` the server asks; a TlsSetup it gets sets up a fresh context,
  /// which the connections accepted from then on use (open ones keep theirs, and sessions of
  /// the old context are not resumed); nullopt: nothing changed. On an error the server logs
  /// it and keeps serving with what it has. Empty: the first context serves for good.
  std::function<api::Result<std::optional<TlsSetup>>()> reload_tls;
  std::chrono::milliseconds tls_reload_interval{std::chrono::minutes(1)};
  /// Who sent a request, from its Authorization header and its TLS session (nullptr over plain
  /// HTTP); nullopt: anonymous. Empty: every request is anonymous.
  std::function<std::optional<UserInfo>(std::string_view authorization, SSL* ssl)> authenticate;
  size_t max_body_bytes = api::limits::kMaxRequestBodyBytes;
  size_t max_header_bytes = 64 * 1024;
  /// A request (head and body) must arrive within this, and a TLS handshake too; an idle
  /// keep-alive connection is closed after it. Ends slowloris connections.
  std::chrono::seconds read_timeout{30};
  /// Bytes queued for a streaming client that does not read before its connection is dropped.
  size_t max_stream_backlog = 16 * 1024 * 1024;
  /// Open connections; one more is closed at once (each watch holds one).
  size_t max_connections = 10000;
};

using RequestHandler = std::function<void(HttpRequest request, ExchangePtr exchange)>;

class HttpServer {
 public:
  /// Binds, listens and starts the I/O threads. Errors: the address is taken or invalid, the
  /// TLS setup failed.
  static api::Result<std::unique_ptr<HttpServer>> start(ServerOptions options,
                                                        RequestHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The port it listens on (the chosen one when ServerOptions::port was 0).
  uint16_t port() const;
  /// Stops accepting, closes every connection (open streams end, their producers hear of it)
  /// and joins the I/O threads. Idempotent.
  void stop();

  struct Impl;

 private:
  explicit HttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace kactor::http
