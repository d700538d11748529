// Kubelet: a container whose image the simulated registry does not hold waits with
// ErrImagePull, then ImagePullBackOff, and is pulled again after each back-off (10 s, 20 s,
// ...), never ready; the pod's events say why. Under the virtual clock.
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

std::string reason_now(KubeletFixture& f, const caf::actor& k, const std::string& pod) {
  auto s = f.query(k);
  REQUIRE(s);
  auto* c = container_of(*s, pod);
  REQUIRE(c);
  return c->reason;
}

}  // namespace

TEST_CASE("an image that cannot be pulled: ErrImagePull, then ImagePullBackOff, retried after "
          "the back-off",
          "[kubelet][images]") {
  KubeletFixture f;
  f.watch_events();
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto pod = make_pod("default", "typo");
  pod.spec.containers[0].image = "nginx:1.161";
  f.create_bound(pod, "node-1");
  REQUIRE(f.eventually([&] {
    auto s = f.query(k);
    return s && container_of(*s, "typo") != nullptr;
  }));
  CHECK(reason_now(f, k, "typo") == "ErrImagePull");
  REQUIRE(f.eventually([&] {
    auto p = f.pod("typo");
    if (!p || p->status.container_statuses.empty()) return false;
    auto& w = p->status.container_statuses[0].state.waiting;
    return w && w->reason == "ErrImagePull" &&
           w->message.starts_with("rpc error: code = NotFound desc = failed to pull and unpack "
                                  "image \"docker.io/library/nginx:1.161\"");
  }));
  // Half-way through the 10 s back-off the pod worker looks again: ImagePullBackOff.
  f.clock.advance(5s - 1ms);
  CHECK(reason_now(f, k, "typo") == "ErrImagePull");
  f.clock.advance(1ms);
  CHECK(reason_now(f, k, "typo") == "ImagePullBackOff");
  REQUIRE(f.eventually([&] {
    auto p = f.pod("typo");
    if (!p || p->status.container_statuses.empty()) return false;
    auto& cs = p->status.container_statuses[0];
    return cs.state.waiting && cs.state.waiting->reason == "ImagePullBackOff" &&
           cs.state.waiting->message == "Back-off pulling image \"nginx:1.161\"" && !cs.ready &&
           cs.restart_count == 0;
  }));
  // At the end of the back-off it is pulled again (and fails again), then waits 20 s.
  f.clock.advance(5s);
  CHECK(reason_now(f, k, "typo") == "ErrImagePull");
  f.clock.advance(10s);
  CHECK(reason_now(f, k, "typo") == "ImagePullBackOff");
  // The events kubectl describe shows.
  REQUIRE(f.eventually([&] {
    bool failed = false, err_pull = false, err_backoff = false, backoff = false;
    for (auto& e : f.events_about("typo", "Failed")) {
      if (e->involved_object.field_path != "spec.containers{" + pod.spec.containers[0].name + "}")
        return false;
      failed = failed || e->message.starts_with("Failed to pull image \"nginx:1.161\": rpc error");
      err_pull = err_pull || e->message == "Error: ErrImagePull";
      err_backoff = err_backoff || e->message == "Error: ImagePullBackOff";
    }
    for (auto& e : f.events_about("typo", "BackOff"))
      backoff = backoff || e->message == "Back-off pulling image \"nginx:1.161\"";
    // Pulling each time it tries.
    return failed && err_pull && err_backoff && backoff && !f.events_about("typo", "Pulling").empty();
  }));
}
