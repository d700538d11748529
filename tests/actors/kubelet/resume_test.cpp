// What a restarted kubelet makes of a container (resume.cpp), without actors.
#include <catch2/catch.hpp>

#include "actors/kubelet/resume.hpp"

using namespace kactor;
using namespace kactor::kubelet;
using namespace std::chrono_literals;

namespace {

TimePoint at(int seconds) {
  return TimePoint{} + std::chrono::seconds(seconds);
}

api::ContainerStatus running_status(const std::string& id, int restarts) {
  api::ContainerStatus s;
  s.name = "app";
  s.container_id = id;
  s.restart_count = restarts;
  s.state.running = api::ContainerStateRunning{api::Time{at(10)}};
  return s;
}

ContainerInfo runtime_container(const std::string& id, ContainerInfo::State state) {
  ContainerInfo info;
  info.id = id;
  info.pod_uid = "uid-1";
  info.container_name = "app";
  info.state = state;
  info.started_at = at(10);
  return info;
}

}  // namespace

TEST_CASE("a container that exited for good stays exited after a kubelet restart",
          "[kubelet][kubelet-resume]") {
  // The resumed container of a restartPolicy OnFailure pod that had exited 0.
  ContainerRec c;
  c.name = "app";
  api::ContainerStatus before;
  before.name = "app";
  before.restart_count = 2;
  before.state.terminated = api::ContainerStateTerminated{};
  before.state.terminated->reason = "Completed";
  CHECK(resume_container(c, &before, nullptr, "OnFailure", TimePoint{}) == Resumption::finished);
  CHECK(c.phase == ContainerRec::Phase::terminated);
  CHECK(c.restart_count == 2);
  // Under Always it runs again, and that is one more restart.
  ContainerRec again;
  CHECK(resume_container(again, &before, nullptr, "Always", TimePoint{}) == Resumption::start);
  CHECK(again.restart_count == 3);
}

TEST_CASE("a container the runtime still runs is adopted without a restart",
          "[kubelet][kubelet-resume]") {
  auto before = running_status("sim://a", 1);
  auto found = runtime_container("sim://a", ContainerInfo::State::running);
  ContainerRec c;
  c.name = "app";
  CHECK(resume_container(c, &before, &found, "Always", at(100)) == Resumption::adopt);
  CHECK(c.id == "sim://a");
  CHECK(c.phase == ContainerRec::Phase::running);
  CHECK(c.started_at == at(10));
  CHECK(c.restart_count == 1);
  CHECK(c.ever_started);
  CHECK_FALSE(c.terminated);

  // One being created when the kubelet went is adopted too, still creating.
  auto creating = runtime_container("sim://b", ContainerInfo::State::created);
  ContainerRec fresh;
  CHECK(resume_container(fresh, nullptr, &creating, "Always", at(100)) == Resumption::adopt);
  CHECK(fresh.phase == ContainerRec::Phase::creating);
  CHECK(fresh.id == "sim://b");
  CHECK_FALSE(fresh.ever_started);
}

TEST_CASE("a container that exited while no kubelet watched follows its restart policy",
          "[kubelet][kubelet-resume]") {
  auto before = running_status("sim://a", 0);
  auto found = runtime_container("sim://a", ContainerInfo::State::exited);
  found.finished_at = at(50);
  found.exit_code = 3;
  found.reason = "Error";
  ContainerRec never;
  CHECK(resume_container(never, &before, &found, "Never", at(100)) == Resumption::finished);
  REQUIRE(never.terminated);
  CHECK(never.terminated->exit_code == 3);
  CHECK(never.terminated->finished_at.value == at(50));
  CHECK(never.terminated->container_id == "sim://a");
  CHECK(never.restart_count == 0);

  ContainerRec always;
  CHECK(resume_container(always, &before, &found, "OnFailure", at(100)) == Resumption::start);
  CHECK(always.restart_count == 1);
  CHECK(always.terminated->exit_code == 3);
}

TEST_CASE("without the runtime's container a running one was lost with the machine",
          "[kubelet][kubelet-resume]") {
  auto before = running_status("sim://a", 2);
  ContainerRec c;
  CHECK(resume_container(c, &before, nullptr, "Always", at(100)) == Resumption::start);
  CHECK(c.restart_count == 3);
  REQUIRE(c.terminated);
  CHECK(c.terminated->exit_code == 255);
  CHECK(c.terminated->reason == "Unknown");
  CHECK(c.terminated->finished_at.value == at(100));

  // An exit the status already reported teaches nothing new.
  api::ContainerStatus reported;
  reported.name = "app";
  reported.state.terminated = api::ContainerStateTerminated{};
  reported.state.terminated->container_id = "sim://old";
  auto old = runtime_container("sim://old", ContainerInfo::State::exited);
  CHECK(already_reported(reported, old));
  CHECK_FALSE(already_reported(before, old));
}
