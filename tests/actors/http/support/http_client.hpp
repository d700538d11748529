// A small blocking HTTP/1.1 client for tests (Boost.Beast), over plain TCP or TLS, with a
// deadline on every operation: requests, and watch streams read line by line.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kactor::http::testing {

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
  std::multimap<std::string, std::string> headers;
};

struct ClientOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  bool tls = false;
  std::string ca_pem;           // TLS: the CA the server's certificate must chain to
  std::string client_cert_pem;  // TLS client certificate (optional)
  std::string client_key_pem;
  std::chrono::milliseconds timeout{10000};
};

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options);
  ~HttpClient();

  /// One request on the kept-alive connection (reconnecting if the server closed it).
  ClientResponse request(const std::string& method, const std::string& target,
                         const std::string& body = "", const std::string& content_type = "",
                         std::map<std::string, std::string> headers = {});

  /// Starts a streamed GET (a watch); read its lines with next_line().
  int open_stream(const std::string& target, std::map<std::string, std::string> headers = {});
  /// The next line of the stream's body, or nullopt when it ended or `timeout` passed.
  std::optional<std::string> next_line(std::chrono::milliseconds timeout);
  /// True once the stream has ended (the server wrote its last chunk or closed).
  bool stream_ended() const;

  /// Writes raw bytes on a fresh connection and reports whether the server closed it within
  /// `timeout` (slowloris, garbage).
  bool raw_closed_within(const std::string& bytes, std::chrono::milliseconds timeout);
  /// Raw bytes on a fresh connection; the server's whole answer until it closes or `timeout`.
  std::string raw_exchange(const std::string& bytes, std::chrono::milliseconds timeout);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kactor::http::testing
