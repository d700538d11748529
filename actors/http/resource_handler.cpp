#include "actors/http/resource_handler.hpp"

#include <atomic>
#include <mutex>

#include <nlohmann/json.hpp>

#include "actors/apiserver/protocol/eviction_request.hpp"
#include "actors/apiserver/protocol/token_request.hpp"
#include "actors/http/body.hpp"
#include "actors/http/logs.hpp"
#include "actors/http/request_options.hpp"
#include "actors/http/response.hpp"
#include "actors/http/scale.hpp"
#include "actors/http/stats_summary.hpp"
#include "actors/http/status_json.hpp"
#include "api/codec/object_codec.hpp"
#include "api/patch/patch.hpp"
#include "api/registry.hpp"
#include "api/served_versions.hpp"
#include "api/types/authentication.hpp"
#include "api/types/eviction.hpp"

namespace kactor::http {

using apiserver::Request;
using apiserver::Response;
using apiserver::Verb;

namespace {

/// Everything one request needs while its answer is pending.
struct Call {
  const api::TypeInfo* type = nullptr;
  Route route;
  RequestOptions options;
  ResponseFormat format;
  ExchangePtr exchange;
  const Clock* clock = nullptr;
};
using CallPtr = std::shared_ptr<const Call>;

Request base_request(const Call& c, Verb verb) {
  Request r;
  r.verb = verb;
  r.group = c.type->group;
  r.resource = c.type->resource;
  r.namespace_ = c.route.namespace_;
  r.name = c.route.name;
  r.dry_run = c.options.dry_run;
  return r;
}

/// Answers the object of a response (or its error) with `code` on success.
ApiBackend::Done answer_object(CallPtr c, int code, std::vector<std::string> warnings = {}) {
  return [c, code, warnings = std::move(warnings)](Response r) {
    if (r.error) return c->exchange->respond(status_response(*r.error));
    c->exchange->respond(object_response(code, *r.object, c->format, c->clock->now(), warnings));
  };
}

// -- reads ---------------------------------------------------------------------------

void get(ApiBackend& backend, CallPtr c) {
  auto req = base_request(*c, Verb::get);
  req.resource_version = c->options.resource_version;
  backend.call(std::move(req), answer_object(c, 200));
}

void list(ApiBackend& backend, CallPtr c) {
  auto req = base_request(*c, Verb::list);
  req.label_selector = c->options.label_selector;
  req.field_selector = c->options.field_selector;
  req.limit = c->options.limit;
  req.continue_token = c->options.continue_token;
  req.resource_version = c->options.resource_version;
  req.resource_version_match = c->options.resource_version_match;
  backend.call(std::move(req), [c](Response r) {
    if (r.error) return c->exchange->respond(status_response(*r.error));
    c->exchange->respond(list_response(*c->type, r, c->format, c->clock->now()));
  });
}

/// A watch's state between the backend's threads and the transport's.
struct WatchState {
  std::mutex mutex;
  std::shared_ptr<Stream> stream;
  std::shared_ptr<WatchControl> control;
  bool closed = false;
};

void watch(ApiBackend& backend, CallPtr c) {
  apiserver::WatchRequest wr;
  wr.group = c->type->group;
  wr.resource = c->type->resource;
  wr.namespace_ = c->route.namespace_;
  wr.label_selector = c->options.label_selector;
  wr.field_selector = c->options.field_selector;
  // A watch of one object by name is a field selector, as kube-apiserver rewrites it.
  if (!c->route.name.empty()) {
    auto by_name = "metadata.name=" + c->route.name;
    wr.field_selector = wr.field_selector.empty() ? by_name : wr.field_selector + "," + by_name;
  }
  wr.resource_version = c->options.resource_version;
  wr.allow_bookmarks = c->options.allow_bookmarks;
  // Upstream: no resourceVersion or "0" starts with the current objects as ADDED events.
  wr.send_initial = wr.resource_version.empty() || wr.resource_version == "0";

  auto state = std::make_shared<WatchState>();
  WatchObserver observer;
  observer.started = [c, state](const Response& r) {
    if (r.error && r.error->code != 410) {
      c->exchange->respond(status_response(*r.error));
      return;
    }
    auto stream = c->exchange->open_stream(c->format.content_type());
    std::shared_ptr<WatchControl> control;
    {
      std::lock_guard lock(state->mutex);
      state->stream = stream;
      control = state->control;
    }
    stream->on_close([state] {
      std::shared_ptr<WatchControl> control;
      {
        std::lock_guard lock(state->mutex);
        state->closed = true;
        control = std::move(state->control);
      }
      if (control) control->cancel();
    });
    if (c->options.timeout) stream->end_after(*c->options.timeout);
    if (r.error) {  // 410: a too-old resourceVersion is an ERROR event in a 200 stream
      stream->write(watch_error_line(*r.error));
      stream->end();
    }
  };
  observer.events = [c, state](const std::vector<apiserver::WatchEventPtr>& events, bool closed) {
    std::shared_ptr<Stream> stream;
    std::shared_ptr<WatchControl> control;
    {
      std::lock_guard lock(state->mutex);
      stream = state->stream;
      control = state->control;
    }
    if (!stream) return;
    const size_t count = events.size();
    stream->write(watch_events_chunk(*c->type, events, c->format, c->clock->now()),
                  [control, count] {
                    if (control) control->ack(count);
                  });
    if (closed) stream->end();
  };
  auto control = backend.watch(std::move(wr), std::move(observer));
  std::lock_guard lock(state->mutex);
  if (state->closed)
    control->cancel();
  else
    state->control = std::move(control);
}

// -- writes --------------------------------------------------------------------------

/// The namespace and name of a decoded object checked against the URL, as upstream does.
std::optional<api::Status> check_identity(const Call& c, api::Object& obj, bool name_required) {
  auto& meta = obj.metadata;
  if (c.type->namespaced) {
    if (meta.namespace_.empty()) meta.namespace_ = c.route.namespace_;
    if (meta.namespace_ != c.route.namespace_)
      return api::bad_request(
          "the namespace of the provided object does not match the namespace sent on the request");
  } else if (!meta.namespace_.empty()) {
    meta.namespace_.clear();  // upstream clears it for cluster-scoped kinds
  }
  if (name_required && meta.name != c.route.name) {
    if (meta.name.empty()) meta.name = c.route.name;
    else
      return api::bad_request("the name of the object (" + meta.name +
                              ") does not match the name on the URL (" + c.route.name + ")");
  }
  return std::nullopt;
}

void write_object(ApiBackend& backend, CallPtr c, const HttpRequest& http, Verb verb, int code) {
  const api::TypeInfo* body_type = c->type;
  if (verb == Verb::bind) body_type = api::Registry::builtin().by_kind("v1", "Binding");
  // A TokenRequest is no stored kind; the API server checks its name and namespace.
  const bool token = c->route.subresource == "token";
  if (token) body_type = &api::TokenRequest::static_type();
  auto decoded = decode_body(*body_type, http.content_type, http.body, c->options.field_validation,
                             body_type == c->type ? c->format.served : nullptr);
  if (!decoded) return c->exchange->respond(status_response(decoded.error()));
  auto& obj = *decoded->object;
  const bool by_name = verb != Verb::create;
  if (!token)
    if (auto bad = check_identity(*c, obj, by_name))
      return c->exchange->respond(status_response(*bad));
  auto req = base_request(*c, verb);
  if (verb == Verb::create) req.name = obj.metadata.name;
  req.object = api::ObjectPtr(std::move(decoded->object));
  if (token) req = apiserver::token_request(c->route.namespace_, c->route.name, std::move(req.object));
  backend.call(std::move(req), answer_object(c, code, std::move(decoded->warnings)));
}

/// pods/<name>/eviction: an Eviction (policy/v1, or policy/v1beta1 as kubectl 1.20 may post),
/// answered as upstream: 201 with a Status "Success" once the pod is being deleted, else the
/// refusal (429 while its disruption budget allows no disruption).
void evict(ApiBackend& backend, CallPtr c, const HttpRequest& http) {
  const auto& type = api::Eviction::static_type();
  auto decoded = decode_body(type, http.content_type, http.body, c->options.field_validation,
                             api::other_version(type, "v1beta1"));
  if (!decoded) return c->exchange->respond(status_response(decoded.error()));
  auto& meta = decoded->object->metadata;
  if (meta.namespace_.empty()) meta.namespace_ = c->route.namespace_;
  if (meta.namespace_ != c->route.namespace_)
    return c->exchange->respond(status_response(api::bad_request(
        "the namespace of the provided object does not match the namespace sent on the request")));
  auto req = apiserver::eviction_request(c->route.namespace_, c->route.name,
                                         api::ObjectPtr(std::move(decoded->object)));
  req.dry_run = c->options.dry_run;
  backend.call(std::move(req), [c](Response r) {
    if (r.error) return c->exchange->respond(status_response(*r.error));
    auto status = success_status_json("", "", "", "");
    status.erase("details");
    status["code"] = 201;
    c->exchange->respond(HttpResponse{201, "application/json", status.dump()});
  });
}

/// A patch at another served version (autoscaling/v1) applies to that version's document, as
/// upstream patches the version the URL names: read, convert, patch, convert back, and update
/// with the resourceVersion read as precondition (a concurrent write answers 409).
void patch_served(ApiBackend& backend, CallPtr c, const std::string& type, const std::string& body,
                  Verb verb) {
  auto* b = &backend;
  backend.call(base_request(*c, Verb::get), [b, c, type, body, verb](Response r) {
    if (r.error) return c->exchange->respond(status_response(*r.error));
    auto patched = api::patch::apply_patch(type, encode_for(*r.object, c->format), body, c->type->kind);
    if (!patched) return c->exchange->respond(status_response(patched.error()));
    if (auto ok = c->format.served->to_stored(*patched); !ok)
      return c->exchange->respond(status_response(ok.error()));
    auto obj = api::decode_json(
        *patched, {.strict = c->options.field_validation == FieldValidation::strict}, c->type);
    if (!obj) return c->exchange->respond(status_response(obj.error()));
    (*obj)->metadata.resource_version = r.object->metadata.resource_version;
    auto req = base_request(*c, verb == Verb::patch_status ? Verb::update_status : Verb::update);
    req.object = api::ObjectPtr(std::move(*obj));
    b->call(std::move(req), answer_object(c, 200));
  });
}

std::string patch_type_of(const std::string& content_type) {
  return media_type(content_type);
}

void patch(ApiBackend& backend, CallPtr c, const HttpRequest& http, Verb verb) {
  auto type = patch_type_of(http.content_type);
  if (type == "application/apply-patch+yaml") {
    return c->exchange->respond(status_response(api::Status{
        415, "UnsupportedMediaType",
        "server-side apply is not supported by kactor: use client-side apply (kubectl apply "
        "without --server-side), or a merge, JSON or strategic merge patch",
        {}}));
  }
  if (type != "application/json-patch+json" && type != "application/merge-patch+json" &&
      type != "application/strategic-merge-patch+json")
    return c->exchange->respond(status_response(api::unsupported_media_type(http.content_type)));
  if (c->format.served) return patch_served(backend, c, type, http.body, verb);
  auto req = base_request(*c, verb);
  req.patch_type = type;
  req.patch_body = http.body;
  req.strict = c->options.field_validation == FieldValidation::strict;
  backend.call(std::move(req), answer_object(c, 200));
}

/// DeleteOptions from the body (kubectl sends them there) on top of the query's.
api::Result<void> read_delete_options(const HttpRequest& http, Request& req, RequestOptions& o) {
  if (http.body.empty()) return {};
  auto doc = parse_body_json(http.content_type, http.body);
  if (!doc) return api::fail(doc.error());
  if (!doc->is_object()) return api::fail(api::bad_request("DeleteOptions must be a JSON object"));
  try {
    if (auto it = doc->find("gracePeriodSeconds"); it != doc->end() && !it->is_null())
      o.grace_period_seconds = it->get<int64_t>();
    if (auto it = doc->find("propagationPolicy"); it != doc->end() && !it->is_null())
      o.propagation_policy = it->get<std::string>();
    if (auto it = doc->find("orphanDependents"); it != doc->end() && it->is_boolean() &&
                                                   o.propagation_policy.empty())
      o.propagation_policy = it->get<bool>() ? "Orphan" : "Background";
    if (auto it = doc->find("dryRun"); it != doc->end() && it->is_array()) {
      for (const auto& v : *it) {
        if (v != "All")
          return api::fail(api::bad_request("Invalid dryRun value: " + v.dump() +
                                            ": supported values: \"All\""));
        o.dry_run = true;
      }
    }
    if (auto it = doc->find("preconditions"); it != doc->end() && it->is_object()) {
      if (auto u = it->find("uid"); u != it->end() && !u->is_null())
        req.precondition_uid = u->get<std::string>();
      if (auto v = it->find("resourceVersion"); v != it->end() && !v->is_null())
        req.precondition_resource_version = v->get<std::string>();
    }
  } catch (const nlohmann::json::exception&) {
    return api::fail(api::bad_request("DeleteOptions: a field has the wrong type"));
  }
  return {};
}

void remove(ApiBackend& backend, CallPtr c, const HttpRequest& http) {
  auto req = base_request(*c, Verb::remove);
  auto options = c->options;
  if (auto ok = read_delete_options(http, req, options); !ok)
    return c->exchange->respond(status_response(ok.error()));
  req.grace_period_seconds = options.grace_period_seconds;
  req.propagation_policy = options.propagation_policy;
  req.dry_run = options.dry_run;
  backend.call(std::move(req), [c](Response r) {
    if (r.error) return c->exchange->respond(status_response(*r.error));
    if (!r.object)
      return c->exchange->respond(
          HttpResponse{200, "application/json",
                       success_status(c->route.name, c->type->group, c->type->resource)});
    // 202 when the object is still there (graceful deletion, finalizers), as upstream.
    const int code = r.object->metadata.deletion_timestamp.has_value() ? 202 : 200;
    c->exchange->respond(object_response(code, *r.object, c->format, c->clock->now(), {}));
  });
}

/// DELETE on a collection: every object the selectors match, each deleted like one DELETE.
void remove_collection(ApiBackend& backend, CallPtr c, const HttpRequest& http) {
  Request options_holder;
  auto options = c->options;
  if (auto ok = read_delete_options(http, options_holder, options); !ok)
    return c->exchange->respond(status_response(ok.error()));
  auto req = base_request(*c, Verb::list);
  req.label_selector = options.label_selector;
  req.field_selector = options.field_selector;
  auto* b = &backend;
  backend.call(std::move(req), [c, b, options](Response listed) {
    if (listed.error) return c->exchange->respond(status_response(*listed.error));
    struct Pending {
      std::mutex mutex;
      size_t left;
      Response out;
      std::optional<api::Status> error;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = listed.items.size();
    pending->out.resource_version = listed.resource_version;
    if (listed.items.empty())
      return c->exchange->respond(list_response(*c->type, pending->out, c->format, c->clock->now()));
    for (const auto& item : listed.items) {
      Request del = base_request(*c, Verb::remove);
      del.namespace_ = item->metadata.namespace_;
      del.name = item->metadata.name;
      del.grace_period_seconds = options.grace_period_seconds;
      del.propagation_policy = options.propagation_policy;
      del.dry_run = options.dry_run;
      b->call(std::move(del), [c, pending](Response r) {
        std::unique_lock lock(pending->mutex);
        if (r.error && !api::is_not_found(*r.error) && !pending->error) pending->error = r.error;
        if (r.object) pending->out.items.push_back(r.object);
        if (--pending->left > 0) return;
        lock.unlock();
        if (pending->error) return c->exchange->respond(status_response(*pending->error));
        c->exchange->respond(list_response(*c->type, pending->out, c->format, c->clock->now()));
      });
    }
  });
}

}  // namespace

ResourceHandler::ResourceHandler(std::shared_ptr<ApiBackend> backend, const Clock& clock,
                                 std::shared_ptr<KubeletBackend> kubelets)
    : backend_(std::move(backend)), clock_(clock), kubelets_(std::move(kubelets)) {}

void ResourceHandler::handle(const Route& route, const HttpRequest& http,
                             ExchangePtr exchange) const {
  auto fail = [&](const api::Status& s) { exchange->respond(status_response(s)); };
  const auto* type = api::Registry::builtin().by_resource(route.group, route.resource);
  const api::ServedVersion* served = type ? api::other_version(*type, route.version) : nullptr;
  if (!type || (type->version != route.version && !served)) return fail(route_not_found());
  if (!type->namespaced && !route.namespace_.empty()) return fail(route_not_found());
  auto options = parse_request_options(route.query);
  if (!options) return fail(options.error());

  auto call = std::make_shared<Call>();
  call->type = type;
  call->route = route;
  call->options = *options;
  call->format = response_format(http.accept, options->include_object);
  call->format.served = served;
  call->exchange = exchange;
  call->clock = &clock_;
  CallPtr c = call;
  auto& backend = *backend_;
  const auto& m = http.method;
  const bool collection = route.name.empty();
  // Objects of a namespaced kind are named inside a namespace: /api/v1/pods/x is no URL.
  if (type->namespaced && route.namespace_.empty() && !(collection && m == "GET"))
    return fail(route_not_found());

  if (collection) {
    if (m == "GET") return options->watch ? watch(backend, c) : list(backend, c);
    if (m == "POST") return write_object(backend, c, http, Verb::create, 201);
    if (m == "DELETE") return remove_collection(backend, c, http);
    return fail(method_not_allowed(m));
  }
  const auto& sub = route.subresource;
  if (sub.empty()) {
    if (m == "GET") return options->watch ? watch(backend, c) : get(backend, c);
    if (m == "PUT") return write_object(backend, c, http, Verb::update, 200);
    if (m == "PATCH") return patch(backend, c, http, Verb::patch);
    if (m == "DELETE") return remove(backend, c, http);
    return fail(method_not_allowed(m));
  }
  if (sub == "status" && type->has_status) {
    if (m == "GET") return get(backend, c);
    if (m == "PUT") return write_object(backend, c, http, Verb::update_status, 200);
    if (m == "PATCH") return patch(backend, c, http, Verb::patch_status);
    return fail(method_not_allowed(m));
  }
  if (sub == "finalize" && type->resource == "namespaces" && type->group.empty()) {
    if (m == "PUT") return write_object(backend, c, http, Verb::finalize, 200);
    return fail(method_not_allowed(m));
  }
  if (sub == "binding" && type->resource == "pods" && type->group.empty()) {
    if (m == "POST") return write_object(backend, c, http, Verb::bind, 201);
    return fail(method_not_allowed(m));
  }
  if (sub == "eviction" && type->resource == "pods" && type->group.empty()) {
    if (m == "POST") return evict(backend, c, http);
    return fail(method_not_allowed(m));
  }
  if (sub == "token" && type->resource == "serviceaccounts" && type->group.empty()) {
    if (m == "POST") return write_object(backend, c, http, Verb::create, 201);
    return fail(method_not_allowed(m));
  }
  if (sub == "scale" && scalable(*type)) return serve_scale(backend, c->route, http, *type, options->dry_run, exchange);
  if (sub == "log" && type->resource == "pods" && type->group.empty()) {
    if (m == "GET") return serve_pod_logs(backend, kubelets_, c->route, exchange);
    return fail(method_not_allowed(m));
  }
  if (sub == "proxy" && type->resource == "nodes" && type->group.empty())
    return serve_node_proxy(backend, kubelets_, c->route, http, exchange);
  if (type->resource == "pods" && type->group.empty() &&
      (sub == "exec" || sub == "attach" || sub == "portforward")) {
    return fail(api::bad_request("pods/" + sub + " is not supported by the simulated runtime: "
                                 "its containers run no processes"));
  }
  return fail(route_not_found());
}

}  // namespace kactor::http
