// A controller whose sync throws: the exception boundary fails that sync like one that
// reports an error, so its key is retried with back-off and the other keys go on (before,
// the throw ended the controller actor).
#include "actors/controllers/controller_loop.hpp"

#include <atomic>
#include <stdexcept>

#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using actors::controllers::ControllerLoop;

namespace {

/// What the probe controller's syncs saw.
struct Probe {
  std::atomic<int> bad_calls{0};
  std::atomic<int> good_calls{0};
};

}  // namespace

TEST_CASE("a sync that throws is retried with back-off and the controller goes on",
          "[controllers][robustness]") {
  ControllerFixture f;
  auto probe = std::make_shared<Probe>();
  auto controller =
      f.system.get().spawn([ctx = f.ctx, probe](caf::event_based_actor* self) -> caf::behavior {
        auto loop = std::make_shared<ControllerLoop>(self, ctx, "probe", 1);
        loop->watch(api::ConfigMap::static_type(), loop->enqueue_key());
        loop->set_sync([probe](const std::string& key, ControllerLoop::Finish finish) {
          if (key == "default/bad" && probe->bad_calls++ == 0)
            throw std::runtime_error("sync bug on purpose");
          if (key.starts_with("default/good")) ++probe->good_calls;
          finish(std::nullopt);
        });
        return loop->behavior(loop);
      });
  REQUIRE(f.client->create(make_config_map("default", "bad")).has_value());
  REQUIRE(f.client->create(make_config_map("default", "good")).has_value());
  // The good key is synced although the bad one threw; the bad one comes back once its
  // back-off (on the virtual clock) has passed.
  CHECK(f.wait_until([&] { return probe->good_calls >= 1 && probe->bad_calls >= 1; },
                     std::chrono::seconds(10), std::chrono::milliseconds(10)));
  CHECK(f.wait_until(
      [&] {
        f.clock.advance(std::chrono::seconds(1));
        return probe->bad_calls >= 2;
      },
      std::chrono::seconds(10), std::chrono::milliseconds(10)));
  // Still serving: a new object is synced.
  REQUIRE(f.client->create(make_config_map("default", "good-2")).has_value());
  CHECK(f.wait_until([&] { return probe->good_calls >= 2; }, std::chrono::seconds(10),
                     std::chrono::milliseconds(10)));
  f.self->send_exit(controller, caf::exit_reason::user_shutdown);
  f.self->wait_for(controller);
}
