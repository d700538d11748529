// TlsSocket, the server's TLS connection (OpenSSL driven on the socket, no Asio ssl::stream
// buffers): both ends over loopback, as Beast uses it (asynchronous reads and writes, one of
// each pending at a time) and as the bench's clients do (blocking, and reading without a
// pending buffer); its deadlines; a peer that goes away.
#include <array>
#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include <sys/ioctl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <catch2/catch.hpp>

#include "actors/http/pki.hpp"
#include "actors/http/tls_socket.hpp"

using kactor::http::TlsSocket;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

/// A server context with a self-signed certificate for 127.0.0.1, and a client context
/// that trusts only it.
struct Contexts {
  ssl::context server{ssl::context::tls_server};
  ssl::context client{ssl::context::tls_client};
  Contexts() {
    auto pair = kactor::http::self_signed_serving_pair(
        "tls-socket-test", {"127.0.0.1"},
        std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
    REQUIRE(pair.has_value());
    server.use_certificate_chain(net::buffer(pair->cert_pem));
    server.use_private_key(net::buffer(pair->key_pem), ssl::context::pem);
    client.add_certificate_authority(net::buffer(pair->cert_pem));
    client.set_verify_mode(ssl::verify_peer);
  }
};

/// A connected pair of sockets over loopback: the server end on `ioc`, the client end
/// on `client_ioc`.
std::pair<tcp::socket, tcp::socket> connected(net::io_context& ioc, net::io_context& client_ioc) {
  tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  tcp::socket client(client_ioc);
  client.connect(acceptor.local_endpoint());
  tcp::socket server = acceptor.accept();
  return {std::move(server), std::move(client)};
}

/// Runs `ioc` until `done` holds (the handlers set it), at most 10 s of real time.
template <class Done>
bool run_until(net::io_context& ioc, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(10));
  }
  return true;
}

/// Runs the server's side of the handshake to its end: true when it succeeded.
bool handshake_server(TlsSocket& server, net::io_context& ioc) {
  bool done = false;
  error_code ec;
  server.async_handshake(ssl::stream_base::server, [&](error_code e) {
    ec = e;
    done = true;
  });
  return run_until(ioc, [&] { return done; }) && !ec;
}

/// One read on the server's side, to its end: its error (none when bytes came).
error_code read_once(TlsSocket& server, net::io_context& ioc) {
  bool done = false;
  error_code ec;
  std::array<char, 16> buf{};
  server.async_read_some(net::buffer(buf), [&](error_code e, size_t) {
    ec = e;
    done = true;
  });
  REQUIRE(run_until(ioc, [&] { return done; }));
  return ec;
}

}  // namespace

TEST_CASE("TlsSocket: handshake, a request and a large answer, then end of stream") {
  Contexts ctx;
  net::io_context ioc, client_ioc;
  auto [server_socket, client_socket] = connected(ioc, client_ioc);
  TlsSocket server(std::move(server_socket), ctx.server.native_handle());

  // The client side runs blocking on its own thread (as the bench's watches open).
  const std::string answer(1 << 20, 'x');  // far more than the socket buffers: partial writes
  std::string client_got;
  error_code client_error;
  std::thread client([&, s = std::move(client_socket)]() mutable {
    TlsSocket c(std::move(s), ctx.client.native_handle());
    c.handshake(ssl::stream_base::client, client_error);
    if (client_error) return;
    net::write(c, net::buffer(std::string("ping")), client_error);
    if (client_error) return;
    client_got.resize(answer.size());
    net::read(c, net::buffer(client_got), client_error);
    c.close();
  });

  bool handshaken = false, written = false;
  error_code handshake_error, read_error, write_error;
  std::array<char, 4> request{};
  server.async_handshake(ssl::stream_base::server, [&](error_code ec) {
    handshake_error = ec;
    handshaken = true;
    if (ec) return;
    net::async_read(server, net::buffer(request), [&](error_code ec2, size_t) {
      read_error = ec2;
      if (ec2) return;
      net::async_write(server, net::buffer(answer), [&](error_code ec3, size_t n) {
        write_error = ec3;
        CHECK(n == answer.size());
        written = true;
      });
    });
  });
  REQUIRE(run_until(ioc, [&] { return written || read_error || handshake_error; }));
  client.join();
  CHECK(handshaken);
  CHECK_FALSE(handshake_error);
  CHECK_FALSE(read_error);
  CHECK_FALSE(write_error);
  CHECK(std::string(request.data(), request.size()) == "ping");
  CHECK_FALSE(client_error);
  CHECK(client_got == answer);

  // The client has closed without a close_notify: the next read says the stream was cut
  // short (as Asio's ssl::stream does), not a clean end.
  CHECK(read_once(server, ioc) == ssl::error::stream_truncated);
}

TEST_CASE("TlsSocket: a peer's close_notify ends the stream with eof") {
  Contexts ctx;
  net::io_context ioc, client_ioc;
  auto [server_socket, client_socket] = connected(ioc, client_ioc);
  TlsSocket server(std::move(server_socket), ctx.server.native_handle());
  std::thread client([&, s = std::move(client_socket)]() mutable {
    TlsSocket c(std::move(s), ctx.client.native_handle());
    c.handshake(ssl::stream_base::client);
    SSL_shutdown(c.native_handle());  // sends close_notify (blocking socket work not needed)
    c.close();
  });
  REQUIRE(handshake_server(server, ioc));
  CHECK(read_once(server, ioc) == net::error::eof);
  client.join();
}

TEST_CASE("TlsSocket: a read pending past its deadline fails with timeout, and so does the next") {
  Contexts ctx;
  net::io_context ioc, client_ioc;
  auto [server_socket, client_socket] = connected(ioc, client_ioc);
  TlsSocket server(std::move(server_socket), ctx.server.native_handle());
  // The client connects and says nothing: the server's handshake waits for its hello.
  bool done = false;
  error_code ec;
  server.expires_after(std::chrono::milliseconds(50));
  server.async_handshake(ssl::stream_base::server, [&](error_code e) {
    ec = e;
    done = true;
  });
  REQUIRE(run_until(ioc, [&] { return done; }));
  CHECK(ec == boost::beast::error::timeout);

  CHECK(read_once(server, ioc) == boost::beast::error::timeout);
}

TEST_CASE("TlsSocket: expires_never keeps a silent peer's read pending until close ends it") {
  Contexts ctx;
  net::io_context ioc, client_ioc;
  auto [server_socket, client_socket] = connected(ioc, client_ioc);
  TlsSocket server(std::move(server_socket), ctx.server.native_handle());
  std::thread client([&, s = std::move(client_socket)]() mutable {
    TlsSocket c(std::move(s), ctx.client.native_handle());
    c.handshake(ssl::stream_base::client);
    // Waits for the server to close; reads nothing.
    std::array<char, 1> b{};
    error_code ignored;
    c.read_some(net::buffer(b), ignored);
  });
  REQUIRE(handshake_server(server, ioc));

  server.expires_after(std::chrono::milliseconds(20));
  server.expires_never();
  bool done = false;
  error_code ec;
  std::array<char, 8> buf{};
  server.async_read_some(net::buffer(buf), [&](error_code e, size_t) {
    ec = e;
    done = true;
  });
  // Past the cancelled deadline the read is still pending (the client sends nothing).
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  while (std::chrono::steady_clock::now() < until && !done)
    ioc.run_one_for(until - std::chrono::steady_clock::now());
  CHECK_FALSE(done);
  server.close();
  REQUIRE(run_until(ioc, [&] { return done; }));
  CHECK(ec == net::error::operation_aborted);
  client.join();
}

TEST_CASE("TlsSocket: writing to a peer that went away fails without SIGPIPE") {
  Contexts ctx;
  net::io_context ioc, client_ioc;
  auto [server_socket, client_socket] = connected(ioc, client_ioc);
  TlsSocket server(std::move(server_socket), ctx.server.native_handle());
  std::promise<void> server_handshaken;
  std::thread client([&, s = std::move(client_socket)]() mutable {
    TlsSocket c(std::move(s), ctx.client.native_handle());
    c.handshake(ssl::stream_base::client);
    server_handshaken.get_future().wait();
    // Takes the server's session tickets, so that the close is a FIN (not a reset with
    // unread data): the server's socket then fails a write with EPIPE, SIGPIPE's errno.
    c.async_wait_readable([](error_code) {});
    client_ioc.run();
    std::array<char, 16> b{};
    error_code e;
    c.try_read(net::buffer(b), e);
    c.close();  // gone without a word
  });
  REQUIRE(handshake_server(server, ioc));
  server_handshaken.set_value();
  client.join();
  // The first writes may land in the socket buffer; the peer's reset fails a later one (with
  // SIGPIPE's default action the test process would end here instead).
  const std::string chunk(64 * 1024, 'y');
  error_code ec;
  for (int i = 0; i < 100 && !ec; ++i) {
    bool done = false;
    net::async_write(server, net::buffer(chunk), [&](error_code e, size_t) {
      ec = e;
      done = true;
    });
    REQUIRE(run_until(ioc, [&] { return done; }));
  }
  CHECK(ec);
}

TEST_CASE("TlsSocket: reading without a pending buffer gets every byte, then would_block") {
  Contexts ctx;
  net::io_context ioc, client_ioc;
  auto [server_socket, client_socket] = connected(ioc, client_ioc);
  TlsSocket server(std::move(server_socket), ctx.server.native_handle());
  const std::string message(100'000, 'z');  // several TLS records
  std::thread client([&, s = std::move(client_socket)]() mutable {
    TlsSocket c(std::move(s), ctx.client.native_handle());
    c.handshake(ssl::stream_base::client);
    net::write(c, net::buffer(message));
    std::array<char, 1> b{};
    error_code ignored;
    c.read_some(net::buffer(b), ignored);  // until the server closes
  });
  REQUIRE(handshake_server(server, ioc));

  std::string got;
  error_code last;
  bool waiting = false;
  std::function<void()> wait = [&] {
    waiting = true;
    server.async_wait_readable([&](error_code ec) {
      waiting = false;
      REQUIRE_FALSE(ec);
      std::array<char, 4096> buf{};
      while (true) {
        const size_t n = server.try_read(net::buffer(buf), last);
        if (last) break;
        got.append(buf.data(), n);
      }
      if (last == net::error::would_block && got.size() < message.size()) wait();
    });
  };
  wait();
  REQUIRE(run_until(ioc, [&] {
    return !waiting && (got.size() == message.size() || (last && last != net::error::would_block));
  }));
  CHECK(last == net::error::would_block);
  CHECK(got == message);
  server.close();
  client.join();
}

TEST_CASE("TlsSocket: records OpenSSL read ahead are read without waiting for the socket") {
  Contexts ctx;
  net::io_context ioc, client_ioc;
  auto [server_socket, client_socket] = connected(ioc, client_ioc);
  TlsSocket server(std::move(server_socket), ctx.server.native_handle());
  const int server_fd = server.socket().native_handle();
  std::promise<void> handshaken, both_sent;
  std::thread client([&, s = std::move(client_socket)]() mutable {
    TlsSocket c(std::move(s), ctx.client.native_handle());
    c.handshake(ssl::stream_base::client);
    // Not before the server's handshake has ended: its last read would take the records too.
    handshaken.get_future().wait();
    net::write(c, net::buffer(std::string("first")));  // two writes: two TLS records
    net::write(c, net::buffer(std::string("second")));
    both_sent.set_value();
    std::array<char, 1> b{};
    error_code ignored;
    c.read_some(net::buffer(b), ignored);  // nothing more until the server closes
  });
  const bool handshake_ok = handshake_server(server, ioc);
  handshaken.set_value();
  REQUIRE(handshake_ok);
  both_sent.get_future().wait();
  // Both records in the server's socket (a TLS 1.3 record adds 22 bytes to its text).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int queued = 0;
  while ((::ioctl(server_fd, FIONREAD, &queued), queued) < 2 * 22 + 11) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  auto read = [&](size_t size) {
    std::string got(size, '\0');
    bool done = false;
    error_code ec;
    server.async_read_some(net::buffer(got), [&](error_code e, size_t n) {
      ec = e;
      got.resize(n);
      done = true;
    });
    REQUIRE(run_until(ioc, [&] { return done; }));
    REQUIRE_FALSE(ec);
    return got;
  };
  CHECK(read(16) == "first");
  // One recv took both records: the second is OpenSSL's, the socket is empty...
  CHECK(server.holds_bytes());
  CHECK((::ioctl(server_fd, FIONREAD, &queued), queued) == 0);
  // ...and the next read takes it from there instead of waiting for bytes that never come.
  CHECK(read(16) == "second");
  CHECK_FALSE(server.holds_bytes());
  server.close();
  client.join();
}
