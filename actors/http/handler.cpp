#include "actors/http/handler.hpp"

#include <mutex>

#include <nlohmann/json.hpp>

#include "actors/http/discovery.hpp"
#include "actors/http/metrics_api.hpp"
#include "actors/http/openapi.hpp"
#include "actors/http/response.hpp"
#include "actors/http/route.hpp"
#include "actors/http/self_reviews.hpp"
#include "telemetry/registry.hpp"

namespace kactor::http {
namespace {

HttpResponse json_ok(const nlohmann::json& doc, std::string content_type = "application/json") {
  return HttpResponse{200, std::move(content_type), doc.dump(), {}};
}

RequestLabels labels_of(const Route& r, const std::string& method) {
  RequestLabels l;
  if (r.kind != Route::Kind::resource) {
    l.verb = method;
    l.resource = r.path;  // upstream labels non-resource requests by path
    return l;
  }
  l.group = r.group;
  l.version = r.version;
  l.resource = r.resource;
  l.subresource = r.subresource;
  l.scope = !r.name.empty() ? "resource" : !r.namespace_.empty() ? "namespace" : "cluster";
  const bool watch = r.query.count("watch") && (r.query.at("watch") == "true" || r.query.at("watch") == "1");
  if (method == "GET")
    l.verb = watch ? "WATCH" : r.name.empty() ? "LIST" : "GET";
  else if (method == "DELETE" && r.name.empty())
    l.verb = "DELETECOLLECTION";
  else
    l.verb = method;
  return l;
}

/// Records each request's code and duration as it is answered.
class MeasuredExchange final : public Exchange, public std::enable_shared_from_this<MeasuredExchange> {
 public:
  MeasuredExchange(ExchangePtr inner, std::shared_ptr<Metrics> metrics, RequestLabels labels,
                   const Clock& clock)
      : inner_(std::move(inner)), metrics_(std::move(metrics)), labels_(std::move(labels)),
        clock_(clock), start_(clock.now()) {}

  void respond(HttpResponse response) override {
    metrics_->observe(labels_, response.status, seconds());
    inner_->respond(std::move(response));
  }
  std::shared_ptr<Stream> open_stream(
      std::string content_type, std::vector<std::pair<std::string, std::string>> headers) override {
    metrics_->observe(labels_, 200, seconds());
    metrics_->watch_open(labels_, +1);
    auto stream = inner_->open_stream(std::move(content_type), std::move(headers));
    return std::make_shared<CountedStream>(std::move(stream), metrics_, labels_);
  }

 private:
  /// Counts the stream as open until it closes; the producer's on_close runs after.
  class CountedStream final : public Stream {
   public:
    CountedStream(std::shared_ptr<Stream> inner, std::shared_ptr<Metrics> metrics, RequestLabels labels)
        : inner_(std::move(inner)) {
      inner_->on_close([closer = closer_, metrics, labels] {
        metrics->watch_open(labels, -1);
        std::function<void()> f;
        {
          std::lock_guard lock(closer->mutex);
          closer->closed = true;
          f = std::move(closer->on_close);
        }
        if (f) f();
      });
    }
    using Stream::write;
    void write(SharedBytes chunk, std::function<void()> written) override {
      inner_->write(std::move(chunk), std::move(written));
    }
    void end() override { inner_->end(); }
    void end_after(std::chrono::seconds after) override { inner_->end_after(after); }
    void on_close(std::function<void()> f) override {
      {
        std::lock_guard lock(closer_->mutex);
        if (!closer_->closed) {
          closer_->on_close = std::move(f);
          return;
        }
      }
      f();
    }

   private:
    struct Closer {
      std::mutex mutex;
      bool closed = false;
      std::function<void()> on_close;
    };
    std::shared_ptr<Closer> closer_ = std::make_shared<Closer>();
    std::shared_ptr<Stream> inner_;
  };

  double seconds() const {
    return std::chrono::duration<double>(clock_.now() - start_).count();
  }

  ExchangePtr inner_;
  std::shared_ptr<Metrics> metrics_;
  RequestLabels labels_;
  const Clock& clock_;
  TimePoint start_;
};

/// Holds one in-flight slot until the request is answered (or its stream opened).
class SlotExchange final : public Exchange {
 public:
  SlotExchange(ExchangePtr inner, std::shared_ptr<std::atomic<int>> counter)
      : inner_(std::move(inner)), counter_(std::move(counter)) {}
  ~SlotExchange() override { release(); }
  void respond(HttpResponse response) override {
    release();
    inner_->respond(std::move(response));
  }
  std::shared_ptr<Stream> open_stream(
      std::string content_type, std::vector<std::pair<std::string, std::string>> headers) override {
    release();
    return inner_->open_stream(std::move(content_type), std::move(headers));
  }

 private:
  void release() {
    if (!released_.exchange(true)) counter_->fetch_sub(1);
  }
  ExchangePtr inner_;
  std::shared_ptr<std::atomic<int>> counter_;
  std::atomic<bool> released_{false};
};

/// Watches and followed logs hold a connection for minutes: upstream's in-flight limits leave
/// such long-running requests out.
bool long_running(const Route& route, const RequestLabels& labels) {
  if (labels.verb == "WATCH") return true;
  if (route.subresource == "log") {
    auto it = route.query.find("follow");
    return it != route.query.end() && (it->second == "true" || it->second == "1");
  }
  return false;
}

}  // namespace

ApiHandler::ApiHandler(std::shared_ptr<ApiBackend> backend, const Clock& clock,
                       HandlerOptions options, std::shared_ptr<KubeletBackend> kubelets,
                       std::shared_ptr<MetricsBackend> metrics)
    : backend_(backend), clock_(clock), options_(std::move(options)),
      resources_(backend, clock, std::move(kubelets)), resource_metrics_(std::move(metrics)),
      metrics_(std::make_shared<Metrics>()) {}

void ApiHandler::handle(HttpRequest request, ExchangePtr exchange) {
  auto route = parse_route(request.target);
  if (!route) return exchange->respond(status_response(route.error()));
  auto labels = labels_of(*route, request.method);
  exchange = std::make_shared<MeasuredExchange>(std::move(exchange), metrics_, labels, clock_);
  if (route->kind == Route::Kind::resource && !long_running(*route, labels)) {
    const bool read = request.method == "GET" || request.method == "HEAD";
    auto& counter = read ? reads_inflight_ : writes_inflight_;
    const int limit = read ? options_.max_requests_inflight : options_.max_mutating_requests_inflight;
    if (counter->fetch_add(1) >= limit && limit > 0) {
      counter->fetch_sub(1);
      api::Status busy{429, "TooManyRequests", "Too many requests, please try again later.", {}};
      busy.details.retry_after_seconds = 1;
      auto r = status_response(busy);
      r.headers.emplace_back("Retry-After", "1");
      return exchange->respond(std::move(r));
    }
    exchange = std::make_shared<SlotExchange>(std::move(exchange), counter);
  }
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (route->kind != Route::Kind::resource && !get) {
    return exchange->respond(status_response(method_not_allowed()));
  }
  switch (route->kind) {
    case Route::Kind::version:
      return exchange->respond(json_ok(version_info(options_.build)));
    case Route::Kind::health:
      return health(*route, exchange);
    case Route::Kind::metrics:
      // This server's request metrics, then the process's (watchers, store commits, the
      // scheduler, work queues: telemetry/registry.hpp).
      return exchange->respond(HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8",
                                            metrics_->render() +
                                                telemetry::Registry::global().render(),
                                            {}});
    case Route::Kind::openapi_v2:
      return exchange->respond(HttpResponse{200, std::string(kOpenApiV2ProtobufContentType),
                                            std::string(openapi_v2_protobuf()), {}});
    case Route::Kind::openapi_v3: {
      if (route->rest.empty()) return exchange->respond(json_ok(openapi_v3_root()));
      const auto* doc = find_openapi_v3_document(route->rest);
      if (!doc) return exchange->respond(status_response(route_not_found()));
      HttpResponse r{200, "application/json", doc->text, {}};
      // A URL that names the current hash never changes (upstream's caching contract).
      if (route->query.count("hash") && route->query.at("hash") == doc->hash)
        r.headers.emplace_back("Cache-Control", "public, immutable");
      return exchange->respond(std::move(r));
    }
    case Route::Kind::discovery_core:
      if (accepts_aggregated_discovery(request.accept))
        return exchange->respond(
            json_ok(aggregated_discovery(true), std::string(kAggregatedDiscoveryContentType)));
    {
      std::string address;
      {
        std::lock_guard lock(address_mutex_);
        address = options_.server_address;
      }
      return exchange->respond(json_ok(api_versions(address)));
    }
    case Route::Kind::discovery_groups:
      if (accepts_aggregated_discovery(request.accept))
        return exchange->respond(
            json_ok(aggregated_discovery(false), std::string(kAggregatedDiscoveryContentType)));
      return exchange->respond(json_ok(api_group_list()));
    case Route::Kind::discovery_group: {
      const auto groups = api_group_list();
      for (const auto& g : groups["groups"]) {
        if (g["name"] != route->group) continue;
        auto doc = g;
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return exchange->respond(json_ok(doc));
      }
      return exchange->respond(status_response(route_not_found()));
    }
    case Route::Kind::discovery_resources: {
      auto doc = api_resource_list(route->group, route->version);
      if (!doc) return exchange->respond(status_response(route_not_found()));
      return exchange->respond(json_ok(*doc));
    }
    case Route::Kind::resource:
      if (is_metrics_route(*route))
        return serve_metrics(resource_metrics_.get(), *route, request, exchange);
      if (is_review_route(*route)) return serve_review(*route, request, exchange, clock_.now());
      return resources_.handle(*route, request, exchange);
    case Route::Kind::unknown:
      break;
  }
  exchange->respond(status_response(route_not_found()));
}

void ApiHandler::set_server_address(std::string address) {
  std::lock_guard lock(address_mutex_);
  options_.server_address = std::move(address);
}

void ApiHandler::health(const Route& route, ExchangePtr exchange) {
  const bool verbose = route.query.count("verbose") > 0;
  const std::string name = route.path.substr(1, route.path.find('/', 1) - 1);  // healthz, ...
  if (route.rest == "/ping") return exchange->respond(HttpResponse{200, "text/plain; charset=utf-8", "ok", {}});
  // The one check that matters: the API server actor answers (and through it, the store).
  apiserver::Request probe;
  probe.verb = apiserver::Verb::list;
  probe.resource = "namespaces";
  probe.limit = 1;
  backend_->call(std::move(probe), [exchange, verbose, name](apiserver::Response r) {
    const bool ok = !r.error;
    std::string body;
    if (verbose) {
      body = "[+]ping ok\n";
      body += ok ? "[+]apiserver ok\n" : "[-]apiserver failed: " + r.error->message + "\n";
      body += ok ? name + " check passed\n" : name + " check failed\n";
    } else {
      body = ok ? "ok" : "[-]apiserver failed: reason withheld\n" + name + " check failed";
    }
    exchange->respond(HttpResponse{ok ? 200 : 500, "text/plain; charset=utf-8", body, {}});
  });
}

}  // namespace kactor::http
