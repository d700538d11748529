// A small synchronous HTTP/1.1 client (Beast) for tests that drive a server on 127.0.0.1:
// one GET answered whole, or a response read as it streams. Every read has a deadline (real
// time, for a broken test, not a pace).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace kactor::testing {

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
};

/// A GET whose response is read as it comes: the head first, then the body piece by piece.
class StreamingGet {
 public:
  StreamingGet(uint16_t port, const std::string& target,
               std::chrono::seconds deadline = std::chrono::seconds(10))
      : stream_(io_), deadline_(deadline) {
    namespace http = boost::beast::http;
    stream_.expires_after(deadline_);
    stream_.connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream_, req);
    parser_.body_limit(std::uint64_t{64} << 20);
    http::read_header(stream_, buffer_, parser_);
  }

  int status() const { return static_cast<int>(parser_.get().result_int()); }
  std::string content_type() const {
    return std::string(parser_.get()[boost::beast::http::field::content_type]);
  }
  /// The body received so far.
  const std::string& body() const { return parser_.get().body(); }
  /// Whether the whole response has arrived (the server ended it).
  bool done() const { return parser_.is_done(); }

  /// Reads until `pred(body())` holds or the response ends; false on the deadline or an error.
  template <class Pred>
  bool read_until(Pred pred) {
    stream_.expires_after(deadline_);
    boost::beast::error_code ec;
    while (!pred(body()) && !parser_.is_done()) {
      boost::beast::http::read_some(stream_, buffer_, parser_, ec);
      if (ec) return false;
    }
    return pred(body());
  }
  /// Reads to the end of the response; false on the deadline or an error.
  bool read_to_end() {
    return read_until([this](const std::string&) { return parser_.is_done(); });
  }
  /// Goes away as a client that quits: the connection closes.
  void close() {
    boost::beast::error_code ec;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  std::chrono::seconds deadline_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::response_parser<boost::beast::http::string_body> parser_;
};

/// One GET, read whole.
inline HttpResult http_get(uint16_t port, const std::string& target) {
  StreamingGet get(port, target);
  get.read_to_end();
  return HttpResult{get.status(), get.content_type(), get.body()};
}

}  // namespace kactor::testing
