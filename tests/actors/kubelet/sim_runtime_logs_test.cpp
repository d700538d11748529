// The simulated runtime's logs (sim_runtime.cpp, kactor.io/log in sim_annotations.cpp) on a
// virtual clock: the lines it writes, the instances it keeps, following, forgetting.
#include <catch2/catch.hpp>

#include "actors/kubelet/sim_runtime.hpp"
#include "api/time/virtual_clock.hpp"

using namespace kactor;
using namespace kactor::kubelet;
using namespace std::chrono_literals;

namespace {

struct Recorder {
  std::vector<RuntimeEvent> events;
  RuntimeEventSink sink() {
    return [this](RuntimeEvent ev) { events.push_back(std::move(ev)); };
  }
  size_t count(RuntimeEvent::Type type) const {
    return std::count_if(events.begin(), events.end(), [&](auto& e) { return e.type == type; });
  }
};

ContainerConfig config(Annotations annotations = {}, int32_t attempt = 0) {
  ContainerConfig c;
  c.pod_uid = "uid-1";
  c.pod_namespace = "default";
  c.pod_name = "web";
  c.container_name = "app";
  c.image = "nginx:1.25";
  c.attempt = attempt;
  c.annotations = std::move(annotations);
  return c;
}

std::vector<std::string> texts(const api::Result<LogRead>& read) {
  REQUIRE(read);
  std::vector<std::string> out;
  for (const auto& l : read->lines) out.push_back(l.text);
  return out;
}

LogQuery newest() {
  return LogQuery{"uid-1", "app", "", {}};
}

}  // namespace

TEST_CASE("the simulated runtime logs a start line, the kactor.io/log lines and the exit",
          "[kubelet][kubelet-logs]") {
  VirtualClock clock;
  Recorder rec;
  SimRuntime rt(clock, rec.sink());
  auto id = rt.start_container(config({{kLogAnnotation, "every 2s: GET /healthz 200 #{n}"},
                                       {kRunSecondsAnnotation, "5"},
                                       {kExitCodeAnnotation, "3"}}));
  REQUIRE(id);
  CHECK(texts(rt.read_log(newest())).empty());  // being created: nothing written yet
  clock.advance(100ms);
  CHECK(texts(rt.read_log(newest())) ==
        std::vector<std::string>{"started container app (image nginx:1.25, attempt 0)"});
  clock.advance(4s);
  auto read = rt.read_log(newest());
  CHECK(texts(read) ==
        std::vector<std::string>{"started container app (image nginx:1.25, attempt 0)",
                                 "GET /healthz 200 #1", "GET /healthz 200 #2"});
  CHECK(read->running);
  CHECK(read->container_id == *id);
  CHECK(read->lines[1].at == clock.now() - 2s);  // written at start + 2 s, by the clock
  clock.advance(1s);                             // exits at start + 5 s
  read = rt.read_log(newest());
  CHECK_FALSE(read->running);
  CHECK(read->lines.back().text == "exited with code 3 (Error)");
  clock.advance(10s);  // no more periodic lines after the exit
  CHECK(rt.read_log(newest())->lines.size() == 4);
}

TEST_CASE("the simulated runtime keeps the previous instance's log, past forget",
          "[kubelet][kubelet-logs]") {
  VirtualClock clock;
  Recorder rec;
  SimRuntime rt(clock, rec.sink());
  auto first = rt.start_container(config());
  clock.advance(100ms);
  rt.stop_container(*first, 30s);
  rt.forget(*first);
  auto before = texts(rt.read_log(LogQuery{"uid-1", "app", *first, {}}));
  CHECK(before == std::vector<std::string>{"started container app (image nginx:1.25, attempt 0)",
                                           "stopping: asked to stop within 30s",
                                           "exited with code 0 (Completed)"});
  auto second = rt.start_container(config({}, 1));
  clock.advance(100ms);
  CHECK(texts(rt.read_log(newest())) ==
        std::vector<std::string>{"started container app (image nginx:1.25, attempt 1)"});
  CHECK(texts(rt.read_log(LogQuery{"uid-1", "app", *first, {}})) == before);
  CHECK(rt.read_log(LogQuery{"uid-1", "app", *second, {}})->container_id == *second);
  // A third instance pushes the first out.
  rt.stop_container(*second, 0s);
  rt.start_container(config({}, 2));
  auto gone = rt.read_log(LogQuery{"uid-1", "app", *first, {}});
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code == 404);
  CHECK_FALSE(rt.read_log(LogQuery{"uid-1", "other", "", {}}));
  // Forgetting a pod's logs takes all its containers' and no other pod's (not even one
  // whose uid starts with this one).
  auto side = config();
  side.container_name = "side";
  auto other_pod = config();
  other_pod.pod_uid = "uid-10";
  REQUIRE(rt.start_container(side));
  REQUIRE(rt.start_container(other_pod));
  clock.advance(100ms);
  REQUIRE(rt.read_log(LogQuery{"uid-1", "side", "", {}}));
  rt.forget_logs("uid-1");
  CHECK_FALSE(rt.read_log(newest()));
  CHECK_FALSE(rt.read_log(LogQuery{"uid-1", "side", "", {}}));
  CHECK(texts(rt.read_log(LogQuery{"uid-10", "app", "", {}})) ==
        std::vector<std::string>{"started container app (image nginx:1.25, attempt 0)"});
}

TEST_CASE("a followed container announces its lines, an unfollowed one does not",
          "[kubelet][kubelet-logs]") {
  VirtualClock clock;
  Recorder rec;
  SimRuntime rt(clock, rec.sink());
  auto id = rt.start_container(config({{kLogAnnotation, "every 1s: tick"}}));
  clock.advance(100ms);
  clock.advance(3s);
  CHECK(rec.count(RuntimeEvent::Type::logged) == 0);
  rt.follow_log(*id, true);
  rt.follow_log(*id, true);
  clock.advance(2s);
  CHECK(rec.count(RuntimeEvent::Type::logged) == 2);
  rt.follow_log(*id, false);
  clock.advance(1s);
  CHECK(rec.count(RuntimeEvent::Type::logged) == 3);  // one follower is left
  rt.follow_log(*id, false);
  clock.advance(1s);
  CHECK(rec.count(RuntimeEvent::Type::logged) == 3);
  CHECK(rt.read_log(newest())->lines.size() == 1 + 7);
}

TEST_CASE("a malformed kactor.io/log is a BadRequest naming it, and the container does not start",
          "[kubelet][kubelet-logs]") {
  VirtualClock clock;
  Recorder rec;
  SimRuntime rt(clock, rec.sink());
  for (const char* bad : {"tick", "every: x", "every 5: x", "every 5h: x", "every 50ms: x",
                          "every -1s: x", "every 99999999999s: x", "each 5s: x"}) {
    INFO(bad);
    auto r = rt.start_container(config({{kLogAnnotation, bad}}));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == 400);
    CHECK_THAT(r.error().message, Catch::Contains("annotation kactor.io/log:"));
  }
  CHECK(rt.list_containers().empty());
  // A per-container annotation takes the place of the pod-wide one.
  auto per = periodic_log(
      {{kLogAnnotation, "every 1m: all"}, {"kactor.io/log.app", "every 500ms: mine {n}{n}"}},
      "app");
  REQUIRE(per);
  REQUIRE(per->has_value());
  CHECK((*per)->every == 500ms);
  CHECK(periodic_log_line((*per)->text, 7) == "mine 77");
  auto other =
      periodic_log({{kLogAnnotation, "every 1m: all"}, {"kactor.io/log.app", "bad"}}, "db");
  REQUIRE(other);
  CHECK((*other)->every == 1min);
}
