// A rolling update of a ReplicationController (actors/rollout/) against a whole in-process
// cluster on a VirtualClock. The update runs on its own thread; time moves only while it
// waits (between steps, polling), one step at a time, and after every step the pods are
// checked: never fewer available than the floor, never more than the ceiling.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "actors/client/blocking_client.hpp"
#include "actors/rollout/annotations.hpp"
#include "actors/rollout/in_process_api.hpp"
#include "actors/rollout/rolling_update.hpp"
#include "api/testing/builders.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/pod_util.hpp"
#include "tests/integration/cluster_support.hpp"
#include "tests/integration/virtual_time.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

constexpr Duration kLeaseInterval = 10s;

/// A process killed mid-update: thrown from the update's sleep.
struct Interrupted {};

/// One run of rolling_update() on its own thread with its own client; the test thread moves
/// time only while the run waits on the clock.
class UpdateRun {
 public:
  UpdateRun(Cluster& cluster, VirtualClock& clock, rollout::RollingUpdateOptions options,
            std::function<bool(const std::string&)> interrupt_after = {})
      : clock_(clock), state_(std::make_shared<State>()) {
    state_->interrupt_after = std::move(interrupt_after);
    thread_ = std::thread([this, &cluster, options] {
      client::BlockingClient client(cluster.system(), cluster.apiserver());
      rollout::InProcessApi api(client);
      std::optional<api::Result<std::string>> result;
      try {
        result = rollout::rolling_update(
            api, clock_, options, [this](std::string_view line) { print(line); },
            [this](Duration d) { sleep(d); });
      } catch (const Interrupted&) {
      }
      std::lock_guard lock(state_->mutex);
      state_->result = std::move(result);
      state_->done = true;
      state_->cv.notify_all();
    });
  }
  /// A run still waiting (a failed check ended the test early) is interrupted, not waited for.
  ~UpdateRun() {
    {
      std::lock_guard lock(state_->mutex);
      state_->aborting = true;
      state_->cv.notify_all();
    }
    thread_.join();
  }

  /// Until the run is done, moves time one step whenever it waits, then calls `check`.
  void drive(VirtualTime& time, Duration limit, const std::function<void()>& check) {
    const auto until = clock_.now() + limit;
    for (;;) {
      {
        std::unique_lock lock(state_->mutex);
        REQUIRE(state_->cv.wait_for(lock, kWait,
                                    [&] { return state_->done || state_->sleepers > 0; }));
        if (state_->done) return;
      }
      REQUIRE(clock_.now() < until);
      time.advance(1s);
      check();
    }
  }

  /// The run's answer; nullopt when it was interrupted.
  std::optional<api::Result<std::string>> result() {
    std::lock_guard lock(state_->mutex);
    return state_->result;
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(state_->mutex);
    return state_->lines;
  }

 private:
  /// Shared with the clock's timers, which may outlive the run.
  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    int sleepers = 0;
    bool done = false;
    bool interrupting = false;
    bool aborting = false;
    std::function<bool(const std::string&)> interrupt_after;
    std::optional<api::Result<std::string>> result;
    std::vector<std::string> lines;
  };

  void print(std::string_view line) {
    std::lock_guard lock(state_->mutex);
    state_->lines.emplace_back(line);
    if (state_->interrupt_after && state_->interrupt_after(state_->lines.back()))
      state_->interrupting = true;
  }
  void sleep(Duration d) {
    std::unique_lock lock(state_->mutex);
    if (state_->interrupting || state_->aborting) throw Interrupted{};
    // Counted as asleep until the timer fires (not until this thread wakes), so the test does
    // not move time again while the update works.
    auto fired = std::make_shared<bool>(false);
    ++state_->sleepers;
    clock_.schedule_after(d, [state = state_, fired] {
      std::lock_guard l(state->mutex);
      *fired = true;
      --state->sleepers;
      state->cv.notify_all();
    });
    state_->cv.notify_all();
    state_->cv.wait(lock, [&] { return *fired || state_->aborting; });
    if (!*fired) throw Interrupted{};
  }

  VirtualClock& clock_;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

/// The pods labelled app=web: how many exist (not being deleted) and how many are available.
struct PodCount {
  int32_t live = 0;
  int32_t available = 0;
};
PodCount count_web_pods(const std::vector<api::ObjectPtr>& objs, TimePoint now) {
  PodCount c;
  for (auto& o : objs) {
    auto p = api::as<api::Pod>(o);
    if (!p || p->metadata.labels.count("app") == 0 || p->metadata.labels.at("app") != "web")
      continue;
    if (p->metadata.deletion_timestamp || api::is_terminal(*p)) continue;
    ++c.live;
    if (api::is_available(*p, 0, now)) ++c.available;
  }
  return c;
}

/// The count as the API server's watchers see the pods now.
PodCount count_web_pods(Cluster& cluster, TimePoint now) {
  PodCount c;
  cluster.wait_for(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        c = count_web_pods(objs, now);
        return true;
      },
      std::chrono::milliseconds(0));
  return c;
}

struct Fixture {
  VirtualClock clock;
  std::unique_ptr<Cluster> cluster;
  std::optional<VirtualTime> time;

  Fixture() {
    auto opts = seeded_options();
    opts.clock = &clock;
    opts.nodes = 2;
    auto started = Cluster::start(opts);
    REQUIRE(started.has_value());
    cluster = std::move(*started);
    REQUIRE(cluster->wait_nodes_ready(2, kWait));
    time.emplace(*cluster, clock, kLeaseInterval);
    auto rc = api::testing::make_replication_controller("default", "web", 3,
                                                        {{"app", "web"}, {"version", "v1"}});
    rc.spec.template_->spec.containers.at(0).image = "nginx:1.0";
    rc.spec.template_->spec.termination_grace_period_seconds = 0;
    REQUIRE(cluster->client().create(rc).has_value());
    REQUIRE(web_available(3));
  }

  /// Time moves until `n` app=web pods are available and no others exist.
  bool web_available(int32_t n) {
    return time->advance_until(
        api::Pod::static_type(),
        [&](const std::vector<api::ObjectPtr>& objs) {
          auto c = count_web_pods(objs, clock.now());
          return c.live == n && c.available == n;
        },
        2min);
  }

  rollout::RollingUpdateOptions image_update() const {
    rollout::RollingUpdateOptions o;
    o.old_name = "web";
    o.image = "nginx:1.27";
    o.update_period = 5s;
    o.poll_interval = 1s;
    o.timeout = 2min;
    return o;
  }

  /// Runs `options` to its end (or interruption), checking the floor and the ceiling at every
  /// step: at least `floor` available, at most `ceiling` live.
  std::unique_ptr<UpdateRun> run(const rollout::RollingUpdateOptions& options, int32_t floor,
                                 int32_t ceiling,
                                 std::function<bool(const std::string&)> interrupt_after = {}) {
    auto run = std::make_unique<UpdateRun>(*cluster, clock, options, std::move(interrupt_after));
    int steps = 0;
    run->drive(*time, 30min, [&] {
      auto c = count_web_pods(*cluster, clock.now());
      INFO("step " << steps << ": " << c.live << " live, " << c.available << " available");
      CHECK(c.available >= floor);
      CHECK(c.live <= ceiling);
      ++steps;
    });
    CHECK(steps > 0);
    // Catch is not thread-safe: the run's lines are reported from this thread.
    for (const auto& line : run->lines()) UNSCOPED_INFO("rolling-update: " << line);
    return run;
  }

  std::optional<api::ReplicationController> rc(const std::string& name) {
    auto got = cluster->client().get<api::ReplicationController>("default", name);
    if (!got) return std::nullopt;
    return **got;
  }

  /// Every app=web pod runs `image` and is owned by the controller `owner`.
  bool pods_are(const std::string& image, const std::string& owner_uid) {
    return time->advance_until(
        api::Pod::static_type(),
        [&](const std::vector<api::ObjectPtr>& objs) {
          int n = 0;
          for (auto& o : objs) {
            auto p = api::as<api::Pod>(o);
            if (!p || p->metadata.labels.count("app") == 0 || p->metadata.deletion_timestamp)
              continue;
            if (p->spec.containers.at(0).image != image) return false;
            if (p->metadata.owner_references.size() != 1 ||
                p->metadata.owner_references[0].uid != owner_uid)
              return false;
            ++n;
          }
          return n == 3;
        },
        2min);
  }
};

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE("an update by image replaces every pod within the floor and the ceiling",
          "[rollingupdate]") {
  Fixture f;
  auto run = f.run(f.image_update(), 3, 4);
  auto result = run->result();
  REQUIRE(result.has_value());
  INFO((result->has_value() ? **result : result->error().message));
  REQUIRE(result->has_value());
  CHECK(**result == "replicationcontroller/web rolling updated");

  auto lines = run->lines();
  REQUIRE(lines.size() >= 3);
  REQUIRE(lines[0].starts_with("Created web-"));
  const auto temporary = lines[0].substr(std::string("Created ").size());
  CHECK(lines[1] == "Scaling up " + temporary + " from 0 to 3, scaling down web from 3 to 0 (keep 3 "
                    "pods available, don't exceed 4 pods)");
  const std::vector<std::string> expected{
      "Created " + temporary, lines[1],
      "Scaling " + temporary + " up to 1", "Scaling web down to 2",
      "Scaling " + temporary + " up to 2", "Scaling web down to 1",
      "Scaling " + temporary + " up to 3", "Scaling web down to 0",
      "Update succeeded. Deleting old controller: web", "Renaming " + temporary + " to web"};
  CHECK(lines == expected);

  auto web = f.rc("web");
  REQUIRE(web.has_value());
  CHECK(web->spec.replicas == 3);
  CHECK(web->spec.template_->spec.containers.at(0).image == "nginx:1.27");
  const auto hash = temporary.substr(std::string("web-").size());
  CHECK(web->spec.selector.at("deployment") == hash);
  CHECK(web->spec.template_->metadata.labels.at("deployment") == hash);
  CHECK_FALSE(web->metadata.annotations.contains(rollout::kDesiredReplicasAnnotation));
  CHECK_FALSE(web->metadata.annotations.contains(rollout::kSourceIdAnnotation));
  CHECK_FALSE(f.rc(temporary).has_value());
  // The renamed controller adopted the pods the temporary one made: no pod was replaced twice.
  CHECK(f.pods_are("nginx:1.27", web->metadata.uid));
  CHECK(f.web_available(3));
}

TEST_CASE("an interrupted update resumes from its annotations", "[rollingupdate]") {
  Fixture f;
  // Killed once the new controller has grown to 2.
  auto first = f.run(f.image_update(), 3, 4, [](const std::string& line) {
    return line.starts_with("Scaling web-") && line.ends_with(" up to 2");
  });
  REQUIRE_FALSE(first->result().has_value());
  auto old = f.rc("web");
  REQUIRE(old.has_value());
  const auto next = old->metadata.annotations.at(rollout::kNextControllerAnnotation);
  CHECK(old->metadata.annotations.at(rollout::kOriginalReplicasAnnotation) == "3");
  auto in_progress = f.rc(next);
  REQUIRE(in_progress.has_value());
  CHECK(in_progress->spec.replicas == 2);
  CHECK(in_progress->metadata.annotations.at(rollout::kDesiredReplicasAnnotation) == "3");
  CHECK(in_progress->metadata.annotations.at(rollout::kSourceIdAnnotation) ==
        "web:" + old->metadata.uid);

  // Asking for another image is refused, naming the one in progress.
  auto other = f.image_update();
  other.image = "nginx:1.26";
  {
    client::BlockingClient client(f.cluster->system(), f.cluster->apiserver());
    rollout::InProcessApi api(client);
    auto refused = rollout::rolling_update(api, f.clock, other, {});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message ==
          "Found existing in-progress update to image (nginx:1.27).\nEither continue in-progress "
          "update with --image=nginx:1.27 or rollback with --rollback");
  }

  auto second = f.run(f.image_update(), 3, 4);
  auto result = second->result();
  REQUIRE(result.has_value());
  INFO((result->has_value() ? **result : result->error().message));
  REQUIRE(result->has_value());
  auto lines = second->lines();
  REQUIRE(lines.size() >= 3);
  CHECK(lines[0] == "Found existing update in progress (" + next + "), resuming.");
  CHECK(lines[1] == "Continuing update with existing controller " + next + ".");
  CHECK(lines[2].starts_with("Scaling up " + next + " from 2 to 3, scaling down web from "));
  CHECK(contains(lines, "Renaming " + next + " to web"));
  auto web = f.rc("web");
  REQUIRE(web.has_value());
  CHECK(web->spec.template_->spec.containers.at(0).image == "nginx:1.27");
  CHECK(f.pods_are("nginx:1.27", web->metadata.uid));
}

TEST_CASE("a rollback aborts an interrupted update: the old controller grows back",
          "[rollingupdate]") {
  Fixture f;
  auto first = f.run(f.image_update(), 3, 4, [](const std::string& line) {
    return line.starts_with("Scaling web down to 1");
  });
  REQUIRE_FALSE(first->result().has_value());
  const auto old_uid = f.rc("web")->metadata.uid;
  const auto next = f.rc("web")->metadata.annotations.at(rollout::kNextControllerAnnotation);

  auto back = f.image_update();
  back.image.clear();
  back.rollback = true;
  auto second = f.run(back, 3, 4);
  auto result = second->result();
  REQUIRE(result.has_value());
  INFO((result->has_value() ? **result : result->error().message));
  REQUIRE(result->has_value());
  CHECK(**result == "replicationcontroller/web rolled back");
  auto lines = second->lines();
  REQUIRE(lines.size() >= 3);
  CHECK(lines[0] == "Setting \"web\" replicas to 3");
  CHECK(lines[1] == "Continuing update with existing controller web.");
  // The run was stopped at the sleep after "Scaling web down to 1" (the new controller at 2),
  // or, had the old controller settled at once, after growing the new one to 3.
  CHECK(lines[2].starts_with("Scaling up web from 1 to 3, scaling down " + next + " from "));
  CHECK(lines[2].ends_with(" to 0 (keep 3 pods available, don't exceed 4 pods)"));
  CHECK(lines.back() == "Update succeeded. Deleting " + next);
  CHECK_FALSE(f.rc(next).has_value());
  auto web = f.rc("web");
  REQUIRE(web.has_value());
  CHECK(web->metadata.uid == old_uid);
  CHECK(web->spec.replicas == 3);
  CHECK(web->spec.template_->spec.containers.at(0).image == "nginx:1.0");
  CHECK_FALSE(web->metadata.annotations.contains(rollout::kNextControllerAnnotation));
  CHECK(f.pods_are("nginx:1.0", old_uid));
}

TEST_CASE("a new template that never becomes ready times out and is rolled back",
          "[rollingupdate]") {
  Fixture f;
  auto broken = *f.rc("web");
  api::ReplicationController next;
  next.metadata.name = "web-v2";
  next.spec.selector = {{"app", "web"}, {"version", "v2"}};
  next.spec.template_ = broken.spec.template_;
  next.spec.template_->metadata.labels = next.spec.selector;
  next.spec.template_->metadata.annotations["kactor.io/ready"] = "false";
  next.spec.template_->spec.containers.at(0).image = "nginx:broken";
  auto o = f.image_update();
  o.image.clear();
  o.new_rc = next;
  o.timeout = 1min;
  o.rollback_on_failure = true;
  auto run = f.run(o, 3, 4);
  auto result = run->result();
  REQUIRE(result.has_value());
  REQUIRE_FALSE(result->has_value());
  CHECK(result->error().message ==
        "timed out waiting for any update progress to be made (rolled back to web)");
  auto lines = run->lines();
  CHECK(contains(lines, "Scaling web-v2 up to 1"));
  CHECK_FALSE(contains(lines, "Scaling web down to 2"));
  CHECK(contains(lines, "Rolling back: timed out waiting for any update progress to be made"));
  CHECK(contains(lines, "Setting \"web\" replicas to 3"));
  CHECK(lines.back() == "Update succeeded. Deleting web-v2");
  CHECK_FALSE(f.rc("web-v2").has_value());
  auto web = f.rc("web");
  REQUIRE(web.has_value());
  CHECK(web->spec.replicas == 3);
  CHECK(f.web_available(3));
}

TEST_CASE("bad rolling-update requests are refused before anything changes", "[rollingupdate]") {
  Fixture f;
  client::BlockingClient client(f.cluster->system(), f.cluster->apiserver());
  rollout::InProcessApi api(client);
  auto refuse = [&](rollout::RollingUpdateOptions o) {
    auto r = rollout::rolling_update(api, f.clock, o, {});
    REQUIRE_FALSE(r.has_value());
    return r.error().message;
  };
  auto o = f.image_update();
  o.image = "nginx:1.0";
  CHECK(refuse(o) == "--image-pull-policy (Always|Never|IfNotPresent) must be provided when "
                     "--image is the same as existing container image");
  o = f.image_update();
  o.old_name = "absent";
  CHECK(refuse(o) == "replicationcontrollers \"absent\" not found");
  o = f.image_update();
  o.max_surge = {0, false};
  o.max_unavailable = {0, false};
  CHECK(refuse(o) == "--max-surge and --max-unavailable may not both be 0");
  o = f.image_update();
  o.image.clear();
  CHECK(refuse(o) == "--image, --filename or --rollback is required");
  o.rollback = true;
  CHECK(refuse(o) == "no rolling update of web to roll back: it has no "
                     "kubectl.kubernetes.io/next-controller-id annotation");
  o = f.image_update();
  o.image.clear();
  auto same = *f.rc("web");
  same.metadata = {};
  same.metadata.name = "web-2";
  o.new_rc = same;
  CHECK(refuse(o) == "web-2 must specify a matching key with non-equal value in Selector for web");
  // Nothing was written: the old controller is as it was.
  auto web = f.rc("web");
  REQUIRE(web.has_value());
  CHECK(web->metadata.annotations.empty());
  CHECK_FALSE(f.rc("web-2").has_value());
}
