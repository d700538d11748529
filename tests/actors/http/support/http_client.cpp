#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace kactor::http::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

struct HttpClient::Impl {
  ClientOptions options;
  net::io_context ioc;
  std::optional<ssl::context> tls_ctx;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  // -- stream state --
  std::string raw;    // bytes read and not yet parsed
  std::string body;   // decoded body bytes not yet returned as lines
  bool head_done = false;
  bool ended = false;

  explicit Impl(ClientOptions o) : options(std::move(o)) {
    if (options.tls) {
      tls_ctx.emplace(ssl::context::tls_client);
      tls_ctx->add_certificate_authority(net::buffer(options.ca_pem));
      tls_ctx->set_verify_mode(ssl::verify_peer);
      if (!options.client_cert_pem.empty()) {
        tls_ctx->use_certificate_chain(net::buffer(options.client_cert_pem));
        tls_ctx->use_private_key(net::buffer(options.client_key_pem), ssl::context::pem);
      }
    }
  }

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  /// Runs the I/O context until `done` or the deadline; false when it timed out.
  bool run(const bool& done, std::chrono::milliseconds timeout) {
    ioc.restart();
    ioc.run_for(timeout);
    if (done) return true;
    beast::error_code ec;
    lowest().socket().close(ec);
    ioc.restart();
    ioc.run();
    return false;
  }

  /// What one read brought: an error (EOF, reset) or the bytes that had arrived.
  struct Read {
    beast::error_code error;
    std::string bytes;
  };
  /// One read of what has arrived (at most 8 KiB) within `timeout`; nullopt when it timed out.
  std::optional<Read> read_some(std::chrono::milliseconds timeout) {
    char buf[8192];
    bool done = false;
    Read out;
    with_stream([&](auto& s) {
      s.async_read_some(net::buffer(buf), [&](beast::error_code ec, size_t n) {
        out.error = ec;
        out.bytes.assign(buf, n);
        done = true;
      });
    });
    if (!run(done, timeout)) return std::nullopt;
    return out;
  }

  void connect() {
    plain.reset();
    tls.reset();
    buffer.clear();
    tcp::endpoint ep(net::ip::make_address(options.host), options.port);
    if (options.tls) {
      tls.emplace(ioc, *tls_ctx);
      beast::get_lowest_layer(*tls).connect(ep);
      tls->handshake(ssl::stream_base::client);
    } else {
      plain.emplace(ioc);
      plain->connect(ep);
    }
  }
  bool connected() { return (tls || plain) && lowest().socket().is_open(); }

  template <class F>
  void with_stream(F f) {
    if (tls) f(*tls);
    else f(*plain);
  }
};

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

ClientResponse HttpClient::request(const std::string& method, const std::string& target,
                                   const std::string& body, const std::string& content_type,
                                   std::map<std::string, std::string> headers) {
  auto& im = *impl_;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!im.connected()) im.connect();
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, im.options.host);
    if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    req.keep_alive(true);
    bhttp::response<bhttp::string_body> res;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bool done = false;
    beast::error_code result;
    im.with_stream([&](auto& s) {
      bhttp::async_write(s, req, [&](beast::error_code ec, size_t) {
        if (ec) {
          result = ec;
          done = true;
          return;
        }
        bhttp::async_read(s, im.buffer, parser, [&](beast::error_code ec2, size_t) {
          result = ec2;
          done = true;
        });
      });
    });
    if (!im.run(done, im.options.timeout)) return ClientResponse{0, "", "timed out", {}};
    if (result) {
      im.plain.reset();
      im.tls.reset();
      if (attempt == 0) continue;  // the server closed a kept-alive connection: once more
      return ClientResponse{0, "", result.message(), {}};
    }
    res = parser.release();
    ClientResponse out;
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[bhttp::field::content_type]);
    out.body = res.body();
    for (const auto& f : res) out.headers.emplace(std::string(f.name_string()), std::string(f.value()));
    if (!res.keep_alive()) {
      im.plain.reset();
      im.tls.reset();
    }
    return out;
  }
  return {};
}

int HttpClient::open_stream(const std::string& target, std::map<std::string, std::string> headers) {
  auto& im = *impl_;
  im.connect();
  im.raw.clear();
  im.body.clear();
  im.head_done = false;
  im.ended = false;
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: " + im.options.host + "\r\n";
  for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  im.with_stream([&](auto& s) { net::write(s, net::buffer(req)); });
  // Read until the head is complete.
  while (true) {
    auto end = im.raw.find("\r\n\r\n");
    if (end != std::string::npos) {
      const auto head = im.raw.substr(0, end);
      im.raw.erase(0, end + 4);
      im.head_done = true;
      return std::stoi(head.substr(9, 3));
    }
    auto read = im.read_some(im.options.timeout);
    if (!read || read->error) return 0;
    im.raw += read->bytes;
  }
}

std::optional<std::string> HttpClient::next_line(std::chrono::milliseconds timeout) {
  auto& im = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // Decode whole chunks from raw into body.
    while (!im.ended) {
      auto eol = im.raw.find("\r\n");
      if (eol == std::string::npos) break;
      const size_t size = std::stoul(im.raw.substr(0, eol), nullptr, 16);
      if (size == 0) {
        im.ended = true;
        break;
      }
      if (im.raw.size() < eol + 2 + size + 2) break;
      im.body.append(im.raw, eol + 2, size);
      im.raw.erase(0, eol + 2 + size + 2);
    }
    if (auto nl = im.body.find('\n'); nl != std::string::npos) {
      auto line = im.body.substr(0, nl);
      im.body.erase(0, nl + 1);
      return line;
    }
    if (im.ended) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto read = im.read_some(left);
    if (!read) return std::nullopt;
    if (read->error) {
      im.ended = true;
      return std::nullopt;
    }
    im.raw += read->bytes;
  }
}

bool HttpClient::stream_ended() const { return impl_->ended; }

std::string HttpClient::raw_exchange(const std::string& bytes, std::chrono::milliseconds timeout) {
  auto& im = *impl_;
  im.connect();
  im.with_stream([&](auto& s) { net::write(s, net::buffer(bytes)); });
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto read = im.read_some(left);
    if (!read || read->error) break;
    out += read->bytes;
  }
  im.plain.reset();
  im.tls.reset();
  return out;
}

bool HttpClient::raw_closed_within(const std::string& bytes, std::chrono::milliseconds timeout) {
  auto& im = *impl_;
  im.connect();
  im.with_stream([&](auto& s) { net::write(s, net::buffer(bytes)); });
  while (true) {
    auto read = im.read_some(timeout);
    if (!read) {
      im.plain.reset();
      im.tls.reset();
      return false;
    }
    if (read->error) {
      im.plain.reset();
      im.tls.reset();
      return true;  // EOF or reset: the server closed it
    }
  }
}

}  // namespace kactor::http::testing
