// The in-flight limits (kube-apiserver's --max-requests-inflight and
// --max-mutating-requests-inflight): beyond them a request gets 429 with Retry-After, and a
// slot comes back when its request is answered. Driven without sockets: a backend that holds
// its answers, an exchange that records them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "actors/http/handler.hpp"
#include "api/time/virtual_clock.hpp"

using namespace kactor;
using namespace kactor::http;

namespace {

/// Keeps every call's callback until the test answers it.
struct HeldBackend final : ApiBackend {
  std::vector<Done> pending;
  void call(apiserver::Request, Done done) override { pending.push_back(std::move(done)); }
  std::shared_ptr<WatchControl> watch(apiserver::WatchRequest, WatchObserver) override { return nullptr; }
};

struct RecordingExchange final : Exchange {
  std::optional<HttpResponse> response;
  void respond(HttpResponse r) override { response = std::move(r); }
  std::shared_ptr<Stream> open_stream(std::string, std::vector<std::pair<std::string, std::string>>) override {
    return nullptr;
  }
};

std::shared_ptr<RecordingExchange> send(ApiHandler& h, const std::string& method, const std::string& target) {
  auto ex = std::make_shared<RecordingExchange>();
  HttpRequest r;
  r.method = method;
  r.target = target;
  if (method != "GET") {
    r.content_type = "application/json";
    r.body = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})";
  }
  h.handle(std::move(r), ex);
  return ex;
}

}  // namespace

TEST_CASE("http inflight: requests beyond the limit get 429 with Retry-After until a slot frees") {
  auto backend = std::make_shared<HeldBackend>();
  VirtualClock clock;
  HandlerOptions options;
  options.max_requests_inflight = 2;
  options.max_mutating_requests_inflight = 1;
  ApiHandler handler(backend, clock, options);

  auto a = send(handler, "GET", "/api/v1/namespaces/default/configmaps/a");
  auto b = send(handler, "GET", "/api/v1/namespaces/default/configmaps/b");
  CHECK_FALSE(a->response);
  CHECK_FALSE(b->response);
  auto c = send(handler, "GET", "/api/v1/namespaces/default/configmaps/c");
  REQUIRE(c->response);
  CHECK(c->response->status == 429);
  auto status = nlohmann::json::parse(c->response->body);
  CHECK(status["reason"] == "TooManyRequests");
  CHECK(status["details"]["retryAfterSeconds"] == 1);
  CHECK(std::find(c->response->headers.begin(), c->response->headers.end(),
                  std::pair<std::string, std::string>{"Retry-After", "1"}) != c->response->headers.end());

  // Writes have their own, separate limit.
  auto w1 = send(handler, "POST", "/api/v1/namespaces/default/configmaps");
  CHECK_FALSE(w1->response);
  auto w2 = send(handler, "POST", "/api/v1/namespaces/default/configmaps");
  REQUIRE(w2->response);
  CHECK(w2->response->status == 429);

  // Answering a read frees its slot.
  apiserver::Response gone;
  gone.error = api::not_found("configmaps", "a");
  backend->pending.front()(gone);
  CHECK(a->response->status == 404);
  auto d = send(handler, "GET", "/api/v1/namespaces/default/configmaps/d");
  CHECK_FALSE(d->response);  // admitted: waiting on the backend
  // Watches and non-resource paths never count.
  CHECK(send(handler, "GET", "/version")->response->status == 200);
}
