// The HTTP exchange as the handlers see it, apart from any transport: a request read whole, and
// either one answer or a stream of chunks (watch, log -f). The Beast server (server.cpp)
// implements Exchange; tests may implement it in memory. No Beast, no CAF in this header.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kactor::http {

/// An authenticated user, as upstream's user.Info: a name and the groups it belongs to.
struct UserInfo {
  std::string name;
  std::vector<std::string> groups;
  bool operator==(const UserInfo&) const = default;
};

struct HttpRequest {
  std::string method;   // "GET", "POST", ...
  std::string target;   // path and query as sent: "/api/v1/pods?limit=500"
  std::string content_type;
  std::string accept;
  std::string body;
  std::optional<UserInfo> user;  // nullopt: not authenticated
  /// The TLS server name (SNI) the client asked for; empty over plain HTTP or without one.
  /// The kubelet API picks which of its process's nodes a request is for by it.
  std::string server_name;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  /// Extra headers, e.g. {"Warning", "299 - \"unknown field \\\"spex\\\"\""}.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// The bytes of one chunk, shared rather than copied: a watch event's JSON line goes to a
/// thousand streams as one string.
using SharedBytes = std::shared_ptr<const std::string>;

/// A response sent in chunks, each flushed as it is written. Thread-safe: producers on any
/// thread call write(); the transport serializes the writes.
class Stream {
 public:
  virtual ~Stream() = default;
  /// Queues one chunk; `written` runs (on a transport thread) once it reached the socket, which
  /// is when a producer with flow control may send more. An empty chunk is no write.
  virtual void write(SharedBytes chunk, std::function<void()> written = {}) = 0;
  void write(std::string chunk, std::function<void()> written = {}) {
    write(std::make_shared<const std::string>(std::move(chunk)), std::move(written));
  }
  /// Ends the response (the last chunk); later writes are dropped.
  virtual void end() = 0;
  /// Ends the response `after` from now unless it ended before (a watch's timeoutSeconds).
  virtual void end_after(std::chrono::seconds after) = 0;
  /// Runs once when the stream is over for any reason: ended, client gone, server stopping.
  /// Producers stop there (a watch cancels itself). Set before the first write.
  virtual void on_close(std::function<void()> closed) = 0;
};

/// One request's way back to its client: answer once with respond(), or open a stream.
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual void respond(HttpResponse response) = 0;
  /// Sends the head of a 200 chunked response and returns the stream for its body.
  virtual std::shared_ptr<Stream> open_stream(std::string content_type,
                                              std::vector<std::pair<std::string, std::string>>
                                                  headers = {}) = 0;
};
using ExchangePtr = std::shared_ptr<Exchange>;

}  // namespace kactor::http
