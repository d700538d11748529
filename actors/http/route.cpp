#include "actors/http/route.hpp"

namespace kactor::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

api::Result<Query> parse_query(std::string_view text) {
  Query query;
  if (text.empty()) return query;
  for (auto pair : split(text, '&')) {
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) return api::fail(api::bad_request("invalid URL query: bad percent-encoding"));
    query.emplace(std::move(*key), std::move(*value));  // the first value wins
  }
  return query;
}

// Subresources of a namespace that sit where a namespaced resource would:
// /api/v1/namespaces/<ns>/status is the namespace's status, not a resource named "status".
bool is_namespace_subresource(std::string_view s) { return s == "status" || s == "finalize"; }

// Fills namespace/resource/name/subresource from the parts after the group-version.
api::Result<void> parse_resource_parts(std::vector<std::string>& parts, Route& route) {
  size_t i = 0;
  if (parts.size() > 2 && parts[0] == "namespaces" &&
      !(parts.size() == 3 && is_namespace_subresource(parts[2]))) {
    route.namespace_ = parts[1];
    i = 2;
  }
  if (i >= parts.size()) return api::fail(api::bad_request("no resource in the path"));
  route.resource = parts[i];
  if (i + 1 < parts.size()) route.name = parts[i + 1];
  if (i + 2 < parts.size()) route.subresource = parts[i + 2];
  if (i + 3 < parts.size()) {
    // Only nodes/<name>/proxy/<path> goes deeper (upstream's pods/<name>/proxy too; kactor
    // proxies to no pod): the path is kept in `rest`.
    if (route.resource != "nodes" || route.subresource != "proxy")
      return api::fail(route_not_found());
    for (size_t j = i + 3; j < parts.size(); ++j) route.rest += (j > i + 3 ? "/" : "") + parts[j];
  }
  for (const auto& p : parts)
    if (p.empty() || p == "." || p == "..")
      return api::fail(api::bad_request("invalid path segment \"" + p + "\""));
  return {};
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;  // needs two hex digits
      int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

api::Result<Route> parse_route(std::string_view target) {
  Route route;
  auto qpos = target.find('?');
  auto raw_path = target.substr(0, qpos);
  if (qpos != std::string_view::npos) {
    auto query = parse_query(target.substr(qpos + 1));
    if (!query) return api::fail(query.error());
    route.query = std::move(*query);
  }
  if (raw_path.empty() || raw_path.front() != '/')
    return api::fail(api::bad_request("the request path must start with /"));
  // Segments are split before decoding, so an encoded %2F stays inside its segment.
  std::vector<std::string> parts;
  for (auto seg : split(raw_path.substr(1), '/')) {
    auto decoded = percent_decode(seg, false);
    if (!decoded) return api::fail(api::bad_request("invalid URL path: bad percent-encoding"));
    parts.push_back(std::move(*decoded));
  }
  while (!parts.empty() && parts.back().empty()) parts.pop_back();  // a trailing slash
  route.path = "/";
  for (size_t i = 0; i < parts.size(); ++i) route.path += (i ? "/" : "") + parts[i];

  if (parts.empty()) return route;  // "/": unknown (upstream lists paths; kubectl never asks)
  const auto& first = parts[0];
  if (first == "version" && parts.size() == 1) {
    route.kind = Route::Kind::version;
  } else if (first == "healthz" || first == "livez" || first == "readyz") {
    route.kind = Route::Kind::health;
    for (size_t i = 1; i < parts.size(); ++i) route.rest += "/" + parts[i];
  } else if (first == "metrics" && parts.size() == 1) {
    route.kind = Route::Kind::metrics;
  } else if (first == "openapi" && parts.size() >= 2 && parts[1] == "v2") {
    route.kind = parts.size() == 2 ? Route::Kind::openapi_v2 : Route::Kind::unknown;
  } else if (first == "openapi" && parts.size() >= 2 && parts[1] == "v3") {
    route.kind = Route::Kind::openapi_v3;
    for (size_t i = 2; i < parts.size(); ++i) route.rest += (i > 2 ? "/" : "") + parts[i];
  } else if (first == "api") {
    if (parts.size() == 1) {
      route.kind = Route::Kind::discovery_core;
    } else {
      route.version = parts[1];
      if (parts.size() == 2) {
        route.kind = Route::Kind::discovery_resources;
      } else {
        std::vector<std::string> rest(parts.begin() + 2, parts.end());
        if (auto ok = parse_resource_parts(rest, route); !ok) return api::fail(ok.error());
        route.kind = Route::Kind::resource;
      }
    }
  } else if (first == "apis") {
    if (parts.size() == 1) {
      route.kind = Route::Kind::discovery_groups;
    } else if (parts.size() == 2) {
      route.group = parts[1];
      route.kind = Route::Kind::discovery_group;
    } else {
      route.group = parts[1];
      route.version = parts[2];
      if (parts.size() == 3) {
        route.kind = Route::Kind::discovery_resources;
      } else {
        std::vector<std::string> rest(parts.begin() + 3, parts.end());
        if (auto ok = parse_resource_parts(rest, route); !ok) return api::fail(ok.error());
        route.kind = Route::Kind::resource;
      }
    }
  }
  return route;
}

api::Status route_not_found() {
  return api::resource_not_found();
}

api::Status method_not_allowed(std::string_view method) {
  std::string message = "the server does not allow this method on the requested resource";
  if (!method.empty()) message += " (" + std::string(method) + ")";
  return api::Status{405, "MethodNotAllowed", std::move(message), {}};
}

}  // namespace kactor::http
