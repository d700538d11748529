// HttpServer::stop() lets go of everything it owned: a handler's answer or stream callback that
// comes after the stop must not stay queued on the stopped I/O context, where it would hold
// its connection, and through it the server's handler and all that captured, for good.
#include <catch2/catch.hpp>

#include <future>
#include <memory>
#include <thread>

#include "actors/http/server.hpp"
#include "support/http_client.hpp"

using namespace kactor::http;
using kactor::http::testing::ClientOptions;
using kactor::http::testing::HttpClient;

namespace {

/// A plain-HTTP server whose handler keeps each exchange (answering nothing) and holds
/// `captured`, as a real handler holds its backends.
struct HeldServer {
  std::unique_ptr<HttpServer> server;
  std::promise<ExchangePtr> held;
  std::future<ExchangePtr> exchange = held.get_future();

  explicit HeldServer(std::shared_ptr<int> captured) {
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    auto started = HttpServer::start(o, [this, captured](HttpRequest, ExchangePtr e) {
      held.set_value(std::move(e));
    });
    REQUIRE(started);
    server = std::move(*started);
  }
};

/// Sends one request on a thread of its own and waits until the handler has its exchange.
std::thread request_held(HeldServer& s, ExchangePtr& exchange) {
  ClientOptions co;
  co.port = s.server->port();
  std::thread client([co] {
    HttpClient http(co);
    // Ends when the server closes the connection (stop()), or after 20 s.
    http.raw_exchange("GET /held HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(20));
  });
  REQUIRE(s.exchange.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  exchange = s.exchange.get();
  return client;
}

}  // namespace

TEST_CASE("http server: an answer given after stop() is dropped and the connection released") {
  auto captured = std::make_shared<int>(1);
  std::weak_ptr<int> watched = captured;
  ExchangePtr exchange;
  {
    HeldServer s(std::move(captured));
    auto client = request_held(s, exchange);
    s.server->stop();
    client.join();
    // The handler answers late, as an actor whose reply comes after the server stopped.
    exchange->respond(HttpResponse{200, "text/plain", "too late", {}});
    exchange.reset();
  }
  // Before stop() dropped it, the answer stayed queued on the stopped context, holding the
  // connection, which holds the server's shared state, which holds the handler: this leaked.
  CHECK(watched.expired());
}

TEST_CASE("http server: a stream's on_close set after stop() runs at once, nothing is kept") {
  auto captured = std::make_shared<int>(1);
  std::weak_ptr<int> watched = captured;
  auto producer = std::make_shared<int>(2);  // what a watch's on_close would hold
  std::weak_ptr<int> watched_producer = producer;
  ExchangePtr exchange;
  bool closed = false;
  {
    HeldServer s(std::move(captured));
    auto client = request_held(s, exchange);
    auto stream = exchange->open_stream("application/json");
    s.server->stop();
    client.join();
    stream->write("{\"late\":true}\n", [] {});
    stream->on_close([&closed, producer = std::move(producer)] { closed = true; });
    CHECK(closed);  // at once, on this thread: the connection is closed
    stream->end();
    stream.reset();
    exchange.reset();
  }
  CHECK(watched_producer.expired());
  CHECK(watched.expired());
}

TEST_CASE("http server: stop() is idempotent and a server without connections stops at once") {
  auto captured = std::make_shared<int>(1);
  std::weak_ptr<int> watched = captured;
  {
    HeldServer s(std::move(captured));
    s.server->stop();
    s.server->stop();
  }
  CHECK(watched.expired());
}
