#include "actors/http/client/cluster_access.hpp"

#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/util/base64.hpp"
#include "api/yaml/yaml.hpp"

namespace kactor::http::client {

namespace {

using nlohmann::json;

api::Status bad(const std::filesystem::path& path, const std::string& what) {
  return api::bad_request("kubeconfig " + path.string() + ": " + what);
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The `field` of the entry named `name` in the list `list` (clusters, users, contexts).
const json* entry(const json& doc, const char* list, const char* field, const std::string& name) {
  auto it = doc.find(list);
  if (it == doc.end() || !it->is_array()) return nullptr;
  for (const auto& e : *it)
    if (e.is_object() && e.value("name", "") == name && e.contains(field) && e[field].is_object())
      return &e[field];
  return nullptr;
}

std::string text(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// `<key>-data` (base64) or `<key>` (a file, relative to the kubeconfig's folder).
api::Result<std::string> pem(const json& obj, const std::string& key,
                             const std::filesystem::path& path) {
  if (auto data = text(obj, (key + "-data").c_str()); !data.empty()) {
    auto decoded = api::base64_decode(data);
    if (!decoded) return api::fail(bad(path, key + "-data is not valid base64"));
    return *decoded;
  }
  if (auto file = text(obj, key.c_str()); !file.empty()) {
    std::filesystem::path p(file);
    if (p.is_relative()) p = path.parent_path() / p;
    auto content = read_file(p);
    if (!content) return api::fail(bad(path, "cannot read " + key + " " + p.string()));
    return *content;
  }
  return std::string();
}

}  // namespace

api::Result<void> parse_server(const std::string& url, ClusterAccess& into) {
  auto invalid = [&] {
    return api::fail(api::bad_request("server \"" + url + "\" is not an http(s)://host[:port] URL"));
  };
  std::string rest;
  if (url.starts_with("https://")) {
    into.tls = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    into.tls = false;
    rest = url.substr(7);
  } else {
    return invalid();
  }
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.find('/') != std::string::npos) return invalid();
  into.port = into.tls ? 443 : 80;
  std::string host = rest;
  if (rest.front() == '[') {  // [::1]:6443
    auto close = rest.find(']');
    if (close == std::string::npos) return invalid();
    host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return invalid();
    rest = rest.empty() ? "" : rest.substr(1);
  } else if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  } else {
    rest.clear();
  }
  if (host.empty()) return invalid();
  if (!rest.empty()) {
    try {
      size_t used = 0;
      int port = std::stoi(rest, &used);
      if (used != rest.size() || port <= 0 || port > 65535) return invalid();
      into.port = static_cast<uint16_t>(port);
    } catch (const std::exception&) {
      return invalid();
    }
  }
  into.server = url;
  into.host = host;
  return {};
}

api::Result<ClusterAccess> load_kubeconfig(const std::filesystem::path& path,
                                           const std::string& context) {
  auto content = read_file(path);
  if (!content) return api::fail(bad(path, "cannot be read"));
  auto docs = api::yaml_to_json(*content);
  if (!docs) return api::fail(bad(path, docs.error().message));
  if (docs->size() != 1 || !docs->front().is_object())
    return api::fail(bad(path, "is not one Config document"));
  const json& doc = docs->front();
  const std::string name = context.empty() ? text(doc, "current-context") : context;
  if (name.empty()) return api::fail(bad(path, "has no current-context"));
  const json* ctx = entry(doc, "contexts", "context", name);
  if (!ctx) return api::fail(bad(path, "context \"" + name + "\" not found"));
  const std::string cluster_name = text(*ctx, "cluster"), user_name = text(*ctx, "user");
  const json* cluster = entry(doc, "clusters", "cluster", cluster_name);
  if (!cluster) return api::fail(bad(path, "cluster \"" + cluster_name + "\" not found"));

  ClusterAccess access;
  if (auto ns = text(*ctx, "namespace"); !ns.empty()) access.namespace_ = ns;
  if (auto parsed = parse_server(text(*cluster, "server"), access); !parsed)
    return api::fail(bad(path, parsed.error().message));
  auto ca = pem(*cluster, "certificate-authority", path);
  if (!ca) return api::fail(ca.error());
  access.ca_pem = *ca;
  auto skip = cluster->find("insecure-skip-tls-verify");
  const bool insecure = skip != cluster->end() && skip->is_boolean() && skip->get<bool>();
  if (access.tls && access.ca_pem.empty() && !insecure)
    return api::fail(bad(path, "cluster \"" + cluster_name + "\" has no certificate-authority"));
  if (!user_name.empty()) {
    const json* user = entry(doc, "users", "user", user_name);
    if (!user) return api::fail(bad(path, "user \"" + user_name + "\" not found"));
    auto cert = pem(*user, "client-certificate", path);
    if (!cert) return api::fail(cert.error());
    auto key = pem(*user, "client-key", path);
    if (!key) return api::fail(key.error());
    access.client_cert_pem = *cert;
    access.client_key_pem = *key;
    access.token = text(*user, "token");
    if (access.client_cert_pem.empty() != access.client_key_pem.empty())
      return api::fail(bad(path, "user \"" + user_name +
                                     "\" needs both a client certificate and its key"));
  }
  return access;
}

}  // namespace kactor::http::client
