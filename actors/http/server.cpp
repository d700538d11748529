#include "actors/http/server.hpp"

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "actors/common/logging.hpp"
#include "actors/http/tls_socket.hpp"

namespace kactor::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

/// What every connection shares with the server: the I/O context (kept alive by each
/// connection, so an answer that arrives after stop() has somewhere to go) and the settings.
struct Shared {
  net::io_context ioc;
  /// Set by stop() once its I/O threads have returned: from then on nothing is posted to
  /// `ioc`. A handler queued there holds its session, the session holds this, this holds the
  /// queue: a cycle nobody would break, keeping the session and all it captured (a watch's
  /// producer, a backend) alive for good.
  std::shared_mutex post_mutex;
  bool closed = false;

  /// Posts `handler` to `executor` and returns true, unless stop() has closed the context:
  /// then false, and `handler` is left as it was (not moved from) for the caller to drop or run.
  template <class Executor, class Handler>
  bool try_post(const Executor& executor, Handler& handler) {
    std::shared_lock lock(post_mutex);
    if (closed) return false;
    net::post(executor, std::move(handler));
    return true;
  }

  /// The context new connections are accepted with; replaced by a reload (read and written
  /// on the acceptor's strand only). Open connections hold their SSL object, which holds its
  /// context.
  std::shared_ptr<ssl::context> tls;
  ServerOptions options;
  RequestHandler handler;
  std::shared_ptr<spdlog::logger> log = actors::logger("http");
  /// I/O threads still inside ioc.run(): stop() waits for them to drain, within a deadline.
  std::mutex run_mutex;
  std::condition_variable run_cv;
  size_t running = 0;
};

/// How long stop() lets connections finish what they hold (a TLS close, a write in flight)
/// before it stops the I/O context outright: a stop must end even if a peer never answers.
constexpr auto kStopDrainDeadline = std::chrono::seconds(5);

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void close() = 0;
};

/// Live connections, so stop() can close them.
struct Registry {
  std::mutex mutex;
  std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;
  bool stopping = false;
};

namespace {

/// The bytes chunked framing adds to `size` bytes of data: the size in hex, two CRLFs.
size_t chunk_framing(size_t size) {
  size_t digits = 1;
  while (size >= 16) {
    size /= 16;
    ++digits;
  }
  return digits + 4;
}

bool is_public(std::string_view target) {
  auto path = target.substr(0, target.find('?'));
  for (std::string_view p : {"/healthz", "/livez", "/readyz"})
    if (path == p || (path.starts_with(p) && path[p.size()] == '/')) return true;
  return path == "/version" || path == "/version/";
}

template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  /// What waits to be written: raw bytes (the head, the last chunk), or one chunk of the
  /// body, its bytes shared with other streams, with the callback its producer waits on.
  struct Queued {
    std::string raw;
    SharedBytes shared;
    std::function<void()> written;
    bool chunk = false;
    static Queued raw_bytes(std::string bytes) { return Queued{std::move(bytes), {}, {}, false}; }
    static Queued body_chunk(SharedBytes bytes, std::function<void()> written) {
      return Queued{{}, std::move(bytes), std::move(written), true};
    }
    const std::string& bytes() const { return shared ? *shared : raw; }
  };

  Session(std::shared_ptr<Shared> shared, std::shared_ptr<Registry> registry,
          tcp::socket socket) requires(!kTls)
      : shared_(std::move(shared)),
        registry_(std::move(registry)),
        stream_(std::move(socket)),
        strand_(stream_.get_executor()),
        timer_(strand_) {}
  Session(std::shared_ptr<Shared> shared, std::shared_ptr<Registry> registry,
          tcp::socket socket) requires(kTls)
      : shared_(std::move(shared)),
        registry_(std::move(registry)),
        stream_(std::move(socket), shared_->tls->native_handle()),
        strand_(stream_.get_executor()),
        timer_(strand_) {}

  void run() {
    net::dispatch(strand_, [self = this->shared_from_this()] { self->start(); });
  }

  void close() override {
    post([self = this->shared_from_this()] { self->shut_down(); });
  }

  // -- called from Exchange / Stream on any thread ----------------------------------------
  // After stop() these are dropped (the connection is closed), but for on_close, which runs.

  void respond(HttpResponse r, bool keep_alive) {
    post([self = this->shared_from_this(), r = std::move(r), keep_alive]() mutable {
      self->write_response(std::move(r), keep_alive);
    });
  }
  void open_stream(std::string content_type,
                   std::vector<std::pair<std::string, std::string>> headers) {
    post([self = this->shared_from_this(), ct = std::move(content_type),
          h = std::move(headers)]() mutable { self->start_stream(ct, h); });
  }
  void stream_write(SharedBytes chunk, std::function<void()> written) {
    if (!chunk || chunk->empty()) {  // an empty chunk would end the response
      if (written) written();
      return;
    }
    // Framed as a chunk when it is written (write_next), so the bytes are copied once.
    post([self = this->shared_from_this(), c = std::move(chunk), w = std::move(written)]() mutable {
      self->enqueue(Queued::body_chunk(std::move(c), std::move(w)));
    });
  }
  void stream_end() {
    post([self = this->shared_from_this()] { self->end_stream(); });
  }
  void stream_end_after(std::chrono::seconds after) {
    post([self = this->shared_from_this(), after] {
      self->timer_.expires_after(after);
      self->timer_.async_wait([self](beast::error_code ec) {
        if (!ec) self->end_stream();
      });
    });
  }
  void stream_on_close(std::function<void()> f) {
    auto set = [self = this->shared_from_this(), f = std::move(f)]() mutable {
      if (self->closed_) return f();
      self->on_close_ = std::move(f);
    };
    // The server has stopped: the connection is closed (stop() ran every session's
    // shut_down), so this runs `f` at once — a producer must hear that its stream is over.
    if (!shared_->try_post(strand_, set)) set();
  }

 private:
  /// Runs `handler` on this session's strand, or drops it once the server has stopped.
  template <class Handler>
  void post(Handler handler) {
    shared_->try_post(strand_, handler);
  }

  bool stopping() {
    std::lock_guard lock(registry_->mutex);
    return registry_->stopping;
  }

  void start() {
    bool stopping = false;
    {
      std::lock_guard lock(registry_->mutex);
      stopping = registry_->stopping;
      if (!stopping) registry_->sessions.insert(this->weak_from_this());
    }
    if (stopping) return shut_down();  // outside the lock: shut_down takes it
    if constexpr (kTls) {
      stream_.expires_after(shared_->options.read_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->shut_down();
                                self->read_request();
                              });
    } else {
      read_request();
    }
  }

  void read_request() {
    parser_.emplace();
    parser_->body_limit(shared_->options.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(shared_->options.max_header_bytes));
    stream_.expires_after(shared_->options.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_request(ec); });
  }

  void on_request(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return write_response(plain_status(413, "RequestEntityTooLarge",
                                         fmt::format("the request body is larger than {} bytes",
                                                     shared_->options.max_body_bytes)),
                            false);
    }
    if (ec == bhttp::error::header_limit) {
      return write_response(
          plain_status(431, "RequestHeaderFieldsTooLarge", "the request header is too large"),
          false);
    }
    if (ec) return shut_down();  // closed, timed out, or not HTTP: nothing to answer
    // A request read just before stop(), whose handler stop() runs on its own thread: the
    // server is going, so it is not handed on.
    if (stopping()) return shut_down();
    auto msg = parser_->release();
    parser_.reset();
    buffer_.shrink_to_fit();  // a watch may stay open for an hour: keep no request-sized buffer
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.content_type = std::string(msg[bhttp::field::content_type]);
    req.accept = std::string(msg[bhttp::field::accept]);
    req.body = std::move(msg.body());
    keep_alive_ = msg.keep_alive();
    if constexpr (kTls) {
      if (const char* sni = SSL_get_servername(stream_.native_handle(), TLSEXT_NAMETYPE_host_name))
        req.server_name = sni;
    }
    if (shared_->options.authenticate) {
      SSL* ssl = nullptr;
      if constexpr (kTls) ssl = stream_.native_handle();
      const auto auth = msg[bhttp::field::authorization];
      req.user = shared_->options.authenticate(std::string_view(auth.data(), auth.size()), ssl);
    }
    if (!req.user && shared_->options.authenticate && !is_public(req.target)) {
      return write_response(plain_status(401, "Unauthorized", "Unauthorized"), keep_alive_);
    }
    stream_.expires_never();  // the handler may take its time; a closed client is noticed
    // ...unless the next request is already read (pipelined with this one): the probe would
    // wait for bytes that are not coming, and the next request with it.
    if (buffer_.size() == 0) watch_for_close();
    shared_->handler(std::move(req), make_exchange());
  }

  static HttpResponse plain_status(int code, const char* reason, const std::string& message) {
    std::string body = fmt::format(
        R"({{"kind":"Status","apiVersion":"v1","metadata":{{}},"status":"Failure","message":"{}","reason":"{}","code":{}}})",
        message, reason, code);
    return HttpResponse{code, "application/json", std::move(body), {}};
  }

  ExchangePtr make_exchange();

  /// While a request is being answered the client sends nothing; a read that ends tells that
  /// it went away (and keeps this session alive until then).
  void watch_for_close() {
    if (close_watch_) return;
    close_watch_ = true;
    stream_.async_read_some(net::buffer(probe_),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              self->close_watch_ = false;
                              if (ec) return self->shut_down();
                              // The client's next request (sent after our answer, or pipelined):
                              // keep its first bytes for the parser.
                              auto room = self->buffer_.prepare(n);
                              std::memcpy(room.data(), self->probe_, n);
                              self->buffer_.commit(n);
                              if (self->resume_after_probe_) {
                                self->resume_after_probe_ = false;
                                self->read_request();
                              }
                            });
  }

  void write_response(HttpResponse r, bool keep_alive) {
    if (closed_ || answered_) return;
    answered_ = true;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(r.status), 11);
    res->set(bhttp::field::content_type, r.content_type);
    res->set(bhttp::field::cache_control, "no-cache, private");
    for (auto& [k, v] : r.headers) {
      if (k == "Warning")
        res->insert(k, v);  // one per warning
      else
        res->set(k, v);  // replaces a default such as Cache-Control
    }
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    stream_.expires_after(shared_->options.read_timeout);
    bhttp::async_write(
        stream_, *res,
        [self = this->shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
          if (ec || !keep_alive) return self->shut_down();
          self->answered_ = false;
          self->next_request();
        });
  }

  void next_request() {
    if (close_watch_) {
      // The probe read is still pending: the next request starts when it has its first byte
      // (an idle connection closes when the write's timer runs out).
      resume_after_probe_ = true;
      return;
    }
    read_request();
  }

  void start_stream(const std::string& content_type,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
    if (closed_ || answered_) return;
    answered_ = true;
    streaming_ = true;
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: " + content_type +
                       "\r\nCache-Control: no-cache, private\r\nTransfer-Encoding: chunked\r\n"
                       "Connection: close\r\n";
    for (auto& [k, v] : headers) head += k + ": " + v + "\r\n";
    head += "\r\n";
    enqueue(Queued::raw_bytes(std::move(head)));
  }

  /// Queues bytes for the stream: a chunk of the chunked body, or raw bytes (the head, the
  /// last chunk).
  void enqueue(Queued q) {
    if (closed_ || ending_) return;
    const size_t size = q.bytes().size();
    backlog_ += size + (q.chunk ? chunk_framing(size) : 0);
    if (backlog_ > shared_->options.max_stream_backlog) {
      shared_->log->warn("dropping a streaming client that stopped reading ({} bytes queued)",
                         backlog_);
      return shut_down();
    }
    queue_.push_back(std::move(q));
    if (!writing_) write_next();
  }

  void write_next() {
    if (queue_.empty() || closed_) {
      writing_ = false;
      if (ending_ && !closed_ && queue_.empty()) shut_down();
      return;
    }
    writing_ = true;
    // Everything queued goes out in one write (up to kCoalesceBytes): a watch that fell
    // behind catches up with one TLS record and one system call per batch instead of one
    // per event. The chunks stay whole, so the bytes are the same chunked body.
    writing_bytes_.clear();
    do {
      auto& q = queue_.front();
      const std::string& bytes = q.bytes();
      if (q.chunk) {
        fmt::format_to(std::back_inserter(writing_bytes_), "{:x}\r\n", bytes.size());
        writing_bytes_ += bytes;
        writing_bytes_ += "\r\n";
      } else {
        writing_bytes_ += bytes;
      }
      if (q.written) written_.push_back(std::move(q.written));
      queue_.pop_front();
    } while (!queue_.empty() && writing_bytes_.size() + queue_.front().bytes().size() +
                                        chunk_framing(queue_.front().bytes().size()) <=
                                    kCoalesceBytes);
    net::async_write(stream_, net::buffer(writing_bytes_),
                     [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                       if (ec) return self->shut_down();
                       self->backlog_ -= n;
                       auto done = std::move(self->written_);
                       self->written_.clear();
                       // An idle stream keeps no batch-sized buffer.
                       if (self->queue_.empty()) std::string().swap(self->writing_bytes_);
                       for (auto& d : done)
                         if (d) d();
                       self->write_next();
                     });
  }

  void end_stream() {
    if (closed_ || ending_ || !streaming_) return;
    enqueue(Queued::raw_bytes("0\r\n\r\n"));
    ending_ = true;
    if (!writing_) write_next();
  }

  void shut_down() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    if (auto f = std::move(on_close_)) f();
    {
      std::lock_guard lock(registry_->mutex);
      registry_->sessions.erase(this->weak_from_this());
    }
    // No TLS close_notify exchange: it could wait on a client that reads nothing.
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  std::shared_ptr<Shared> shared_;
  std::shared_ptr<Registry> registry_;
  Stream stream_;
  net::strand<net::any_io_executor> strand_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  char probe_[1];
  bool keep_alive_ = true;
  bool close_watch_ = false;
  bool resume_after_probe_ = false;
  bool answered_ = false;
  bool streaming_ = false;
  bool writing_ = false;
  bool ending_ = false;
  bool closed_ = false;
  size_t backlog_ = 0;
  std::deque<Queued> queue_;
  /// The write in flight: the queued chunks it joined, and their callbacks.
  static constexpr size_t kCoalesceBytes = 64 * 1024;
  std::string writing_bytes_;
  std::vector<std::function<void()>> written_;
  std::function<void()> on_close_;
};

template <class S>
class SessionStream final : public Stream {
 public:
  explicit SessionStream(std::shared_ptr<Session<S>> s) : session_(std::move(s)) {}
  using Stream::write;
  void write(SharedBytes chunk, std::function<void()> written) override {
    session_->stream_write(std::move(chunk), std::move(written));
  }
  void end() override { session_->stream_end(); }
  void end_after(std::chrono::seconds after) override { session_->stream_end_after(after); }
  void on_close(std::function<void()> closed) override {
    session_->stream_on_close(std::move(closed));
  }

 private:
  std::shared_ptr<Session<S>> session_;
};

template <class S>
class SessionExchange final : public Exchange {
 public:
  SessionExchange(std::shared_ptr<Session<S>> s, bool keep_alive)
      : session_(std::move(s)), keep_alive_(keep_alive) {}
  void respond(HttpResponse response) override {
    session_->respond(std::move(response), keep_alive_);
  }
  std::shared_ptr<Stream> open_stream(
      std::string content_type, std::vector<std::pair<std::string, std::string>> headers) override {
    session_->open_stream(std::move(content_type), std::move(headers));
    return std::make_shared<SessionStream<S>>(session_);
  }

 private:
  std::shared_ptr<Session<S>> session_;
  bool keep_alive_;
};

template <class Stream>
ExchangePtr Session<Stream>::make_exchange() {
  return std::make_shared<SessionExchange<Stream>>(this->shared_from_this(), keep_alive_);
}

/// A server context set up by `setup`, with the options every kactor listener has.
api::Result<std::shared_ptr<ssl::context>> make_tls_context(const TlsSetup& setup) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1);
  if (auto ok = setup(context->native_handle()); !ok) return api::fail(ok.error());
  // An idle connection (a watch between events) gives its TLS read/write buffers back:
  // ~34 KiB per connection otherwise (TlsSocket sets it on each connection as well).
  SSL_CTX_set_mode(context->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  return context;
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::shared_ptr<Registry> registry = std::make_shared<Registry>();
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool stopped = false;

  std::optional<net::steady_timer> accept_retry;
  /// Asks ServerOptions::reload_tls every tls_reload_interval (on the acceptor's strand).
  std::optional<net::steady_timer> tls_reload;

  void schedule_tls_reload() {
    // Not a busy loop on the acceptor's strand, whatever the option says.
    tls_reload->expires_after(
        std::max<std::chrono::milliseconds>(shared->options.tls_reload_interval,
                                            std::chrono::milliseconds(10)));
    tls_reload->async_wait([this](beast::error_code ec) {
      if (ec || !acceptor->is_open()) return;
      try {
        reload_tls();
      } catch (const std::exception& e) {  // an I/O thread must not end on it
        shared->log->warn("TLS: keeping the serving certificates in use: {}", e.what());
      }
      schedule_tls_reload();
    });
  }

  void reload_tls() {
    auto setup = shared->options.reload_tls();
    if (!setup) {
      shared->log->warn("TLS: keeping the serving certificates in use: {}",
                        setup.error().message);
      return;
    }
    if (!*setup) return;  // unchanged
    auto context = make_tls_context(**setup);
    if (!context) {
      shared->log->warn("TLS: keeping the serving certificates in use: {}",
                        context.error().message);
      return;
    }
    shared->tls = std::move(*context);
    shared->log->info("TLS: serving certificates reloaded; new connections use them");
  }

  size_t open_connections() {
    std::lock_guard lock(registry->mutex);
    return registry->sessions.size();
  }

  void accept() {
    acceptor->async_accept(net::make_strand(shared->ioc), [this](beast::error_code ec,
                                                                 tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
        // Out of file descriptors and the like: accepting again at once
        // would fail again at once, so wait a little.
        shared->log->warn("accept: {} (retrying in 100 ms)", ec.message());
        accept_retry->expires_after(std::chrono::milliseconds(100));
        accept_retry->async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec && acceptor->is_open()) accept();
        });
        return;
      }
      if (open_connections() >= shared->options.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);  // over the limit: refused at once
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        if (shared->tls)
          std::make_shared<Session<TlsSocket>>(shared, registry, std::move(socket))->run();
        else
          std::make_shared<Session<beast::tcp_stream>>(shared, registry, std::move(socket))->run();
      }
      if (acceptor->is_open()) accept();
    });
  }
};

api::Result<std::unique_ptr<HttpServer>> HttpServer::start(ServerOptions options,
                                                           RequestHandler handler) {
  auto impl = std::make_shared<Impl>();
  auto& shared = *impl->shared;
  shared.options = std::move(options);
  shared.handler = std::move(handler);
  const auto& o = shared.options;
  if (o.configure_tls) {
    auto context = make_tls_context(o.configure_tls);
    if (!context) return api::fail(context.error());
    shared.tls = std::move(*context);
  }
  beast::error_code ec;
  auto address = net::ip::make_address(o.address, ec);
  if (ec)
    return api::fail(api::bad_request("--listen: \"" + o.address + "\" is not an IP address"));
  tcp::endpoint endpoint{address, o.port};
  // The acceptor, its retry timer and stop()'s close share one strand.
  auto& acceptor = impl->acceptor.emplace(net::make_strand(shared.ioc));
  impl->accept_retry.emplace(acceptor.get_executor());
  impl->tls_reload.emplace(acceptor.get_executor());
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return api::fail(api::internal_error(
        fmt::format("listening on {}:{}: {}", o.address, o.port, ec.message())));
  impl->port = acceptor.local_endpoint().port();
  impl->work.emplace(shared.ioc.get_executor());
  impl->accept();
  if (shared.tls && o.reload_tls) impl->schedule_tls_reload();
  shared.running = std::max<size_t>(o.threads, 1);
  for (size_t i = 0; i < shared.running; ++i)
    impl->threads.emplace_back([s = impl->shared] {
      s->ioc.run();
      std::lock_guard lock(s->run_mutex);
      --s->running;
      s->run_cv.notify_all();
    });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  stop();
}

uint16_t HttpServer::port() const {
  return impl_->port;
}

void HttpServer::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  net::post(impl_->acceptor->get_executor(), [impl = impl_] {
    beast::error_code ec;
    impl->acceptor->close(ec);
    impl->accept_retry->cancel();
    impl->tls_reload->cancel();
  });
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(impl_->registry->mutex);
    impl_->registry->stopping = true;
    for (auto& w : impl_->registry->sessions)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->close();
  live.clear();
  impl_->work.reset();
  {
    auto& shared = *impl_->shared;
    std::unique_lock lock(shared.run_mutex);
    if (!shared.run_cv.wait_for(lock, kStopDrainDeadline, [&] { return shared.running == 0; })) {
      shared.log->warn("stop: {} I/O thread(s) still busy after {} s; stopping them",
                       shared.running, kStopDrainDeadline.count());
      shared.ioc.stop();
    }
  }
  // Closed connections hold no socket operation (one waiting on the API server holds none at
  // all), so the I/O threads run out of work and return.
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  // Nothing may stay queued on the context: a queued handler holds its session, which holds
  // the context (Shared::try_post). So no more is posted from now on (an answer that comes
  // later is dropped; a stream's on_close runs at once), and what is queued still — work the
  // deadline above cut short, or posted between the threads' return and here — runs now, on
  // this thread: each handler finds its connection closed (or closes it), does nothing more
  // and lets go of its session.
  auto& shared = *impl_->shared;
  {
    std::unique_lock lock(shared.post_mutex);
    shared.closed = true;
  }
  shared.ioc.restart();
  shared.ioc.poll();
}

}  // namespace kactor::http
