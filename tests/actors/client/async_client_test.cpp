// The asynchronous client, used from an event-based actor.
#include "actors/client/async_client.hpp"

#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("an actor creates, reads and lists through the async client", "[client]") {
  ApiFixture f;
  caf::scoped_actor test{f.system.get()};
  auto reporter = caf::actor_cast<caf::actor>(test);
  // The actor creates a pod, reads it back, tries a duplicate, lists, and reports.
  f.system.get().spawn([reporter, api = f.plane->apiserver()](caf::event_based_actor* self) {
    auto client = std::make_shared<client::AsyncClient>(self, api);
    client->create<api::Pod>(make_pod("default", "a"), [=](auto created) {
      if (!created) return self->send(reporter, std::string("create: ") + created.error().message);
      client->get<api::Pod>("default", "a", [=](auto got) {
        if (!got || (*got)->metadata.uid != (*created)->metadata.uid)
          return self->send(reporter, std::string("get failed"));
        client->create<api::Pod>(make_pod("default", "a"), [=](auto dup) {
          if (dup || dup.error().reason != "AlreadyExists")
            return self->send(reporter, std::string("duplicate was not refused"));
          client->list<api::Pod>("default", {}, [=](auto listed) {
            if (!listed || listed->items.size() != 1)
              return self->send(reporter, std::string("list failed"));
            self->send(reporter, std::string("ok"));
          });
        });
      });
    });
  });
  std::string outcome;
  test->receive([&](std::string& s) { outcome = s; },
                caf::after(std::chrono::seconds(10)) >> [&] { outcome = "timeout"; });
  CHECK(outcome == "ok");
}
