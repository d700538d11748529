#include "actors/http/https_kubelet_backend.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <sys/resource.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "actors/common/logging.hpp"
#include "actors/http/openssl_ptr.hpp"
#include "actors/http/stats_summary.hpp"
#include "api/time/rfc3339.hpp"

namespace kactor::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

/// The largest answer read whole (a summary of 110 pods is ~100 KiB; a log without
/// limitBytes may be larger).
constexpr size_t kBodyLimit = 64 * 1024 * 1024;

api::Status unavailable(const std::string& node, const std::string& why) {
  return api::service_unavailable(
      fmt::format("the kubelet of node \"{}\" could not be reached: {}", node, why));
}

/// An error answer of a kubelet: its Status document, or its text.
api::Status status_of(int code, const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.value("kind", "") == "Status") {
    return api::Status{j.value("code", code), j.value("reason", std::string{}),
                       j.value("message", body), {}};
  }
  return api::Status{code, code == 401 ? "Unauthorized" : code == 403 ? "Forbidden" : "InternalError",
                     body.empty() ? fmt::format("the kubelet answered {}", code) : body, {}};
}

void append_query(std::string& target, const char* key, const std::string& value) {
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += key;
  target += '=';
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ':')
      target += static_cast<char>(c);
    else
      target += fmt::format("%{:02X}", c);
  }
}

/// One request to one kubelet, driven by the thread that calls it: every step runs the
/// request's own I/O context until it is done or its deadline passes.
class KubeletCall {
 public:
  /// `verify`: the serving certificate is checked (the context verifies the chain to the
  /// kubelet CA; here, that it names the node).
  KubeletCall(std::shared_ptr<ssl::context> tls, bool verify, std::string node,
              KubeletEndpoint endpoint, std::chrono::milliseconds timeout)
      : tls_(std::move(tls)), verify_(verify), node_(std::move(node)),
        endpoint_(std::move(endpoint)), timeout_(timeout), stream_(ioc_, *tls_) {}

  /// Connects and shakes hands. `resume`: a session of an earlier connection to this node,
  /// offered for resumption (the server may decline it; the handshake is then a full one).
  api::Result<void> connect(SSL_SESSION* resume = nullptr) {
    beast::error_code ec;
    auto address = net::ip::make_address(endpoint_.host, ec);
    if (ec) return api::fail(unavailable(node_, "\"" + endpoint_.host + "\" is not an IP address"));
    // The node's name as the server name: one listener serves every node of its process.
    SSL_set_tlsext_host_name(stream_.native_handle(), node_.c_str());
    // The certificate must name the node: its DNS subjectAltNames (no CN fallback, as Go's
    // verifier since 1.15), no wildcard standing for a dotted name.
    if (verify_) {
      SSL_set_hostflags(stream_.native_handle(), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
      if (SSL_set1_host(stream_.native_handle(), node_.c_str()) != 1)
        return api::fail(unavailable(node_, "cannot check its certificate against the node name"));
    }
    if (resume) SSL_set_session(stream_.native_handle(), resume);
    bool done = false;
    beast::get_lowest_layer(stream_).async_connect(
        tcp::endpoint(address, endpoint_.port), [&](beast::error_code e) {
          if (e) {
            ec = e;
            done = true;
            return;
          }
          stream_.async_handshake(ssl::stream_base::client, [&](beast::error_code e2) {
            ec = e2;
            done = true;
          });
        });
    if (!run(done)) return api::fail(timed_out("connecting"));
    if (ec) return api::fail(unavailable(node_, where() + ": " + handshake_failure(ec)));
    return {};
  }

  /// Sends `target` on the connection and reads the answer's head: its status code. A
  /// connection may carry one request after another, each once the answer before it was
  /// read whole.
  api::Result<int> send(const std::string& target) {
    beast::error_code ec;
    request_ = {bhttp::verb::get, target, 11};
    request_.set(bhttp::field::host, endpoint_.host);
    request_.set(bhttp::field::user_agent, "kactor-apiserver");
    request_.keep_alive(true);
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    bool done = false;
    bhttp::async_write(stream_, request_, [&](beast::error_code e, size_t) {
      if (e) {
        ec = e;
        done = true;
        return;
      }
      bhttp::async_read_header(stream_, buffer_, *parser_, [&](beast::error_code e2, size_t) {
        ec = e2;
        done = true;
      });
    });
    if (!run(done)) return api::fail(timed_out("waiting for its answer"));
    if (ec) return api::fail(unavailable(node_, where() + ": " + ec.message()));
    return static_cast<int>(parser_->get().result_int());
  }

  /// The rest of the answer, whole, within the deadline.
  api::Result<std::string> read_body() {
    beast::error_code ec;
    bool done = false;
    bhttp::async_read(stream_, buffer_, *parser_, [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    if (!run(done)) return api::fail(timed_out("reading its answer"));
    if (ec) return api::fail(unavailable(node_, where() + ": " + ec.message()));
    // While the connection waits for its next request it holds no answer-sized buffer.
    buffer_.shrink_to_fit();
    ++answers_;
    return std::move(parser_->get().body());
  }

  /// Whether the answer read whole leaves the connection open for another request: the
  /// kubelet did not say it closes it, and nothing follows the answer.
  bool reusable() {
    return parser_ && parser_->is_done() && parser_->keep_alive() && buffer_.size() == 0 &&
           beast::get_lowest_layer(stream_).socket().is_open();
  }

  const KubeletEndpoint& endpoint() const { return endpoint_; }
  /// Answers read whole on this connection.
  int answers() const { return answers_; }

  /// Passes each piece of a streamed (chunked) answer to `piece` as it arrives, without a
  /// deadline, until it ends, fails or cancel() closes the connection.
  void stream_body(const std::function<void(std::string)>& piece) {
    // The parser keeps a reference: the callback lives until this function returns.
    auto on_body = [&](std::uint64_t, beast::string_view body, beast::error_code&) -> std::size_t {
      if (!body.empty()) piece(std::string(body));
      return body.size();
    };
    parser_->on_chunk_body(on_body);
    std::function<void()> read_more = [&] {
      bhttp::async_read_some(stream_, buffer_, *parser_, [&](beast::error_code e, size_t) {
        // A body without chunks (a plain answer) gathers in the parser: pass it on as well.
        if (auto& b = parser_->get().body(); !b.empty()) {
          piece(std::move(b));
          b.clear();
        }
        if (!e && !parser_->is_done()) read_more();
      });
    };
    read_more();
    ioc_.restart();
    ioc_.run();
  }

  /// The client context this call was made with.
  const ssl::context* context() const { return tls_.get(); }

  /// A copy of the connection's session when it can be resumed (TLS 1.3 sends its ticket
  /// after the handshake: ask once an answer has been read), else null. A copy, because
  /// OpenSSL marks the connection's own session not resumable when the connection is freed
  /// without a close_notify, as these are.
  SslSessionPtr resumable_session() {
    SSL_SESSION* s = SSL_get_session(stream_.native_handle());
    if (s == nullptr || !SSL_SESSION_is_resumable(s)) return nullptr;
    return SslSessionPtr(SSL_SESSION_dup(s));
  }
  /// Whether the handshake resumed an earlier session.
  bool resumed() { return SSL_session_reused(stream_.native_handle()) == 1; }

  /// Ends a stream_body from any thread.
  void cancel() {
    net::post(ioc_, [this] {
      beast::error_code ec;
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
      beast::get_lowest_layer(stream_).socket().close(ec);
    });
  }

 private:
  std::string where() const { return fmt::format("{}:{}", endpoint_.host, endpoint_.port); }
  /// Why connecting failed; for a serving certificate that did not verify, OpenSSL's reason
  /// ("unable to get local issuer certificate", "hostname mismatch", ...) and the flag.
  std::string handshake_failure(const beast::error_code& ec) {
    if (verify_) {
      const long result = SSL_get_verify_result(stream_.native_handle());
      if (result != X509_V_OK)
        return fmt::format(
            "its serving certificate does not verify against --kubelet-certificate-authority "
            "for node name \"{}\": {}",
            node_, X509_verify_cert_error_string(result));
    }
    return ec.message();
  }
  api::Status timed_out(const std::string& step) const {
    return api::timeout(fmt::format("the kubelet of node \"{}\" at {} did not answer in time ({})",
                                    node_, where(), step));
  }
  /// Runs the I/O until `done` or the deadline; false (the connection closed) on timeout.
  bool run(const bool& done) {
    ioc_.restart();
    ioc_.run_for(timeout_);
    if (done) return true;
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().close(ec);
    ioc_.restart();
    ioc_.run();
    return false;
  }

  std::shared_ptr<ssl::context> tls_;
  bool verify_;
  std::string node_;
  KubeletEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  net::io_context ioc_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::empty_body> request_;
  /// The answer being read: a parser reads one message, so each request gets a new one.
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  int answers_ = 0;
};

/// The process's open-file limit (its soft limit); 1024, the usual default, when unknown.
size_t open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1024;
  return static_cast<size_t>(limit.rlim_cur);
}

kubelet::PodLogChunk error_chunk(api::Status status) {
  kubelet::PodLogChunk c;
  c.error = std::move(status);
  return c;
}

/// A followed log: cancel() closes its connection; one that has not connected yet is told
/// not to start.
class HttpsLogControl final : public LogControl {
 public:
  void cancel() override {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    if (call_) call_->cancel();
  }
  /// False when cancelled already.
  bool attach(std::shared_ptr<KubeletCall> call) {
    std::lock_guard lock(mutex_);
    call_ = std::move(call);
    return !cancelled_;
  }
  void detach() {
    std::lock_guard lock(mutex_);
    call_.reset();
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<KubeletCall> call_;
  bool cancelled_ = false;
};

/// The client context of `options`, presenting `client` (none when its certificate is
/// empty). BadRequest naming what did not load.
api::Result<std::shared_ptr<ssl::context>> client_context(const HttpsKubeletOptions& options,
                                                          const PemPair& client) {
  std::shared_ptr<ssl::context> ctx;
  try {
    ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    // A kept connection waiting for its node's next request holds no record buffers.
    SSL_CTX_set_mode(ctx->native_handle(), SSL_MODE_RELEASE_BUFFERS);
    if (!client.cert_pem.empty()) {
      ctx->use_certificate_chain(net::buffer(client.cert_pem));
      ctx->use_private_key(net::buffer(client.key_pem), ssl::context::pem);
      if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
        return api::fail(api::bad_request(
            "the kubelet client certificate: the key is not the certificate's"));
    }
  } catch (const std::exception& e) {
    return api::fail(api::bad_request(std::string("the kubelet client certificate: ") + e.what()));
  }
  if (options.certificate_authority_pem.empty()) {
    // Kubelets serve self-signed certificates by default: like kube-apiserver without
    // --kubelet-certificate-authority, the serving certificate is not verified.
    ctx->set_verify_mode(ssl::verify_none);
  } else {
    try {
      ctx->add_certificate_authority(net::buffer(options.certificate_authority_pem));
    } catch (const std::exception& e) {
      return api::fail(api::bad_request(
          std::string("--kubelet-certificate-authority: no PEM certificate loads: ") + e.what()));
    }
    ctx->set_verify_mode(ssl::verify_peer);
  }
  return ctx;
}

}  // namespace

struct HttpsKubeletBackend::Impl {
  HttpsKubeletOptions options;
  KubeletEndpointLookup lookup;
  /// Connections kept open after a whole answer, at most one per node, each with the
  /// context it was made with (only that context's are used: a reload drops them all) and
  /// when its answer ended.
  struct IdleConnection {
    std::shared_ptr<KubeletCall> call;
    std::chrono::steady_clock::time_point since;
  };
  std::mutex idle_mutex;
  std::unordered_map<std::string, IdleConnection> idle;
  size_t max_idle = 0;
  std::chrono::steady_clock::time_point next_idle_sweep;
  std::atomic<uint64_t> reused{0};

  /// The context new connections are made with, the client pair it presents, and when
  /// options.reload_client_certificate is asked next (all under tls_mutex).
  std::mutex tls_mutex;
  std::shared_ptr<ssl::context> tls;
  PemPair client;
  std::chrono::steady_clock::time_point next_reload;
  std::shared_ptr<spdlog::logger> log = actors::logger("http");

  std::shared_ptr<ssl::context> context() {
    std::unordered_map<std::string, IdleConnection> dropped;  // closed after the lock
    std::lock_guard lock(tls_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (!options.reload_client_certificate || now < next_reload) return tls;
    next_reload = now + options.client_certificate_reload_interval;
    auto fresh = options.reload_client_certificate();
    if (fresh && (fresh->cert_pem.empty() || fresh->key_pem.empty()))
      fresh = api::fail(api::bad_request("the kubelet client certificate or key is empty"));
    if (fresh && *fresh == client) return tls;
    auto ctx = fresh ? client_context(options, *fresh)
                     : api::Result<std::shared_ptr<ssl::context>>(api::fail(fresh.error()));
    if (!ctx) {
      log->warn("kubelet client: keeping the client certificate in use: {}", ctx.error().message);
      return tls;
    }
    tls = std::move(*ctx);
    client = std::move(*fresh);
    {
      std::lock_guard sessions_lock(sessions_mutex);  // made with the old certificate
      sessions.clear();
    }
    {
      std::lock_guard idle_lock(idle_mutex);  // made with the old certificate
      dropped.swap(idle);
    }
    log->info("kubelet client: client certificate reloaded; new connections present it");
    return tls;
  }
  std::optional<net::thread_pool> pool;
  /// The last resumable TLS session of each node, by node name (the name the serving
  /// certificate was verified against, so a session is only ever offered to the node it was
  /// made with). The metrics servers ask every kubelet for a summary every 15 s on a new
  /// connection; a resumed handshake skips the certificates, their signatures and their
  /// verification on both sides. A call that fails forgets its node's session.
  /// Each with the context it was made with: a session is offered only on that context, so
  /// a call that ends after a reload cannot bring the old client certificate back.
  struct KeptSession {
    const ssl::context* context = nullptr;
    SslSessionPtr session;
  };
  std::mutex sessions_mutex;
  std::unordered_map<std::string, KeptSession> sessions;
  std::atomic<uint64_t> resumed{0};

  SslSessionPtr session_of(const std::string& node, const ssl::context* context) {
    std::lock_guard lock(sessions_mutex);
    auto it = sessions.find(node);
    if (it == sessions.end() || it->second.context != context) return nullptr;
    SSL_SESSION_up_ref(it->second.session.get());
    return SslSessionPtr(it->second.session.get());
  }
  void keep_session(const std::string& node, KubeletCall& call) {
    auto s = call.resumable_session();
    std::lock_guard lock(sessions_mutex);
    if (s) sessions[node] = KeptSession{call.context(), std::move(s)};
    else sessions.erase(node);
  }
  void forget_session(const std::string& node) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(node);
  }

  /// Moves the connections idle longer than idle_connection_timeout into `expired` (for the
  /// caller to close once it lets go of idle_mutex, which it holds), now and then: each holds a
  /// file descriptor, and the kubelet closes its side after 30 s anyway. Swept whenever a
  /// request is made or an answer kept, so connections outlive their use by at most that
  /// long while requests go on; when all requests stop, they close with the backend.
  void sweep_idle(std::chrono::steady_clock::time_point now,
                  std::vector<std::shared_ptr<KubeletCall>>& expired) {
    if (now < next_idle_sweep) return;
    next_idle_sweep = now + options.idle_connection_timeout;
    for (auto it = idle.begin(); it != idle.end();) {
      if (now - it->second.since >= options.idle_connection_timeout) {
        expired.push_back(std::move(it->second.call));
        it = idle.erase(it);
      } else {
        ++it;
      }
    }
  }
  /// The kept connection of `node` to `endpoint` made with `context`, taken out of the pool
  /// (one request at a time uses it); null when there is none fresh enough.
  std::shared_ptr<KubeletCall> take_idle(const std::string& node, const KubeletEndpoint& endpoint,
                                         const ssl::context* context) {
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<KubeletCall>> expired;  // closed after the lock
    std::lock_guard lock(idle_mutex);
    sweep_idle(now, expired);
    auto it = idle.find(node);
    if (it == idle.end()) return nullptr;
    auto call = std::move(it->second.call);
    const bool fresh = now - it->second.since < options.idle_connection_timeout;
    idle.erase(it);
    if (call->context() == context && call->endpoint() == endpoint && fresh) return call;
    expired.push_back(std::move(call));
    return nullptr;
  }
  /// Keeps `call`'s connection for `node`'s next request when its answer left it open and
  /// the pool has room.
  void put_idle(const std::string& node, std::shared_ptr<KubeletCall> call) {
    if (max_idle == 0 || !call->reusable()) return;
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<KubeletCall>> expired;  // closed after the locks
    // The context is checked and the connection kept under both locks (tls_mutex first, as
    // context() takes them), so a reload cannot slip in between and leave a connection of
    // the old certificate kept.
    std::lock_guard tls_lock(tls_mutex);
    if (call->context() != tls.get()) return;  // made before a reload
    std::lock_guard lock(idle_mutex);
    sweep_idle(now, expired);
    auto it = idle.find(node);
    if (it != idle.end()) {
      expired.push_back(std::move(it->second.call));
      it->second = IdleConnection{std::move(call), now};
    } else if (idle.size() < max_idle) {
      idle.emplace(node, IdleConnection{std::move(call), now});
    } else {
      expired.push_back(std::move(call));
    }
  }

  /// Sends `target` to `node`'s kubelet, on its kept connection when it has one (`reuse`),
  /// else on a new one: the call and its answer's status code.
  api::Result<std::pair<std::shared_ptr<KubeletCall>, int>> open(const std::string& node,
                                                                 const std::string& target,
                                                                 bool reuse) {
    auto endpoint = lookup ? lookup(node)
                           : api::Result<KubeletEndpoint>(api::fail(
                                 unavailable(node, "no way to find kubelets is configured")));
    if (!endpoint) return api::fail(endpoint.error());
    auto ctx = context();
    if (reuse) {
      if (auto kept = take_idle(node, *endpoint, ctx.get())) {
        auto code = kept->send(target);
        if (code) {
          reused.fetch_add(1, std::memory_order_relaxed);
          return std::pair{std::move(kept), *code};
        }
        // A kubelet that did not answer in time is not asked twice; one that closed the kept
        // connection meanwhile (restarted, or idle longer than it keeps connections) is
        // asked again on a new connection: a GET changes nothing.
        if (code.error().code == 504) return api::fail(code.error());
      }
    }
    auto call = std::make_shared<KubeletCall>(std::move(ctx),
                                              !options.certificate_authority_pem.empty(), node,
                                              *endpoint, options.timeout);
    auto connected = call->connect(session_of(node, call->context()).get());
    auto code = connected ? call->send(target) : api::Result<int>(api::fail(connected.error()));
    if (!code) {
      forget_session(node);
      return api::fail(code.error());
    }
    if (call->resumed()) resumed.fetch_add(1, std::memory_order_relaxed);
    return std::pair{std::move(call), *code};
  }

  /// A whole answer: its status code and body. The connection is kept for the node's next
  /// request when the answer leaves it open.
  api::Result<std::pair<int, std::string>> fetch(const std::string& node,
                                                 const std::string& target) {
    auto opened = open(node, target, /*reuse=*/true);
    if (!opened) return api::fail(opened.error());
    auto& [call, code] = *opened;
    auto body = call->read_body();
    if (!body) {
      forget_session(node);
      return api::fail(body.error());
    }
    if (call->answers() == 1) keep_session(node, *call);  // a kept connection's is kept
    put_idle(node, std::move(call));
    return std::pair{code, std::move(*body)};
  }

  /// A whole answer: its body on 200, else the kubelet's error.
  api::Result<std::string> get(const std::string& node, const std::string& target) {
    auto answer = fetch(node, target);
    if (!answer) return api::fail(answer.error());
    if (answer->first != 200) return api::fail(status_of(answer->first, answer->second));
    return std::move(answer->second);
  }
};

api::Result<KubeletEndpoint> kubelet_endpoint_of(const api::Node& node) {
  const auto& name = node.metadata.name;
  const int32_t port = node.status.daemon_endpoints.kubelet_endpoint.port;
  if (port <= 0 || port > 65535)
    return api::fail(
        unavailable(name, "the Node publishes no status.daemonEndpoints.kubeletEndpoint.Port"));
  for (const char* type : {"ExternalIP", "InternalIP"})
    for (const auto& a : node.status.addresses)
      if (a.type == type && !a.address.empty())
        return KubeletEndpoint{a.address, static_cast<uint16_t>(port)};
  return api::fail(unavailable(name, "the Node has no ExternalIP or InternalIP address"));
}

std::string container_logs_target(const kubelet::PodLogRequest& r) {
  std::string target = fmt::format("/containerLogs/{}/{}/{}", r.pod_namespace, r.pod_name,
                                   r.options.container);
  const auto& o = r.options;
  if (o.follow) append_query(target, "follow", "true");
  if (o.previous) append_query(target, "previous", "true");
  if (o.timestamps) append_query(target, "timestamps", "true");
  if (o.since_seconds) append_query(target, "sinceSeconds", std::to_string(*o.since_seconds));
  if (o.since_time) append_query(target, "sinceTime", format_rfc3339(*o.since_time));
  if (o.tail_lines) append_query(target, "tailLines", std::to_string(*o.tail_lines));
  if (o.limit_bytes) append_query(target, "limitBytes", std::to_string(*o.limit_bytes));
  return target;
}

api::Result<std::shared_ptr<HttpsKubeletBackend>> HttpsKubeletBackend::make(
    HttpsKubeletOptions options, KubeletEndpointLookup lookup) {
  auto impl = std::make_shared<Impl>();
  impl->client = PemPair{options.client_cert_pem, options.client_key_pem};
  auto ctx = client_context(options, impl->client);
  if (!ctx) return api::fail(ctx.error());
  impl->tls = std::move(*ctx);
  impl->next_reload =
      std::chrono::steady_clock::now() + options.client_certificate_reload_interval;
  impl->pool.emplace(std::max<size_t>(options.threads, 1));
  impl->max_idle = options.max_idle_connections.value_or(open_file_limit() / 4);
  impl->options = std::move(options);
  impl->lookup = std::move(lookup);
  return std::shared_ptr<HttpsKubeletBackend>(new HttpsKubeletBackend(std::move(impl)));
}

HttpsKubeletBackend::HttpsKubeletBackend(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpsKubeletBackend::~HttpsKubeletBackend() {
  // Requests in flight finish within their deadline; followed logs hold the Impl themselves.
  impl_->pool->join();
}

uint64_t HttpsKubeletBackend::resumed_handshakes() const {
  return impl_->resumed.load(std::memory_order_relaxed);
}

uint64_t HttpsKubeletBackend::reused_connections() const {
  return impl_->reused.load(std::memory_order_relaxed);
}

void HttpsKubeletBackend::summary(const std::string& node, OnSummary done) {
  net::post(*impl_->pool, [impl = impl_, node, done = std::move(done)] {
    auto body = impl->get(node, "/stats/summary");
    if (!body) return done(api::fail(body.error()));
    auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded())
      return done(api::fail(api::service_unavailable("the kubelet of node \"" + node +
                                                     "\" answered a summary that is not JSON")));
    done(summary_from_json(json));
  });
}

std::shared_ptr<LogControl> HttpsKubeletBackend::pod_logs(const std::string& node,
                                                          kubelet::PodLogRequest request,
                                                          OnChunk on_chunk) {
  auto control = std::make_shared<HttpsLogControl>();
  auto target = container_logs_target(request);
  auto job = [impl = impl_, node, target, control, on_chunk = std::move(on_chunk),
              follow = request.options.follow] {
    if (!follow) {
      auto answer = impl->fetch(node, target);
      if (!answer) return on_chunk(error_chunk(answer.error()));
      if (answer->first != 200) return on_chunk(error_chunk(status_of(answer->first, answer->second)));
      kubelet::PodLogChunk whole;
      whole.text = std::move(answer->second);
      return on_chunk(std::move(whole));
    }
    // A followed log holds its connection until it ends: always a connection of its own.
    auto opened = impl->open(node, target, /*reuse=*/false);
    if (!opened) return on_chunk(error_chunk(opened.error()));
    auto& [call, code] = *opened;
    if (code != 200) {
      auto body = call->read_body();
      if (!body) return on_chunk(error_chunk(body.error()));
      return on_chunk(error_chunk(status_of(code, *body)));
    }
    if (!control->attach(call)) return;  // the reader went while connecting
    // The head came: an empty first chunk opens the reader's stream, the pieces follow.
    kubelet::PodLogChunk head;
    head.ended = false;
    head.follow_id = 1;
    on_chunk(std::move(head));
    call->stream_body([&](std::string piece) {
      kubelet::PodLogChunk c;
      c.text = std::move(piece);
      c.ended = false;
      c.follow_id = 1;
      on_chunk(std::move(c));
    });
    control->detach();
    kubelet::PodLogChunk end;
    end.follow_id = 1;
    on_chunk(std::move(end));
  };
  if (request.options.follow)
    std::thread(std::move(job)).detach();  // as long as the log is followed
  else
    net::post(*impl_->pool, std::move(job));
  return control;
}

}  // namespace kactor::http
