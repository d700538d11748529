#include "actors/http/client/rest_client.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"

namespace kactor::http::client {

namespace {

using nlohmann::json;

std::string reason_for(int code) {
  switch (code) {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 409: return "Conflict";
    case 410: return "Expired";
    case 413: return "RequestEntityTooLarge";
    case 415: return "UnsupportedMediaType";
    case 422: return "Invalid";
    case 429: return "TooManyRequests";
    case 503: return "ServiceUnavailable";
    case 504: return "Timeout";
    default: return code >= 500 ? "InternalError" : "Unknown";
  }
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string url_escape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string resource_path(const api::TypeInfo& type, const std::string& namespace_,
                          const std::string& name) {
  std::string path = type.group.empty() ? "/api/" + type.version
                                        : "/apis/" + type.group + "/" + type.version;
  if (type.namespaced) path += "/namespaces/" + namespace_;
  path += "/" + type.resource;
  if (!name.empty()) path += "/" + name;
  return path;
}

api::Status status_from_response(int code, const std::string& body) {
  api::Status s;
  s.code = code;
  s.reason = reason_for(code);
  s.message = body.empty() ? fmt::format("the server answered {}", code) : body;
  auto doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || str(doc, "kind") != "Status") return s;
  if (auto r = str(doc, "reason"); !r.empty()) s.reason = r;
  s.message = str(doc, "message");
  if (auto d = doc.find("details"); d != doc.end() && d->is_object()) {
    s.details.name = str(*d, "name");
    s.details.group = str(*d, "group");
    s.details.kind = str(*d, "kind");
    s.details.uid = str(*d, "uid");
    if (auto c = d->find("causes"); c != d->end() && c->is_array())
      for (const auto& cause : *c)
        if (cause.is_object())
          s.details.causes.push_back({str(cause, "reason"), str(cause, "message"), str(cause, "field")});
  }
  return s;
}

RestClient::RestClient(ClusterAccess access, std::chrono::milliseconds timeout)
    : http_(std::move(access), timeout) {}

api::Result<std::string> RestClient::call(const std::string& method, const std::string& target,
                                          const std::string& body) {
  auto r = http_.request(method, target, body);
  if (!r) return api::fail(r.error());
  if (r->status < 200 || r->status > 299) return api::fail(status_from_response(r->status, r->body));
  return std::move(r->body);
}

namespace {

api::Result<std::unique_ptr<api::Object>> decode(const api::TypeInfo& type,
                                                 const api::Result<std::string>& body) {
  if (!body) return api::fail(body.error());
  return api::decode_json(std::string_view(*body), {}, &type);
}

}  // namespace

api::Result<std::unique_ptr<api::Object>> RestClient::get(const api::TypeInfo& type,
                                                          const std::string& namespace_,
                                                          const std::string& name) {
  return decode(type, call("GET", resource_path(type, namespace_, name)));
}

api::Result<std::unique_ptr<api::Object>> RestClient::create(const api::Object& obj) {
  const auto& type = obj.type();
  return decode(type, call("POST", resource_path(type, obj.metadata.namespace_),
                           api::encode_json_string(obj)));
}

api::Result<std::unique_ptr<api::Object>> RestClient::update(const api::Object& obj) {
  const auto& type = obj.type();
  return decode(type, call("PUT", resource_path(type, obj.metadata.namespace_, obj.metadata.name),
                           api::encode_json_string(obj)));
}

api::Result<void> RestClient::remove(const api::TypeInfo& type, const std::string& namespace_,
                                     const std::string& name,
                                     const std::string& propagation_policy) {
  std::string body;
  if (!propagation_policy.empty())
    body = json{{"kind", "DeleteOptions"}, {"apiVersion", "v1"},
                {"propagationPolicy", propagation_policy}}
               .dump();
  auto r = call("DELETE", resource_path(type, namespace_, name), body);
  if (!r) return api::fail(r.error());
  return {};
}

api::Result<std::vector<std::unique_ptr<api::Object>>> RestClient::list(
    const api::TypeInfo& type, const std::string& namespace_, const std::string& label_selector) {
  auto target = resource_path(type, namespace_);
  if (!label_selector.empty()) target += "?labelSelector=" + url_escape(label_selector);
  auto body = call("GET", target);
  if (!body) return api::fail(body.error());
  auto doc = json::parse(*body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("items") || !doc["items"].is_array())
    return api::fail(api::internal_error("the server answered a list of " + type.resource +
                                         " that is not a list"));
  std::vector<std::unique_ptr<api::Object>> out;
  for (auto& item : doc["items"]) {
    auto obj = api::decode_json(item, {}, &type);
    if (!obj) return api::fail(obj.error());
    out.push_back(std::move(*obj));
  }
  return out;
}

}  // namespace kactor::http::client
