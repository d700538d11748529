// pods/log (logs.cpp): the query checked, and the route over a real in-process cluster served
// on 127.0.0.1 without TLS: the text, the 400s worded as upstream's, following until the
// container stops or the client goes.
#include <catch2/catch.hpp>

#include <regex>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/client/blocking_client.hpp"
#include "actors/http/logs.hpp"
#include "actors/http/serve.hpp"
#include "actors/kubelet/messages.hpp"
#include "actors/kubelet/sim_annotations.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"
#include "tests/actors/http/api_fixture.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::http::testing::ClientResponse;
using kactor::http::testing::HttpClient;
using kactor::http::testing::client_of;

namespace {

api::Status parse_error(const Query& q) {
  auto r = parse_pod_log_options(q, "web");
  REQUIRE_FALSE(r);
  return r.error();
}

std::string message_of(const std::string& status_json) {
  auto doc = nlohmann::json::parse(status_json, nullptr, false);
  return doc.is_object() && doc.contains("message") ? doc["message"].get<std::string>()
                                                    : status_json;
}

/// A one-node cluster (real clock, seed 1) served over plain HTTP, as every HTTP test has it.
struct LogsCluster : kactor::testing::ServedCluster {
  LogsCluster() : ServedCluster(false, 1) {}

  void create(const api::Pod& pod) { REQUIRE(cluster->client().create(pod).has_value()); }

  /// Waits until every container of pod `name` runs.
  void wait_running(const std::string& name) {
    REQUIRE(
        cluster->wait_for(api::Pod::static_type(), [&](const std::vector<api::ObjectPtr>& pods) {
          for (const auto& o : pods) {
            auto p = api::as<api::Pod>(o);
            if (p->metadata.name != name || p->status.container_statuses.empty()) continue;
            for (const auto& s : p->status.container_statuses)
              if (!s.state.running) return false;
            return true;
          }
          return false;
        }));
  }

  int log_followers() {
    caf::scoped_actor self{cluster->system()};
    int out = -1;
    self->request(cluster->kubelet("node-0"), std::chrono::seconds(10),
                  kubelet::kubelet_state_atom::value)
        .receive([&](kubelet::KubeletState& s) { out = s.log_followers; }, [](caf::error&) {});
    return out;
  }

  ClientResponse get(const std::string& target) const { return client_of(*this).request("GET", target); }
};

/// A followed log read line by line: the lines so far, joined.
struct Follow {
  HttpClient client;
  std::string body;
  int status = 0;
  Follow(const LogsCluster& c, const std::string& target) : client(client_of(c)) {
    status = client.open_stream(target);
  }
  /// Reads lines until `pred(body)` holds or the stream ends (10 s at most per line).
  template <class Pred>
  bool read_until(Pred pred) {
    while (!pred(body)) {
      auto line = client.next_line(std::chrono::seconds(10));
      if (!line) return pred(body);
      body += *line + "\n";
    }
    return true;
  }
  bool read_to_end() {
    while (auto line = client.next_line(std::chrono::seconds(10))) body += *line + "\n";
    return client.stream_ended();
  }
};

const std::string kPods = "/api/v1/namespaces/default/pods/";

api::Pod ticking(const std::string& name) {
  auto p = api::testing::make_pod("default", name);
  p.metadata.annotations[kubelet::kLogAnnotation] = "every 100ms: tick {n}";
  return p;
}

}  // namespace

TEST_CASE("pods/log query: malformed values are 400s naming the parameter, wrong ones 422s",
          "[http][http-logs]") {
  auto ok = parse_pod_log_options({{"container", "app"},
                                   {"follow", "true"},
                                   {"tailLines", "5"},
                                   {"timestamps", "1"},
                                   {"sinceSeconds", "10"},
                                   {"limitBytes", "100"}},
                                  "web");
  REQUIRE(ok);
  CHECK(ok->container == "app");
  CHECK(ok->follow);
  CHECK(ok->timestamps);
  CHECK_FALSE(ok->previous);
  CHECK(ok->tail_lines == 5);
  CHECK(ok->since_seconds == 10);
  CHECK(ok->limit_bytes == 100);
  auto since = parse_pod_log_options({{"sinceTime", "2026-11-27T10:24:33Z"}}, "web");
  REQUIRE(since);
  CHECK(since->since_time.has_value());

  auto bad = parse_error({{"tailLines", "ten"}});
  CHECK(bad.code == 400);
  CHECK(bad.message == "invalid value for query parameter \"tailLines\": \"ten\": not an integer");
  CHECK(parse_error({{"follow", "yes"}}).message ==
        "invalid value for query parameter \"follow\": \"yes\": not a boolean");
  CHECK(parse_error({{"sinceTime", "yesterday"}}).code == 400);

  auto invalid = parse_error({{"tailLines", "-1"}});
  CHECK(invalid.code == 422);
  CHECK(invalid.message ==
        "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or "
        "equal to 0");
  CHECK(parse_error({{"limitBytes", "0"}}).message ==
        "PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be greater than 0");
  CHECK(parse_error({{"sinceSeconds", "0"}}).message ==
        "PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0");
  CHECK(parse_error({{"sinceSeconds", "5"}, {"sinceTime", "2026-11-27T10:24:33Z"}}).message ==
        "PodLogOptions \"web\" is invalid: Forbidden: at most one of `sinceTime` or `sinceSeconds` "
        "may be specified");
}

TEST_CASE("pods/log over HTTP: the text, the last lines with timestamps, the 400s",
          "[http][http-logs]") {
  LogsCluster s;
  s.create(ticking("web"));
  auto two = api::testing::make_pod("default", "two");
  two.spec.containers = {api::Container{.name = "a", .image = "busybox"},
                         api::Container{.name = "b", .image = "busybox"}};
  s.create(two);
  auto pending = api::testing::make_pod("default", "pending");
  pending.spec.node_selector = {{"no-such", "node"}};
  s.create(pending);
  s.wait_running("web");
  s.wait_running("two");

  auto all = s.get(kPods + "web/log");
  CHECK(all.status == 200);
  CHECK(all.content_type == "text/plain");
  CHECK(all.body.starts_with("started container app (image nginx:1.25, attempt 0)\n"));

  auto last = s.get(kPods + "web/log?tailLines=1&timestamps=true");
  CHECK(last.status == 200);
  INFO(last.body);
  CHECK(std::regex_match(
      last.body,
      std::regex(
          R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (started container app .*|tick \d+)\n)")));

  auto limited = s.get(kPods + "web/log?limitBytes=7");
  CHECK(limited.body == "started");

  auto a = s.get(kPods + "two/log?container=a");
  CHECK(a.status == 200);
  CHECK(a.body == "started container a (image busybox, attempt 0)\n");

  auto unnamed = s.get(kPods + "two/log");
  CHECK(unnamed.status == 400);
  CHECK(message_of(unnamed.body) ==
        "a container name must be specified for pod two, choose one of: [a b]");
  auto previous = s.get(kPods + "two/log?container=a&previous=true");
  CHECK(previous.status == 400);
  CHECK(message_of(previous.body) ==
        "previous terminated container \"a\" in pod \"two\" not found");
  auto waiting = s.get(kPods + "pending/log");
  CHECK(waiting.status == 400);
  CHECK(message_of(waiting.body) ==
        "container \"app\" in pod \"pending\" is waiting to start: ContainerCreating");
  auto missing = s.get(kPods + "nope/log");
  CHECK(missing.status == 404);
  CHECK(s.get(kPods + "web/log?tailLines=-1").status == 422);
  CHECK(s.get(kPods + "web/log?tailLines=x").status == 400);
}

TEST_CASE("pods/log follow streams lines until the container stops, and stops when the client goes",
          "[http][http-logs]") {
  LogsCluster s;
  s.create(ticking("web"));
  s.create(ticking("other"));
  s.wait_running("web");
  s.wait_running("other");

  // The client goes: the kubelet stops sending.
  {
    Follow gone(s, kPods + "other/log?follow=true");
    CHECK(gone.status == 200);
    REQUIRE(
        gone.read_until([](const std::string& b) { return b.find("tick") != std::string::npos; }));
    CHECK(s.log_followers() == 1);
  }  // the client goes away here: its connection closes
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (s.log_followers() != 0 && std::chrono::steady_clock::now() < deadline) {
  }
  CHECK(s.log_followers() == 0);

  // The container stops (its pod is deleted): the stream ends with its last line.
  Follow follow(s, kPods + "web/log?follow=true&tailLines=0");
  CHECK(follow.status == 200);
  REQUIRE(follow.read_until(
      [](const std::string& b) { return std::count(b.begin(), b.end(), '\n') >= 2; }));
  CHECK(follow.body.starts_with("tick "));
  CHECK_FALSE(follow.client.stream_ended());
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  REQUIRE(s.cluster->client().remove(api::Pod::static_type(), "default", "web", now));
  REQUIRE(follow.read_to_end());
  CHECK(follow.body.ends_with("exited with code 0 (Completed)\n"));

  // The kubelet goes (its node crashes): the stream ends.
  Follow orphan(s, kPods + "other/log?follow=true&tailLines=0");
  REQUIRE(
      orphan.read_until([](const std::string& b) { return b.find("tick") != std::string::npos; }));
  s.cluster->stop_node("node-0");
  CHECK(orphan.read_to_end());
}
