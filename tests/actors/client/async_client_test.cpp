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

namespace {

using release_atom = caf::atom_constant<caf::atom("release")>;
using report_atom = caf::atom_constant<caf::atom("report")>;

/// An API server that answers requests named with an even number at once and holds the
/// others until it is told to release them (a hung API server, then a late one).
struct SilentState {
  std::vector<caf::response_promise> held;
};
caf::behavior half_silent(caf::stateful_actor<SilentState>* self) {
  return {
      [self](apiserver::Request& r) -> caf::result<apiserver::Response> {
        if (std::stoi(r.name) % 2 == 0) return apiserver::Response{};
        auto promise = self->make_response_promise();
        self->state.held.push_back(promise);
        return caf::delegated<apiserver::Response>{};
      },
      [self](release_atom, const caf::actor& then_tell) {
        for (auto& p : self->state.held) p.deliver(apiserver::Response{});
        self->state.held.clear();
        // After the late answers, from the same sender: the client sees them first.
        self->send(then_tell, report_atom::value);
      },
  };
}

}  // namespace

TEST_CASE("a call the API server never answers ends in a 504 after the client's timeout and "
          "only once, while answered calls and late answers run nothing more", "[client]") {
  runtime::ActorSystem actors{2};
  auto& system = actors.get();
  caf::scoped_actor test{system};
  auto reporter = caf::actor_cast<caf::actor>(test);
  auto api = system.spawn(half_silent);
  constexpr int kCalls = 200;
  constexpr auto kTimeout = std::chrono::milliseconds(300);
  auto client_actor = system.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    auto client = std::make_shared<client::AsyncClient>(self, api, kTimeout);
    auto callbacks = std::make_shared<int>(0);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCalls; ++i) {
      apiserver::Request r;
      r.name = std::to_string(i);
      client->call(std::move(r), [=](apiserver::Response& response) {
        ++*callbacks;
        const auto waited = std::chrono::steady_clock::now() - start;
        const bool expired = response.error && response.error->code == 504 &&
                             response.error->message == "the API server did not answer in time";
        // Odd calls are never answered in time: they expire, and not before the timeout.
        const bool right = i % 2 == 0 ? !response.error : expired && waited >= kTimeout;
        self->send(reporter, i, right);
      });
    }
    return {[=](report_atom) { self->send(reporter, report_atom::value, *callbacks); }};
  });
  int right = 0, answers = 0;
  for (int n = 0; n < kCalls; ++n)
    test->receive([&](int, bool ok) { ++answers; right += ok ? 1 : 0; },
                  caf::after(std::chrono::seconds(20)) >> [] {});
  CHECK(answers == kCalls);
  CHECK(right == kCalls);
  // Now the held requests are answered, late: nothing runs a second time.
  test->send(api, release_atom::value, client_actor);
  int callbacks = -1;
  test->receive([&](report_atom, int n) { callbacks = n; },
                caf::after(std::chrono::seconds(20)) >> [] {});
  CHECK(callbacks == kCalls);
  test->send_exit(api, caf::exit_reason::user_shutdown);
  test->send_exit(client_actor, caf::exit_reason::user_shutdown);
}
