// bench_http's watch fan-out client: N watch streams over HTTPS, multiplexed on a few I/O
// threads. Each stream decodes its chunked body line by line and, for every ADDED event of a
// churned object (named <prefix><index>), records the delay from that object's send time to
// the arrival of the bytes that completed the line. The streams are the server's kind of TLS
// connection (http::TlsSocket) and keep no read buffer while they wait (they read into their
// thread's), so the client side weighs little in the per-watch memory. Used only by
// bench/http.cpp.
#pragma once

#include <condition_variable>
#include <mutex>

#include "actors/http/tls_socket.hpp"
#include "http_load.hpp"

namespace kactor::bench::http_load {

/// The churn's send times, shared by the writer (stores before sending) and the watchers.
struct ChurnClock {
  explicit ChurnClock(size_t count) : sent_ns(count) {}
  std::vector<std::atomic<int64_t>> sent_ns;  // steady_clock since epoch; 0: not sent yet
  void mark_sent(size_t index) {
    sent_ns[index].store(Steady::now().time_since_epoch().count(), std::memory_order_release);
  }
};

/// What the streams of one I/O thread record (touched by that thread only).
struct WatchTally {
  std::vector<float> delivery_ms;
  uint64_t duplicates = 0;  // an ADDED event of an index already seen on that stream
  uint64_t other = 0;       // lines that are not an ADDED event of the churn
};

/// Counts finished streams; wakes the waiter when all have every event.
struct WatchProgress {
  std::mutex mutex;
  std::condition_variable all_done;
  size_t complete = 0;
  size_t ended_early = 0;  // streams the server closed before they had every event
};

class WatchStream : public std::enable_shared_from_this<WatchStream> {
 public:
  WatchStream(std::unique_ptr<http::TlsSocket> stream, std::string leftover,
              const std::string& prefix, const ChurnClock& clock, WatchTally& tally,
              WatchProgress& progress)
      : stream_(std::move(stream)),
        raw_(std::move(leftover)),
        marker_("\"name\":\"" + prefix),
        clock_(clock),
        tally_(tally),
        progress_(progress) {}

  /// Allocated when the churn starts, so that the idle streams' memory excludes it.
  void expect(size_t count) { seen_.assign(count, false); }
  size_t received() const { return received_; }

  void start() {
    if (!decode(Steady::now())) return ended();
    read();
  }
  void close() { stream_->close(); }

 private:
  /// Takes everything that can be decrypted, then waits until the socket is readable. (Read
  /// ahead, OpenSSL may hold whole records the socket no longer shows: they are taken first.)
  void read() {
    static thread_local std::array<char, 16 * 1024> buf;
    beast::error_code ec;
    while (true) {
      const size_t n = stream_->try_read(net::buffer(buf), ec);
      if (ec == net::error::would_block) break;
      if (ec) return ended();
      raw_.append(buf.data(), n);
      if (!decode(Steady::now())) return ended();
      // Drained: the wait below looks at the socket anyway, so a read that would only find
      // it empty is a system call saved.
      if (!stream_->holds_bytes()) break;
    }
    stream_->async_wait_readable([self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->ended();
      self->read();
    });
  }

  /// Moves whole chunks from raw_ to body_ and handles every whole line; false at the last chunk.
  bool decode(Steady::time_point now) {
    size_t pos = 0;
    bool more = true;
    while (true) {
      auto eol = raw_.find("\r\n", pos);
      if (eol == std::string::npos) break;
      const size_t size = std::stoul(raw_.substr(pos, eol - pos), nullptr, 16);
      if (size == 0) {
        more = false;
        break;
      }
      if (raw_.size() < eol + 2 + size + 2) break;
      body_.append(raw_, eol + 2, size);
      pos = eol + 2 + size + 2;
    }
    raw_.erase(0, pos);
    size_t start = 0;
    for (auto nl = body_.find('\n'); nl != std::string::npos; nl = body_.find('\n', start)) {
      line(std::string_view(body_).substr(start, nl - start), now);
      start = nl + 1;
    }
    body_.erase(0, start);
    return more;
  }

  void line(std::string_view text, Steady::time_point now) {
    static constexpr std::string_view kAdded = "{\"type\":\"ADDED\",";
    const auto at = text.find(marker_);
    if (at == std::string_view::npos || !text.starts_with(kAdded) || seen_.empty()) {
      ++tally_.other;
      return;
    }
    size_t index = 0;
    for (size_t i = at + marker_.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
      index = index * 10 + static_cast<size_t>(text[i] - '0');
    if (index >= seen_.size()) {
      ++tally_.other;
      return;
    }
    if (seen_[index]) {
      ++tally_.duplicates;
      return;
    }
    seen_[index] = true;
    const auto sent = clock_.sent_ns[index].load(std::memory_order_acquire);
    tally_.delivery_ms.push_back(
        static_cast<float>(ms(now - Steady::time_point(Steady::duration(sent)))));
    if (++received_ == seen_.size()) {
      std::lock_guard lock(progress_.mutex);
      ++progress_.complete;
      progress_.all_done.notify_all();
    }
  }

  void ended() {
    if (!seen_.empty() && received_ < seen_.size()) {
      std::lock_guard lock(progress_.mutex);
      ++progress_.ended_early;
      progress_.all_done.notify_all();
    }
  }

  std::unique_ptr<http::TlsSocket> stream_;
  std::string raw_;   // bytes read and not yet decoded (chunk framing)
  std::string body_;  // decoded body bytes not yet a whole line
  std::string marker_;
  const ChurnClock& clock_;
  WatchTally& tally_;
  WatchProgress& progress_;
  std::vector<bool> seen_;
  size_t received_ = 0;
};

/// A connected, handshaken TLS connection for a watch (blocking: done before the measurement).
inline std::unique_ptr<http::TlsSocket> connect_watch(net::io_context& ioc, ssl::context& ctx,
                                                      const Target& target) {
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address(target.host), target.port));
  socket.set_option(tcp::no_delay(true));
  auto stream = std::make_unique<http::TlsSocket>(std::move(socket), ctx.native_handle());
  stream->handshake(ssl::stream_base::client);
  return stream;
}

/// Opens a watch (blocking) on an established TLS connection: sends the GET, reads the head.
/// Returns the bytes read past the head (the start of the body); throws unless it is a 200.
inline std::string open_watch(http::TlsSocket& stream, const Target& target,
                              const std::string& path) {
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + target.host +
                              "\r\nAuthorization: Bearer " + target.token +
                              "\r\nAccept: application/json\r\n\r\n";
  net::write(stream, net::buffer(request));
  std::string got;
  const size_t head_end = net::read_until(stream, net::dynamic_buffer(got), "\r\n\r\n");
  if (got.compare(0, 12, "HTTP/1.1 200") != 0)
    throw std::runtime_error("watch " + path + ": " + got.substr(0, got.find("\r\n")));
  return got.substr(head_end);
}

}  // namespace kactor::bench::http_load
