// The kubelet answering log requests (log_serving.cpp) on a virtual clock: the lines selected,
// following (lines pushed as written, ended when the container stops or the reader stops it),
// a previous instance by its id, and the error for an instance the runtime does not have.
#include "actors/kubelet/protocol/messages.hpp"
#include "api/time/rfc3339.hpp"
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

using kubelet::PodLogChunk;
using kubelet::PodLogRequest;

/// A pod whose container "app" writes "tick <n>" every second.
api::Pod ticking(const std::string& name) {
  auto p = make_pod("default", name);
  p.metadata.annotations[kubelet::kLogAnnotation] = "every 1s: tick {n}";
  return p;
}

struct LogFixture : KubeletFixture {
  caf::actor k = ready_node("node-1", "10.244.1.0/24");
  caf::scoped_actor reader{system.get()};

  /// Creates the pod on node-1 and waits until its container runs.
  std::shared_ptr<const api::Pod> run(api::Pod p) {
    auto created = create_bound(std::move(p), "node-1");
    REQUIRE(eventually([&] {
      auto s = query(k);
      return s && container_of(*s, created->metadata.name) != nullptr;
    }));
    step(k, 100ms);
    return created;
  }

  std::string container_id(const std::string& pod) {
    auto s = query(k);
    REQUIRE(s);
    return container_of(*s, pod)->container_id;
  }

  PodLogRequest request(const api::Pod& pod, std::string id, kubelet::PodLogOptions o = {}) {
    o.container = "app";
    return PodLogRequest{"default", pod.metadata.name, pod.metadata.uid, o, std::move(id)};
  }

  PodLogChunk ask(const PodLogRequest& r) {
    PodLogChunk out;
    out.error = api::internal_error("no answer");
    reader->request(k, 10s, kubelet::kubelet_logs_atom::value, r)
        .receive([&](PodLogChunk& c) { out = std::move(c); }, [](caf::error&) {});
    return out;
  }

  /// The next chunk a follow sends (a deadline for a broken test, not a pace).
  std::optional<PodLogChunk> next_chunk() {
    std::optional<PodLogChunk> out;
    reader->receive([&](PodLogChunk& c) { out = std::move(c); }, caf::after(10s) >> [] {});
    return out;
  }
};

}  // namespace

TEST_CASE("the kubelet answers a container's log, the last lines, with timestamps",
          "[kubelet][kubelet-logs]") {
  LogFixture f;
  auto pod = f.run(ticking("web"));
  auto started = f.clock.now();
  f.step(f.k, 3s);
  auto id = f.container_id("web");
  auto all = f.ask(f.request(*pod, id));
  REQUIRE_FALSE(all.error);
  CHECK(all.text ==
        "started container app (image nginx:1.25, attempt 0)\ntick 1\ntick 2\ntick 3\n");
  CHECK(all.ended);
  CHECK(all.follow_id == 0);
  auto tail = f.ask(f.request(*pod, id, {.timestamps = true, .tail_lines = 1}));
  CHECK(tail.text == format_rfc3339_nano(started + 3s) + " tick 3\n");
  // The lines written in the last second (tick 2 exactly a second ago, included).
  auto since = f.ask(f.request(*pod, id, {.since_seconds = 1}));
  CHECK(since.text == "tick 2\ntick 3\n");
  auto limited = f.ask(f.request(*pod, id, {.limit_bytes = 10}));
  CHECK(limited.text == "started co");
}

TEST_CASE("a follower gets each line as written until it stops following",
          "[kubelet][kubelet-logs]") {
  LogFixture f;
  auto pod = f.run(ticking("web"));
  auto first = f.ask(f.request(*pod, f.container_id("web"), {.follow = true, .tail_lines = 0}));
  REQUIRE_FALSE(first.error);
  CHECK(first.text.empty());
  CHECK_FALSE(first.ended);
  REQUIRE(first.follow_id != 0);
  f.step(f.k, 1s);
  auto chunk = f.next_chunk();
  REQUIRE(chunk);
  CHECK(chunk->text == "tick 1\n");
  CHECK(chunk->follow_id == first.follow_id);
  CHECK_FALSE(chunk->ended);
  f.step(f.k, 1s);
  chunk = f.next_chunk();
  REQUIRE(chunk);
  CHECK(chunk->text == "tick 2\n");
  f.reader->send(f.k, kubelet::kubelet_log_stop_atom::value, first.follow_id);
  f.step(f.k, 3s);
  CHECK(f.reader->mailbox().empty());
}

TEST_CASE("a follow ends with the container's last line when it stops", "[kubelet][kubelet-logs]") {
  LogFixture f;
  auto p = ticking("job");
  p.spec.restart_policy = "Never";
  p.metadata.annotations[kubelet::kRunSecondsAnnotation] = "2";
  auto pod = f.run(p);
  auto first = f.ask(f.request(*pod, f.container_id("job"), {.follow = true}));
  REQUIRE_FALSE(first.ended);
  CHECK(first.text == "started container app (image nginx:1.25, attempt 0)\n");
  f.step(f.k, 1s);
  auto chunk = f.next_chunk();
  REQUIRE(chunk);
  CHECK(chunk->text == "tick 1\n");
  // The exit is due at the instant tick 2 would be: it comes first, and a container that
  // exited writes nothing more.
  f.step(f.k, 1s);
  std::string rest;
  bool ended = false;
  while (!ended) {
    auto c = f.next_chunk();
    REQUIRE(c);
    rest += c->text;
    ended = c->ended;
  }
  CHECK(rest == "exited with code 0 (Completed)\n");
  // A follow of a container that already stopped answers at once and ends.
  auto after = f.ask(f.request(*pod, "", {.follow = true}));
  CHECK(after.ended);
  CHECK(after.follow_id == 0);
}

TEST_CASE("the previous instance is read by its id, an unknown one is not available",
          "[kubelet][kubelet-logs]") {
  LogFixture f;
  auto p = ticking("crash");
  p.metadata.annotations[kubelet::kRunSecondsAnnotation] = "2";
  p.metadata.annotations[kubelet::kExitCodeAnnotation] = "2";
  auto pod = f.run(p);
  auto first_id = f.container_id("crash");
  f.step(f.k, 2s);     // exits; restarts after 10 s
  f.step(f.k, 10s);    // created again
  f.step(f.k, 100ms);  // running
  auto second_id = f.container_id("crash");
  REQUIRE(second_id != first_id);
  auto previous = f.ask(f.request(*pod, first_id, {.previous = true}));
  REQUIRE_FALSE(previous.error);
  CHECK(
      previous.text ==
      "started container app (image nginx:1.25, attempt 0)\ntick 1\nexited with code 2 (Error)\n");
  auto current = f.ask(f.request(*pod, second_id));
  CHECK(current.text == "started container app (image nginx:1.25, attempt 1)\n");
  auto unknown = f.ask(f.request(*pod, "sim://nope", {.previous = true}));
  REQUIRE(unknown.error);
  CHECK(unknown.error->code == 400);
  CHECK(unknown.error->message ==
        "previous terminated container \"app\" in pod \"crash\" not found");
  unknown = f.ask(f.request(*pod, "sim://nope"));
  REQUIRE(unknown.error);
  CHECK(unknown.error->message == "container \"app\" in pod \"crash\" is not available");
}
