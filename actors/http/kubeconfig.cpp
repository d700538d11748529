#include "actors/http/kubeconfig.hpp"

#include <algorithm>
#include <system_error>

#include <nlohmann/json.hpp>

#include "actors/http/files.hpp"
#include "api/util/base64.hpp"
#include "api/yaml/yaml.hpp"

namespace kactor::http {
namespace {

/// https://host[:port][/path]: kubectl would take more, but the PKI is only of use over TLS.
bool is_https_url(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (!url.starts_with(kScheme)) return false;
  auto rest = url.substr(kScheme.size());
  auto host = rest.substr(0, rest.find_first_of("/?#"));
  bool printable =
      std::all_of(url.begin(), url.end(), [](unsigned char c) { return c > ' ' && c < 0x7f; });
  return printable && !host.empty() && !host.starts_with(':');
}

bool is_printable_line(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return c >= ' ' && c != 0x7f; });
}

}  // namespace

api::Result<std::string> kubeconfig_yaml(const ClusterPki& pki, const std::string& server_url,
                                         const std::string& cluster_name) {
  if (!is_https_url(server_url)) {
    return api::fail(api::bad_request("server_url: Invalid value: \"" + server_url +
                                      "\": must be https://host[:port]"));
  }
  if (!is_printable_line(cluster_name)) {
    return api::fail(api::bad_request("cluster_name: Invalid value: \"" + cluster_name +
                                      "\": must be a non-empty line of printable characters"));
  }
  const std::string token_context = cluster_name + "-token";
  auto context = [](const std::string& name, const std::string& cluster, std::string_view user) {
    return nlohmann::json{{"name", name}, {"context", {{"cluster", cluster}, {"user", user}}}};
  };
  nlohmann::json config = {
      {"apiVersion", "v1"},
      {"kind", "Config"},
      {"clusters",
       {{{"name", cluster_name},
         {"cluster",
          {{"server", server_url},
           {"certificate-authority-data", api::base64_encode(pki.ca_cert_pem)}}}}}},
      {"users",
       {{{"name", kAdminUser},
         {"user",
          {{"client-certificate-data", api::base64_encode(pki.admin_cert_pem)},
           {"client-key-data", api::base64_encode(pki.admin_key_pem)}}}},
        {{"name", kAdminTokenUser}, {"user", {{"token", pki.admin_token}}}}}},
      {"contexts",
       {context(cluster_name, cluster_name, kAdminUser),
        context(token_context, cluster_name, kAdminTokenUser)}},
      {"current-context", cluster_name},
      {"preferences", nlohmann::json::object()},
  };
  return api::json_to_yaml(config);
}

api::Result<void> write_kubeconfig(const std::filesystem::path& path, std::string_view text) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return api::fail(
          api::internal_error(path.parent_path().string() + ": create directory: " + ec.message()));
    }
  }
  return write_file_atomically(
      path, text, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace kactor::http
