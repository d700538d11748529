#include "actors/http/scale.hpp"

#include <nlohmann/json.hpp>

#include "actors/client/scale.hpp"
#include "actors/http/body.hpp"
#include "actors/http/response.hpp"
#include "api/codec/object_codec.hpp"
#include "api/patch/patch.hpp"

namespace kactor::http {

using apiserver::Request;
using apiserver::Response;
using apiserver::Verb;

namespace {

nlohmann::json scale_of(const api::Object& obj) {
  auto doc = api::encode_json(obj);
  nlohmann::json meta = {{"name", obj.metadata.name}};
  if (!obj.metadata.namespace_.empty()) meta["namespace"] = obj.metadata.namespace_;
  for (const char* k : {"uid", "resourceVersion", "creationTimestamp"})
    if (doc["metadata"].contains(k)) meta[k] = doc["metadata"][k];
  const auto s = client::scale_of(obj).value_or(client::Scale{});
  nlohmann::json scale = {{"kind", "Scale"}, {"apiVersion", "autoscaling/v1"}, {"metadata", meta}};
  scale["spec"] = {{"replicas", s.spec_replicas}};
  scale["status"] = {{"replicas", s.status_replicas}};
  if (!s.selector.empty()) scale["status"]["selector"] = s.selector;
  return scale;
}

void respond_scale(ExchangePtr ex, int code, const api::Object& obj) {
  ex->respond(HttpResponse{code, "application/json", scale_of(obj).dump()});
}

Request base(const Route& route, const api::TypeInfo& type, Verb verb) {
  Request r;
  r.verb = verb;
  r.group = type.group;
  r.resource = type.resource;
  r.namespace_ = route.namespace_;
  r.name = route.name;
  return r;
}

/// Writes spec.replicas of the object (a merge patch) and answers its Scale.
void set_replicas(ApiBackend& backend, const Route& route, const api::TypeInfo& type,
                  int64_t replicas, const std::string& resource_version, bool dry_run,
                  ExchangePtr ex) {
  auto req = client::scale_update(type, route.namespace_, route.name, replicas, resource_version,
                                  dry_run);
  backend.call(std::move(req), [ex](Response r) {
    if (r.error) return ex->respond(status_response(*r.error));
    respond_scale(ex, 200, *r.object);
  });
}

api::Result<int64_t> replicas_of(const nlohmann::json& scale) {
  const auto spec = scale.find("spec");
  if (spec == scale.end() || !spec->is_object()) return int64_t{0};
  const auto r = spec->find("replicas");
  if (r == spec->end() || r->is_null()) return int64_t{0};
  if (!r->is_number_integer() || r->get<int64_t>() < 0 || r->get<int64_t>() > INT32_MAX)
    return api::fail(api::invalid("Scale", "", {api::field_invalid("spec.replicas", r->dump(),
                                                                   "must be greater than or equal to 0")},
                                  "autoscaling"));
  return r->get<int64_t>();
}

}  // namespace

bool scalable(const api::TypeInfo& type) {
  return client::scalable(type);
}

void serve_scale(ApiBackend& backend, const Route& route, const HttpRequest& http,
                 const api::TypeInfo& type, bool dry_run, ExchangePtr ex) {
  if (http.method == "GET") {
    return backend.call(base(route, type, Verb::get), [ex](Response r) {
      if (r.error) return ex->respond(status_response(*r.error));
      respond_scale(ex, 200, *r.object);
    });
  }
  if (http.method == "PUT") {
    auto doc = parse_body_json(http.content_type, http.body);
    if (!doc) return ex->respond(status_response(doc.error()));
    if (!doc->is_object()) return ex->respond(status_response(api::bad_request("a Scale must be a JSON object")));
    auto replicas = replicas_of(*doc);
    if (!replicas) return ex->respond(status_response(replicas.error()));
    std::string rv;
    if (auto m = doc->find("metadata"); m != doc->end() && m->is_object()) {
      if (auto v = m->find("resourceVersion"); v != m->end() && v->is_string()) rv = v->get<std::string>();
      // As for any update: the body names the object of the URL (or leaves it out).
      if (auto n = m->find("name"); n != m->end() && n->is_string() && *n != route.name)
        return ex->respond(status_response(api::bad_request(
            "the name of the object (" + n->get<std::string>() +
            ") does not match the name on the URL (" + route.name + ")")));
      if (auto ns = m->find("namespace");
          ns != m->end() && ns->is_string() && !ns->get<std::string>().empty() &&
          *ns != route.namespace_)
        return ex->respond(status_response(api::bad_request(
            "the namespace of the provided object does not match the namespace sent on the "
            "request")));
    }
    return set_replicas(backend, route, type, *replicas, rv, dry_run, ex);
  }
  if (http.method == "PATCH") {
    // The patch applies to the current Scale; its spec.replicas is then written.
    auto* b = &backend;
    const auto patch_type = media_type(http.content_type);
    return backend.call(base(route, type, Verb::get), [b, route, &type, ex, body = http.body,
                                                       patch_type, dry_run](Response r) {
      if (r.error) return ex->respond(status_response(*r.error));
      auto patched = api::patch::apply_patch(patch_type, scale_of(*r.object), body, "Scale");
      if (!patched) return ex->respond(status_response(patched.error()));
      auto replicas = replicas_of(*patched);
      if (!replicas) return ex->respond(status_response(replicas.error()));
      set_replicas(*b, route, type, *replicas, "", dry_run, ex);
    });
  }
  ex->respond(status_response(method_not_allowed()));
}

}  // namespace kactor::http
