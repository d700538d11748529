#include "actors/http/tls_socket.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <new>

#include <openssl/bio.h>
#include <boost/asio/error.hpp>

namespace kactor::http {

namespace net = boost::asio;
using error_code = boost::system::error_code;

namespace {

// The BIO OpenSSL reads and writes the socket through: send() with MSG_NOSIGNAL (OpenSSL's
// socket BIO uses write(), which raises SIGPIPE on a connection the peer has reset), recv(),
// and "try again" when the non-blocking socket has nothing to give or no room.

int socket_of(BIO* bio) {
  return static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(bio)));
}

bool would_block(int err) {
  return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

/// The error of the BIO's last failed send or recv on this thread (0: none, or the peer
/// closed): what SSL_ERROR_SYSCALL stands for. Kept here rather than read from errno, which
/// OpenSSL's own calls may have changed since.
thread_local int last_socket_error = 0;

int bio_write(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  const auto n = ::send(socket_of(bio), data, static_cast<size_t>(size), MSG_NOSIGNAL);
  if (n < 0) {
    last_socket_error = errno;
    if (would_block(errno)) BIO_set_retry_write(bio);
  }
  return static_cast<int>(n);
}

int bio_read(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  const auto n = ::recv(socket_of(bio), data, static_cast<size_t>(size), 0);
  if (n < 0) {
    last_socket_error = errno;
    if (would_block(errno)) BIO_set_retry_read(bio);
  } else if (n == 0) {
    last_socket_error = 0;  // the peer closed its side
  }
  return static_cast<int>(n);
}

long bio_ctrl(BIO*, int cmd, long, void*) {
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

const BIO_METHOD* socket_bio_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "kactor socket");
    if (!m) return static_cast<BIO_METHOD*>(nullptr);
    BIO_meth_set_write(m, bio_write);
    BIO_meth_set_read(m, bio_read);
    BIO_meth_set_ctrl(m, bio_ctrl);
    return m;
  }();
  return method;
}

}  // namespace

TlsSocket::State::State(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

error_code TlsSocket::State::unusable_reason() const {
  if (timed_out) return boost::beast::error::timeout;
  if (!socket.is_open()) return net::error::bad_descriptor;
  if (!ssl) return net::error::no_memory;
  return {};
}

error_code TlsSocket::State::wait_failed(error_code ec) const {
  return timed_out ? error_code(boost::beast::error::timeout) : ec;
}

TlsSocket::TlsSocket(tcp::socket socket, SSL_CTX* ctx)
    : state_(std::make_shared<State>(std::move(socket))) {
  auto& st = *state_;
  error_code ec;
  st.socket.non_blocking(true, ec);
  const BIO_METHOD* method = socket_bio_method();
  if (ec || !method) return;  // no SSL object: every operation fails
  SslPtr ssl(SSL_new(ctx));
  BIO* bio = ssl ? BIO_new(method) : nullptr;
  if (!bio) return;
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<intptr_t>(st.socket.native_handle())));
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl.get(), bio, bio);  // one reference, owned by the SSL object
  SSL_set_mode(ssl.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
  // One recv() takes what has arrived, where OpenSSL would ask for each record's header and
  // body apart. Records it holds undecrypted count in SSL_has_pending(), which async_read_some
  // checks before it waits for the socket (async_wait_readable's callers drain first).
  SSL_set_read_ahead(ssl.get(), 1);
  st.ssl = std::move(ssl);
}

void TlsSocket::expires_after(std::chrono::steady_clock::duration after) {
  auto& st = *state_;
  const uint64_t deadline = ++st.deadline;
  st.timer.expires_after(after);
  st.timer.async_wait([weak = std::weak_ptr<State>(state_), deadline](error_code ec) {
    if (ec) return;  // replaced, cancelled, or the connection is gone
    auto st = weak.lock();
    if (!st || st->deadline != deadline) return;  // a newer deadline was set meanwhile
    st->timed_out = true;
    error_code ignored;
    st->socket.cancel(ignored);
  });
}

void TlsSocket::expires_never() {
  ++state_->deadline;
  state_->timer.cancel();
}

void TlsSocket::close() {
  expires_never();
  error_code ignored;
  state_->socket.close(ignored);
}

void TlsSocket::start_handshake(handshake_type type) {
  if (SSL* ssl = state_->ssl.get()) {
    if (type == handshake_type::server)
      SSL_set_accept_state(ssl);
    else
      SSL_set_connect_state(ssl);
  }
}

void TlsSocket::clear_errors() {
  ERR_clear_error();
  last_socket_error = 0;
}

TlsSocket::Outcome TlsSocket::outcome(SSL* ssl, int rc) {
  Outcome o;
  switch (SSL_get_error(ssl, rc)) {
    case SSL_ERROR_WANT_READ:
      o.wait = true;
      o.wait_for = tcp::socket::wait_read;
      break;
    case SSL_ERROR_WANT_WRITE:
      o.wait = true;
      o.wait_for = tcp::socket::wait_write;
      break;
    case SSL_ERROR_ZERO_RETURN:  // the peer's close_notify
      o.error = net::error::eof;
      break;
    case SSL_ERROR_SYSCALL:  // the socket failed, or closed without close_notify
      o.error = last_socket_error != 0
                    ? error_code(last_socket_error, boost::system::system_category())
                    : error_code(net::ssl::error::stream_truncated);
      break;
    default: {
      const unsigned long e = ERR_get_error();
      o.error = e != 0 ? error_code(static_cast<int>(e), net::error::get_ssl_category())
                       : error_code(net::ssl::error::unspecified_system_error);
    }
  }
  ERR_clear_error();
  return o;
}

template <class Call>
size_t TlsSocket::blocking(Call call, error_code& ec) {
  auto& st = *state_;
  ec = st.unusable_reason();
  if (ec) return 0;
  while (true) {
    clear_errors();
    size_t n = 0;
    const int rc = call(st.ssl.get(), n);
    if (rc > 0) return n;
    const auto next = outcome(st.ssl.get(), rc);
    if (!next.wait) {
      ec = next.error;
      return 0;
    }
    // Not socket.wait(): Asio's does not block on a socket set non-blocking.
    pollfd ready{st.socket.native_handle(),
                 static_cast<short>(next.wait_for == tcp::socket::wait_read ? POLLIN : POLLOUT), 0};
    while (::poll(&ready, 1, -1) < 0) {
      if (errno != EINTR) {
        ec = error_code(errno, boost::system::system_category());
        return 0;
      }
    }
  }
}

void TlsSocket::handshake(handshake_type type, error_code& ec) {
  start_handshake(type);
  blocking([](SSL* ssl, size_t&) { return SSL_do_handshake(ssl); }, ec);
}

void TlsSocket::handshake(handshake_type type) {
  error_code ec;
  handshake(type, ec);
  if (ec) throw boost::system::system_error(ec);
}

size_t TlsSocket::blocking_read(net::mutable_buffer into, error_code& ec) {
  if (into.size() == 0) {
    ec = state_->unusable_reason();
    return 0;
  }
  return blocking(
      [into](SSL* ssl, size_t& n) { return SSL_read_ex(ssl, into.data(), into.size(), &n); }, ec);
}

size_t TlsSocket::blocking_write(net::const_buffer from, error_code& ec) {
  if (from.size() == 0) {
    ec = state_->unusable_reason();
    return 0;
  }
  return blocking(
      [from](SSL* ssl, size_t& n) { return SSL_write_ex(ssl, from.data(), from.size(), &n); }, ec);
}

size_t TlsSocket::try_read(net::mutable_buffer into, error_code& ec) {
  auto& st = *state_;
  ec = st.unusable_reason();
  if (ec || into.size() == 0) return 0;
  clear_errors();
  size_t n = 0;
  if (SSL_read_ex(st.ssl.get(), into.data(), into.size(), &n) > 0) return n;
  const auto o = outcome(st.ssl.get(), 0);
  ec = o.wait ? error_code(net::error::would_block) : o.error;
  return 0;
}

}  // namespace kactor::http
