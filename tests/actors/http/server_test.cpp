// The HTTPS server as a client meets it: TLS with the cluster CA, authentication (401 except
// for the health and version paths), health checks, discovery, metrics, and the limits that
// keep hostile clients from hurting it.
#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "actors/client/blocking_client.hpp"
#include "actors/http/pki.hpp"
#include "api/testing/builders.hpp"
#include "api/types/event.hpp"
#include "api_fixture.hpp"

using namespace kactor::http::testing;
using nlohmann::json;

namespace {

ClientOptions tls_options(const ServedCluster& c) {
  auto pem = [&](const char* f) {
    std::ifstream in(c.dir / "pki" / f);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  ClientOptions o;
  o.port = c.port;
  o.tls = true;
  o.ca_pem = pem("ca.crt");
  return o;
}

}  // namespace

TEST_CASE("http server: over TLS anonymous requests get 401 except health and version") {
  ServedCluster c(true);
  auto o = tls_options(c);
  HttpClient anon(o);
  auto denied = anon.request("GET", "/api/v1/pods");
  CHECK(denied.status == 401);
  CHECK(json_of(denied)["reason"] == "Unauthorized");
  CHECK(anon.request("GET", "/healthz").status == 200);
  CHECK(anon.request("GET", "/readyz?verbose").body.find("[+]ping ok") != std::string::npos);
  CHECK(anon.request("GET", "/livez").body == "ok");
  CHECK(json_of(anon.request("GET", "/version"))["major"] == "1");
  CHECK(anon.request("GET", "/api/v1/pods", "", "", {{"Authorization", "Bearer wrong"}}).status == 401);

  auto token = anon.request("GET", "/api/v1/nodes", "", "",
                            {{"Authorization", "Bearer " + c.api->admin_token()}});
  CHECK(token.status == 200);
  CHECK(json_of(token)["items"].size() == 2);

  auto pem = [&](const char* f) {
    std::ifstream in(c.dir / "pki" / f);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto with_cert = o;
  with_cert.client_cert_pem = pem("admin.crt");
  with_cert.client_key_pem = pem("admin.key");
  HttpClient admin(with_cert);
  CHECK(admin.request("GET", "/api/v1/namespaces").status == 200);
  CHECK(std::filesystem::exists(c.api->kubeconfig()));
}

TEST_CASE("http server: discovery in the legacy and the aggregated form chosen by Accept") {
  ServedCluster c;
  auto http = client_of(c);
  auto legacy = http.request("GET", "/api");
  CHECK(legacy.content_type == "application/json");
  CHECK(json_of(legacy)["kind"] == "APIVersions");
  auto aggregated = http.request(
      "GET", "/apis", "", "",
      {{"Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"}});
  CHECK(aggregated.content_type == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  CHECK(json_of(aggregated)["kind"] == "APIGroupDiscoveryList");
  auto v1 = json_of(http.request("GET", "/api/v1"));
  CHECK(v1["kind"] == "APIResourceList");
  auto apps = json_of(http.request("GET", "/apis/apps"));
  CHECK(apps["kind"] == "APIGroup");
  CHECK(http.request("GET", "/apis/nosuch.group/v1").status == 404);
  CHECK(http.request("GET", "/openapi/v2").status == 200);
  auto root = json_of(http.request("GET", "/openapi/v3"));
  const auto url = root["paths"]["api/v1"]["serverRelativeURL"].get<std::string>();
  auto doc = http.request("GET", url);
  CHECK(doc.status == 200);
  CHECK(doc.headers.find("Cache-Control")->second == "public, immutable");
}

TEST_CASE("http server: /metrics counts requests by verb resource and code") {
  ServedCluster c;
  auto http = client_of(c);
  REQUIRE(http.request("GET", "/api/v1/nodes").status == 200);
  REQUIRE(http.request("GET", "/api/v1/namespaces/default/pods/missing").status == 404);
  auto m = http.request("GET", "/metrics");
  REQUIRE(m.status == 200);
  CHECK(m.body.find(R"(apiserver_request_total{code="200",component="apiserver",group="",resource="nodes",scope="cluster",subresource="",verb="LIST",version="v1"} 1)") != std::string::npos);
  CHECK(m.body.find(R"(apiserver_request_total{code="404",component="apiserver",group="",resource="pods",scope="resource",subresource="",verb="GET",version="v1"} 1)") != std::string::npos);
  CHECK(m.body.find("apiserver_request_duration_seconds_bucket{") != std::string::npos);
}

TEST_CASE("http server: /metrics has the process's series once a pod is scheduled") {
  ServedCluster c;
  auto http = client_of(c);
  auto pod = kactor::api::testing::make_pod("default", "metered");
  REQUIRE(c.cluster->client().create(pod).has_value());
  // The scheduler counts the attempt before it writes the Scheduled event.
  REQUIRE(c.cluster->wait_for(kactor::api::Event::static_type(), [](const auto& events) {
    for (const auto& o : events) {
      const auto& e = static_cast<const kactor::api::Event&>(*o);
      if (e.reason == "Scheduled" && e.involved_object.name == "metered") return true;
    }
    return false;
  }));
  auto m = http.request("GET", "/metrics");
  REQUIRE(m.status == 200);
  auto type = m.headers.find("Content-Type");
  REQUIRE(type != m.headers.end());
  CHECK(type->second == "text/plain; version=0.0.4; charset=utf-8");
  const auto& text = m.body;
  auto has = [&](const std::string& part) {
    INFO(part);
    return text.find(part) != std::string::npos;
  };
  CHECK(has("# TYPE scheduler_schedule_attempts_total counter\n"));
  CHECK(has(R"(scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} )"));
  CHECK(has("# TYPE scheduler_scheduling_attempt_duration_seconds histogram\n"));
  CHECK(has(R"(scheduler_scheduling_attempt_duration_seconds_bucket{profile="default-scheduler",result="scheduled",le="+Inf"} )"));
  CHECK(has("# TYPE kactor_store_commit_duration_seconds histogram\n"));
  CHECK(has("kactor_store_commit_duration_seconds_count "));
  CHECK(has(R"(apiserver_registered_watchers{group="",kind="Pod",version="v1"} )"));
  CHECK(has(R"(workqueue_depth{name="replicaset"} )"));
  CHECK(has(R"(workqueue_adds_total{name="replicaset"} )"));
  // Every line is a comment or a sample, as Prometheus parses them.
  static const std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex sample(
      R"re([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN))re");
  std::istringstream lines(text);
  std::string line;
  int samples = 0;
  while (std::getline(lines, line)) {
    INFO(line);
    CHECK(std::regex_match(line, line.starts_with("#") ? comment : sample));
    samples += !line.starts_with("#");
  }
  CHECK(samples > 20);
  // The scheduled attempt is counted (at least this pod's, in this process).
  std::smatch count;
  REQUIRE(std::regex_search(
      text, count,
      std::regex(R"(scheduler_schedule_attempts_total\{profile="default-scheduler",result="scheduled"\} ([0-9]+))")));
  CHECK(std::stoi(count[1]) >= 1);
}

TEST_CASE("http server: a body over the limit is a 413 and the connection closes") {
  ServedCluster c;
  auto http = client_of(c);
  // The head announces 4 MiB: the answer comes before the body is sent.
  auto answer = http.raw_exchange(
      "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: 4194304\r\n\r\n{",
      std::chrono::seconds(10));
  CHECK(answer.rfind("HTTP/1.1 413 ", 0) == 0);
  CHECK(answer.find("\"reason\":\"RequestEntityTooLarge\"") != std::string::npos);
  // The server is fine afterwards.
  CHECK(client_of(c).request("GET", "/healthz").status == 200);
}

TEST_CASE("http server: pipelined requests sent in one write are all answered, in order") {
  ServedCluster c;
  auto http = client_of(c);
  // The second request arrives with the first: it must not wait for bytes that never come.
  auto answer = http.raw_exchange(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      std::chrono::seconds(10));
  const auto first = answer.find("HTTP/1.1 200 ");
  const auto second = answer.find("HTTP/1.1 200 ", first + 1);
  CHECK(first == 0);
  REQUIRE(second != std::string::npos);
  CHECK(answer.find("\"gitVersion\"", second) != std::string::npos);
}

TEST_CASE("http server: a client that sends its request too slowly is disconnected") {
  ServedCluster c(false, 1, std::chrono::seconds(1));
  auto http = client_of(c);
  // Half a request line and then nothing: closed after the read timeout (1 s here).
  CHECK(http.raw_closed_within("GET /api/v1/nodes HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(10)));
  // Garbage that is not HTTP: closed at once.
  CHECK(http.raw_closed_within("\x16\x03\x01garbage\r\n\r\n", std::chrono::seconds(10)));
  CHECK(client_of(c).request("GET", "/healthz").status == 200);
}

TEST_CASE("http server: many kept-alive requests on one connection and several clients at once") {
  ServedCluster c;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto http = client_of(c);
      for (int i = 0; i < 50; ++i)
        if (http.request("GET", "/api/v1/nodes/node-0").status == 200) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 200);
}

TEST_CASE("http server: stopping it ends open watch streams") {
  ServedCluster c;
  auto watcher = client_of(c);
  REQUIRE(watcher.open_stream("/api/v1/pods?watch=true") == 200);
  c.api->stop();
  while (watcher.next_line(std::chrono::seconds(10))) {
  }
  CHECK(watcher.stream_ended());
}

TEST_CASE("http server: connections beyond the limit are closed at once") {
  kactor::testing::ServedCluster c;
  std::optional<std::unique_ptr<kactor::http::HttpServer>> server;
  kactor::http::ServerOptions o;
  o.port = 0;
  o.max_connections = 1;
  auto started = kactor::http::HttpServer::start(o, [](kactor::http::HttpRequest, kactor::http::ExchangePtr e) {
    e->respond(kactor::http::HttpResponse{200, "text/plain", "ok", {}});
  });
  REQUIRE(started.has_value());
  ClientOptions co;
  co.port = (*started)->port();
  HttpClient first(co);
  REQUIRE(first.request("GET", "/").status == 200);  // holds the one connection (keep-alive)
  HttpClient second(co);
  CHECK(second.raw_closed_within("GET / HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(10)));
  CHECK(first.request("GET", "/").status == 200);
}
