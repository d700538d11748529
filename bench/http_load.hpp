// bench_http's clients of the HTTPS API (Boost.Beast over TLS, asynchronous): closed-loop
// request load on many keep-alive connections, and many watch streams multiplexed on a few
// I/O threads that time every event's arrival. Used only by bench/http.cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace kactor::bench::http_load {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using Steady = std::chrono::steady_clock;

/// Where the API is served and how a client is trusted and trusts it.
struct Target {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string ca_pem;  // the cluster CA (<data_dir>/pki/ca.crt)
  std::string token;   // the admin's bearer token
};

/// A TLS client context trusting only the cluster CA. Idle connections give their TLS buffers
/// back (SSL_MODE_RELEASE_BUFFERS), so the client side weighs little in the per-watch memory.
inline ssl::context client_context(const Target& target) {
  ssl::context ctx(ssl::context::tls_client);
  ctx.add_certificate_authority(net::buffer(target.ca_pem));
  ctx.set_verify_mode(ssl::verify_peer);
  SSL_CTX_set_mode(ctx.native_handle(), SSL_MODE_RELEASE_BUFFERS);
  return ctx;
}

/// A connected, handshaken TLS stream (blocking: done before any measurement starts).
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
inline std::unique_ptr<TlsStream> connect_tls(net::io_context& ioc, ssl::context& ctx,
                                              const Target& target) {
  auto stream = std::make_unique<TlsStream>(ioc, ctx);
  beast::get_lowest_layer(*stream).socket().connect(
      tcp::endpoint(net::ip::make_address(target.host), target.port));
  beast::get_lowest_layer(*stream).socket().set_option(tcp::no_delay(true));
  stream->handshake(ssl::stream_base::client);
  return stream;
}

inline double ms(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// -- closed-loop request load ---------------------------------------------------------

/// Builds the request a connection sends next: `connection`'s `seq`-th.
using MakeRequest =
    std::function<bhttp::request<bhttp::string_body>(size_t connection, uint64_t seq)>;

struct LoadResult {
  uint64_t ok = 0;      // answers with the expected status
  uint64_t failed = 0;  // other statuses and transport errors
  std::string first_failure;
  double seconds = 0;              // first send → last answer
  std::vector<double> latency_ms;  // send → whole answer read, per ok request
  double per_s() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

namespace detail {

/// What one I/O thread's connections record (touched by that thread only).
struct LoadTally {
  uint64_t ok = 0, failed = 0;
  std::string first_failure;
  std::vector<double> latency_ms;
};

/// One keep-alive connection with one request in flight until the end time.
class LoadConnection : public std::enable_shared_from_this<LoadConnection> {
 public:
  LoadConnection(std::unique_ptr<TlsStream> stream, size_t index, const MakeRequest& make,
                 unsigned expected_status, Steady::time_point end, LoadTally& tally)
      : stream_(std::move(stream)),
        index_(index),
        make_(make),
        expected_(expected_status),
        end_(end),
        tally_(tally) {}

  void send_next() {
    if (Steady::now() >= end_) return close();
    request_ = make_(index_, seq_++);
    sent_ = Steady::now();
    bhttp::async_write(*stream_, request_,
                       [self = shared_from_this()](beast::error_code ec, size_t) {
                         if (ec) return self->fail("write: " + ec.message());
                         self->read_answer();
                       });
  }

 private:
  void read_answer() {
    parser_.emplace();
    parser_->body_limit(256 * 1024 * 1024);
    bhttp::async_read(*stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->fail("read: " + ec.message());
                        const auto& res = self->parser_->get();
                        if (res.result_int() != self->expected_) {
                          self->fail("HTTP " + std::to_string(res.result_int()) + ": " +
                                     res.body().substr(0, 300));
                          return self->send_next();
                        }
                        ++self->tally_.ok;
                        self->tally_.latency_ms.push_back(ms(Steady::now() - self->sent_));
                        self->send_next();
                      });
  }
  void fail(std::string why) {
    if (tally_.failed++ == 0) tally_.first_failure = std::move(why);
  }
  void close() {
    beast::error_code ec;
    beast::get_lowest_layer(*stream_).socket().close(ec);
  }

  std::unique_ptr<TlsStream> stream_;
  size_t index_;
  const MakeRequest& make_;
  unsigned expected_;
  Steady::time_point end_;
  LoadTally& tally_;
  uint64_t seq_ = 0;
  Steady::time_point sent_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
};

}  // namespace detail

/// `connections` keep-alive TLS connections over `threads` I/O threads (one io_context each),
/// every connection sending make(...) back to back for `duration`; an answer counts when its
/// status is `expected_status`. Connections are opened before the clock starts.
inline LoadResult run_load(const Target& target, size_t threads, size_t connections,
                           std::chrono::milliseconds duration, const MakeRequest& make,
                           unsigned expected_status) {
  auto ctx = client_context(target);
  std::vector<std::unique_ptr<net::io_context>> iocs;
  for (size_t t = 0; t < threads; ++t) iocs.push_back(std::make_unique<net::io_context>(1));
  std::vector<std::unique_ptr<TlsStream>> streams;
  for (size_t i = 0; i < connections; ++i)
    streams.push_back(connect_tls(*iocs[i % threads], ctx, target));

  std::vector<detail::LoadTally> tallies(threads);
  const auto start = Steady::now();
  const auto end = start + duration;
  for (size_t i = 0; i < connections; ++i) {
    auto c = std::make_shared<detail::LoadConnection>(std::move(streams[i]), i, make,
                                                      expected_status, end, tallies[i % threads]);
    net::post(*iocs[i % threads], [c] { c->send_next(); });
  }
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) workers.emplace_back([&, t] { iocs[t]->run(); });
  for (auto& w : workers) w.join();

  LoadResult out;
  out.seconds = std::chrono::duration<double>(Steady::now() - start).count();
  for (auto& t : tallies) {
    out.ok += t.ok;
    out.failed += t.failed;
    if (out.first_failure.empty()) out.first_failure = t.first_failure;
    out.latency_ms.insert(out.latency_ms.end(), t.latency_ms.begin(), t.latency_ms.end());
  }
  return out;
}

}  // namespace kactor::bench::http_load
