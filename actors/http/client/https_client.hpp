// A small blocking HTTP/1.1 client (Boost.Beast, OpenSSL) for programs that talk to a served
// cluster: TLS checked against the cluster CA, a client certificate or a bearer token, one
// kept-alive connection, a deadline on every request. No Beast in this header.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "actors/http/client/cluster_access.hpp"

namespace kactor::http::client {

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class HttpsClient {
 public:
  explicit HttpsClient(ClusterAccess access,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  /// One request. A failure to connect, a TLS failure or the deadline passing is a Status
  /// (ServiceUnavailable / Timeout) naming the server; any HTTP answer is a response.
  api::Result<HttpResponse> request(const std::string& method, const std::string& target,
                                    const std::string& body = "",
                                    const std::string& content_type = "application/json");

  const ClusterAccess& access() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kactor::http::client
