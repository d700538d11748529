// How a client program reaches a served cluster: read from a kubeconfig (the one `kactor up`
// writes, or any kubectl would read), whose current context (or a named one) picks the
// server, its CA and the user's client certificate or bearer token.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "api/status.hpp"

namespace kactor::http::client {

struct ClusterAccess {
  std::string server;  // as written: https://127.0.0.1:6443
  std::string host;
  uint16_t port = 0;
  bool tls = true;
  std::string ca_pem;  // empty: the server's certificate is not checked (insecure-skip-tls-verify)
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string token;
  std::string namespace_ = "default";  // the context's namespace
};

/// Reads `path` (YAML or JSON). `context` empty: the current-context. BadRequest naming the
/// file and what is missing or malformed (the context, its cluster or user, the server URL,
/// undecodable *-data, an unreadable referenced file).
api::Result<ClusterAccess> load_kubeconfig(const std::filesystem::path& path,
                                           const std::string& context = "");

/// "https://host[:port]" (443/80 by default). BadRequest when it is not such a URL.
api::Result<void> parse_server(const std::string& url, ClusterAccess& into);

}  // namespace kactor::http::client
