// A TLS connection that drives OpenSSL on the socket itself, for connections that stay open
// and mostly idle (watches). Asio's ssl::stream keeps four buffers of ~17 KiB per connection
// (its engine's BIO pair, stream_core's input and output buffers) for as long as it lives,
// whether anything is in flight or not: ~68 KiB of an idle watch's ~80 KiB. Here OpenSSL
// reads and writes the socket through a BIO of our own, a read that finds nothing held by
// OpenSSL waits until the socket is readable before OpenSSL is asked for anything, OpenSSL
// reads ahead (one recv takes what has arrived), and SSL_MODE_RELEASE_BUFFERS gives its record
// buffers back between records: an idle connection holds the SSL object and the socket.
//
// It is an Asio AsyncReadStream and AsyncWriteStream (what Beast's HTTP reads and writes
// need) with beast::tcp_stream's timeouts (expires_after / expires_never: when one runs out,
// what is pending fails with beast::error::timeout, and so does everything after), an
// asynchronous handshake, and blocking calls for clients that connect before they measure.
// As for any Asio stream, at most one read and one write are pending at a time, and every
// call is made on the socket's executor (a strand, for a socket used from several threads).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include "actors/http/openssl_ptr.hpp"

namespace kactor::http {

class TlsSocket {
 public:
  using executor_type = boost::asio::any_io_executor;
  using error_code = boost::system::error_code;
  using tcp = boost::asio::ip::tcp;
  using handshake_type = boost::asio::ssl::stream_base::handshake_type;

  /// Takes a connected socket; the connection uses `ctx`'s settings (certificates,
  /// verification, SNI callback). The socket is switched to non-blocking.
  TlsSocket(tcp::socket socket, SSL_CTX* ctx);

  executor_type get_executor() { return state_->socket.get_executor(); }
  /// The connection's SSL object (peer certificate, SNI name, session).
  SSL* native_handle() { return state_->ssl.get(); }
  tcp::socket& socket() { return state_->socket; }

  /// As beast::tcp_stream's: what is pending when `after` has passed, and every operation
  /// after it, fails with beast::error::timeout (the socket is left for close()).
  void expires_after(std::chrono::steady_clock::duration after);
  void expires_never();
  /// Closes the socket: pending operations end with operation_aborted, later ones fail at
  /// once. OpenSSL is not called again (the descriptor's number may be reused). No
  /// close_notify is sent: it could wait on a peer that reads nothing.
  void close();

  template <class Token>
  auto async_handshake(handshake_type type, Token&& token) {
    start_handshake(type);
    return start<Token, void(error_code)>([](SSL* ssl, size_t&) { return SSL_do_handshake(ssl); },
                                          false, false, std::forward<Token>(token));
  }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    const auto b = first_buffer<boost::asio::mutable_buffer>(buffers);
    return start<Token>(
        [b](SSL* ssl, size_t& n) { return SSL_read_ex(ssl, b.data(), b.size(), &n); },
        /*wait_readable_first=*/true, b.size() == 0, std::forward<Token>(token));
  }

  /// Writes the first buffer, or, when the first is short and more follow (Beast's HTTP head
  /// and body), up to kJoinBytes of them joined: one TLS record and one system call where
  /// there would be two (what beast::ssl_stream's flat_stream does for Asio's stream).
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    WriteCall call;
    call.from = first_buffer<boost::asio::const_buffer>(buffers);
    const size_t total = boost::asio::buffer_size(buffers);
    if (call.from.size() < total && call.from.size() < kJoinBytes) {
      call.joined.resize(std::min(total, kJoinBytes));
      boost::asio::buffer_copy(boost::asio::buffer(call.joined), buffers);
    }
    const bool empty = total == 0;
    return start<Token>(std::move(call), false, empty, std::forward<Token>(token));
  }

  // -- blocking (a client that connects and opens its request before it measures) --------
  void handshake(handshake_type type, error_code& ec);
  void handshake(handshake_type type);
  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers, error_code& ec) {
    const auto b = first_buffer<boost::asio::mutable_buffer>(buffers);
    return blocking_read(b, ec);
  }
  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers);
  template <class ConstBuffers>
  size_t write_some(const ConstBuffers& buffers, error_code& ec) {
    const auto b = first_buffer<boost::asio::const_buffer>(buffers);
    return blocking_write(b, ec);
  }
  template <class ConstBuffers>
  size_t write_some(const ConstBuffers& buffers);

  // -- reading without a pending buffer (many idle streams, one buffer per thread) --------
  /// Calls `handler(error_code)` when try_read() may have bytes: at once (posted) when
  /// OpenSSL holds decrypted bytes already, else when the socket is readable. Only after
  /// try_read() said would_block, or holds_bytes() is false: a whole record OpenSSL read ahead
  /// and has not decrypted yet does not count here, and would wait for the socket's next bytes.
  /// (SSL_pending, not SSL_has_pending: the start of a record whose rest has not arrived is
  /// not something to read, and would make this post at once again and again.) A peer that
  /// closed is readable too: try_read() then tells how it closed.
  template <class Handler>
  void async_wait_readable(Handler&& handler) {
    if (!state_->usable() || SSL_pending(state_->ssl.get()) > 0) {
      auto ec = state_->unusable_reason();
      return boost::asio::post(get_executor(),
                               [h = std::forward<Handler>(handler), ec]() mutable { h(ec); });
    }
    state_->socket.async_receive(
        boost::asio::buffer(&state_->peeked, 1), tcp::socket::message_peek,
        [h = std::forward<Handler>(handler), st = state_](error_code ec, size_t) mutable {
          h(ec == boost::asio::error::eof ? error_code() : st->wait_failed(ec));
        });
  }
  /// What can be decrypted now, without waiting: 0 and boost::asio::error::would_block when
  /// nothing is complete yet.
  size_t try_read(boost::asio::mutable_buffer into, error_code& ec);
  /// Whether OpenSSL holds bytes read from the socket and not yet taken (a whole record read
  /// ahead, or the start of one): when it holds none, what comes next is in the socket, and
  /// a reader can wait for it without asking the socket first.
  bool holds_bytes() const { return state_->ssl && SSL_has_pending(state_->ssl.get()) == 1; }

 private:
  /// What the connection's operations share with its timer's handler, which may run after
  /// the TlsSocket is gone (it holds a weak reference).
  struct State {
    explicit State(tcp::socket s);
    tcp::socket socket;
    boost::asio::steady_timer timer;
    SslPtr ssl;
    uint64_t deadline = 0;  // which expires_after() the timer's handler belongs to
    char peeked = 0;        // where waiting for readability peeks a byte to (and leaves it)
    bool timed_out = false;
    bool usable() const { return ssl && !timed_out && socket.is_open(); }
    error_code unusable_reason() const;
    /// The error a failed wait stands for: a timeout when the deadline closed it.
    error_code wait_failed(error_code ec) const;
  };

  /// What OpenSSL's answer `rc` of a call that did not succeed means: which readiness to wait
  /// for (wait_read / wait_write), or the error that ends the operation.
  struct Outcome {
    bool wait = false;
    tcp::socket::wait_type wait_for = tcp::socket::wait_read;
    error_code error;
  };
  static Outcome outcome(SSL* ssl, int rc);
  /// Empties OpenSSL's error queue and the socket error the BIO keeps, before a call.
  static void clear_errors();

  /// One OpenSSL call repeated until it succeeds or fails: waits for the readiness OpenSSL
  /// asks for in between. An outcome known before anything waited is posted, so the handler
  /// never runs inside the call that started the operation.
  template <class Call, class Signature>
  class Operation {
   public:
    Operation(std::shared_ptr<State> state, Call call, bool wait_readable_first, bool empty)
        : state_(std::move(state)),
          call_(std::move(call)),
          wait_first_(wait_readable_first),
          empty_(empty) {}

    /// Resumed by a wait for readability (a peek: bytes, left in the socket). The peer's end
    /// of the stream is readable as well: OpenSSL then says whether it closed with a
    /// close_notify (eof) or without (stream_truncated), as Asio's ssl::stream reports.
    template <class Self>
    void operator()(Self& self, error_code ec, size_t /*peeked*/) {
      (*this)(self, ec == boost::asio::error::eof ? error_code() : ec);
    }

    template <class Self>
    void operator()(Self& self, error_code ec = {}) {
      if (posted_) return complete(self, result_, bytes_);
      const bool first = !started_;
      started_ = true;
      if (!first && ec) return complete(self, state_->wait_failed(ec), 0);
      if (!state_->usable()) return finish(self, first, state_->unusable_reason(), 0);
      if (empty_) return finish(self, first, {}, 0);
      SSL* ssl = state_->ssl.get();
      if (first && wait_first_ && !SSL_has_pending(ssl)) return wait(self, tcp::socket::wait_read);
      clear_errors();
      size_t n = 0;
      const int rc = call_(ssl, n);
      if (rc > 0) return finish(self, first, {}, n);
      const auto next = outcome(ssl, rc);
      if (next.wait) return wait(self, next.wait_for);
      finish(self, first, next.error, 0);
    }

   private:
    /// Resumes when the socket is readable or writable. Readable is a one-byte peek, not
    /// socket.async_wait(): Asio tries a receive at once (no epoll_ctl and no trip through
    /// the reactor when bytes are there already, the common case of a request).
    template <class Self>
    void wait(Self& self, tcp::socket::wait_type type) {
      if (type == tcp::socket::wait_read)
        return state_->socket.async_receive(boost::asio::buffer(&state_->peeked, 1),
                                            tcp::socket::message_peek, std::move(self));
      state_->socket.async_wait(type, std::move(self));
    }

    template <class Self>
    static void complete(Self& self, error_code ec, size_t n) {
      if constexpr (std::is_same_v<Signature, void(error_code)>)
        self.complete(ec);
      else
        self.complete(ec, n);
    }

    template <class Self>
    void finish(Self& self, bool first, error_code ec, size_t n) {
      if (!first) return complete(self, ec, n);
      posted_ = true;
      result_ = ec;
      bytes_ = n;
      auto executor = state_->socket.get_executor();
      boost::asio::post(executor, std::move(self));
    }

    std::shared_ptr<State> state_;
    Call call_;
    bool wait_first_;
    bool empty_;
    bool started_ = false;
    bool posted_ = false;
    error_code result_;
    size_t bytes_ = 0;
  };

  template <class Token, class Signature = void(error_code, size_t), class Call>
  auto start(Call call, bool wait_readable_first, bool empty, Token&& token) {
    return boost::asio::async_compose<Token, Signature>(
        Operation<Call, Signature>(state_, std::move(call), wait_readable_first, empty), token,
        state_->socket);
  }

  static constexpr size_t kJoinBytes = 64 * 1024;
  /// SSL_write of the joined bytes when there are any, else of `from`.
  struct WriteCall {
    std::string joined;
    boost::asio::const_buffer from;
    int operator()(SSL* ssl, size_t& n) const {
      return joined.empty() ? SSL_write_ex(ssl, from.data(), from.size(), &n)
                            : SSL_write_ex(ssl, joined.data(), joined.size(), &n);
    }
  };

  /// The first non-empty buffer of a sequence (as Asio's ssl::stream, one record's worth
  /// per call), or an empty one.
  template <class Buffer, class Sequence>
  static Buffer first_buffer(const Sequence& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      Buffer b(*it);
      if (b.size() > 0) return b;
    }
    return Buffer();
  }

  void start_handshake(handshake_type type);
  /// Repeats `call` (blocking on the socket's readiness in between) until it succeeds or fails.
  template <class Call>
  size_t blocking(Call call, error_code& ec);
  size_t blocking_read(boost::asio::mutable_buffer into, error_code& ec);
  size_t blocking_write(boost::asio::const_buffer from, error_code& ec);

  std::shared_ptr<State> state_;
};

template <class MutableBuffers>
size_t TlsSocket::read_some(const MutableBuffers& buffers) {
  error_code ec;
  const size_t n = read_some(buffers, ec);
  if (ec) throw boost::system::system_error(ec);
  return n;
}

template <class ConstBuffers>
size_t TlsSocket::write_some(const ConstBuffers& buffers) {
  error_code ec;
  const size_t n = write_some(buffers, ec);
  if (ec) throw boost::system::system_error(ec);
  return n;
}

}  // namespace kactor::http
