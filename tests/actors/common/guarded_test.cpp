// The exception boundary (actors/common/guarded.hpp): a handler that throws does not end the
// actor. Without it CAF 0.17 terminates the actor, and the next request is answered
// `request_receiver_down`.
#include "actors/common/guarded.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

#include <caf/all.hpp>

#include "actors/common/logging.hpp"
#include "runtime/actor_system.hpp"

using namespace kactor;

namespace {

using boom_atom = caf::atom_constant<caf::atom("boom")>;
using note_atom = caf::atom_constant<caf::atom("note")>;
using count_atom = caf::atom_constant<caf::atom("count")>;

/// Answers (boom_atom, throw?) -> int, counts (note_atom, throw?) notifications that did not
/// throw, and reports the count on (count_atom).
caf::behavior throwing_actor(caf::event_based_actor*) {
  auto notes = std::make_shared<int>(0);
  return actors::guarded(
      actors::logger("test"),
      [](boom_atom, bool fail) -> int {
        if (fail) throw std::runtime_error("handler failed on purpose");
        return 42;
      },
      [notes](note_atom, bool fail) {
        if (fail) throw std::logic_error("notification failed on purpose");
        ++*notes;
      },
      [notes](count_atom) { return *notes; });
}

}  // namespace

TEST_CASE("a request whose handler throws is answered with an error and the actor serves on",
          "[common][guarded]") {
  runtime::ActorSystem system{1};
  auto actor = system.get().spawn(throwing_actor);
  caf::scoped_actor self{system.get()};

  std::string error;
  self->request(actor, std::chrono::seconds(10), boom_atom::value, true)
      .receive([&](int) { error = "answered a value"; },
               [&](caf::error& e) { error = system.get().render(e); });
  CHECK(error.find("Internal error occurred: handler failed on purpose") != std::string::npos);

  int answer = 0;
  self->request(actor, std::chrono::seconds(10), boom_atom::value, false)
      .receive([&](int x) { answer = x; }, [&](caf::error& e) { FAIL(system.get().render(e)); });
  CHECK(answer == 42);
  self->send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("a notification whose handler throws is logged and dropped, and the actor serves on",
          "[common][guarded]") {
  runtime::ActorSystem system{1};
  auto actor = system.get().spawn(throwing_actor);
  caf::scoped_actor self{system.get()};
  self->send(actor, note_atom::value, false);
  self->send(actor, note_atom::value, true);
  self->send(actor, note_atom::value, false);
  // Messages from one sender arrive in order: the count follows all three notifications.
  int count = -1;
  self->request(actor, std::chrono::seconds(10), count_atom::value)
      .receive([&](int n) { count = n; }, [&](caf::error& e) { FAIL(system.get().render(e)); });
  CHECK(count == 2);
  self->send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("a response callback that throws is logged and dropped", "[common][guarded]") {
  runtime::ActorSystem system{1};
  auto server = system.get().spawn(throwing_actor);
  caf::scoped_actor self{system.get()};
  auto reporter = caf::actor_cast<caf::actor>(self);
  // An actor asks the server, throws in its callback, then still answers its own requests.
  auto asker = system.get().spawn([=](caf::event_based_actor* me) -> caf::behavior {
    auto log = actors::logger("test");
    me->request(server, std::chrono::seconds(10), boom_atom::value, false)
        .then(actors::guard_callback(log, [=](int) {
          me->send(reporter, std::string("callback ran"));
          throw std::runtime_error("callback failed on purpose");
        }));
    return actors::guarded(log, [](count_atom) { return 7; });
  });
  std::string ran;
  self->receive([&](std::string& s) { ran = s; },
                caf::after(std::chrono::seconds(10)) >> [&] { ran = "timeout"; });
  REQUIRE(ran == "callback ran");
  int answer = 0;
  self->request(asker, std::chrono::seconds(10), count_atom::value)
      .receive([&](int x) { answer = x; }, [&](caf::error& e) { FAIL(system.get().render(e)); });
  CHECK(answer == 7);
  self->send_exit(asker, caf::exit_reason::user_shutdown);
  self->send_exit(server, caf::exit_reason::user_shutdown);
}
