// The kubeconfig `kactor up` hands to kubectl: the cluster CA, the admin's certificate and token.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "actors/http/pki.hpp"
#include "api/status.hpp"

namespace kactor::http {

/// The user entry authenticating with the admin's bearer token (the certificate user is named
/// kAdminUser); its context is "<cluster_name>-token".
inline constexpr std::string_view kAdminTokenUser = "kactor-admin-token";

/// A kubeconfig (apiVersion v1, kind Config) as YAML, written by api::json_to_yaml so every
/// string that could re-read as something else is quoted. It names:
///  - cluster `cluster_name`: `server_url` with certificate-authority-data (the CA);
///  - user kactor-admin (client-certificate-data, client-key-data) and user kactor-admin-token
///    (token);
///  - contexts `cluster_name` (the certificate user, the current context) and
///    `cluster_name`-token.
/// YAML rather than JSON because it is what kubectl writes and people read and edit; both
/// kubectl 1.20 and 1.32 load either. BadRequest naming the argument when `server_url` is not
/// https://host[:port][/path] or `cluster_name` is empty or not one printable line.
api::Result<std::string> kubeconfig_yaml(const ClusterPki& pki, const std::string& server_url,
                                         const std::string& cluster_name = "kactor");

/// Writes `text` to `path` atomically with mode 0600 (it holds the admin's key and token),
/// creating the parent directories if needed. InternalError naming the file on failure.
api::Result<void> write_kubeconfig(const std::filesystem::path& path, std::string_view text);

}  // namespace kactor::http
