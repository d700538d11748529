// The batch unpacker (`kactor apiserver --insecure`'s door): each item of a RequestBatch is
// a single request to the API server, answered in ResponseBatches; the rest passes through.
#include "actors/remote/batch_unpacker.hpp"

#include <caf/all.hpp>

#include <map>

#include "actors/apiserver/protocol/batch.hpp"
#include "actors/common/messages.hpp"
#include "actors/common/supervisor.hpp"
#include "api/time/virtual_clock.hpp"
#include "runtime/actor_system.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

/// An API server that answers a get with an object of the name asked for, and a watch with
/// watch id 9.
caf::behavior echo_apiserver() {
  return {
      [](apiserver::Request& r) {
        apiserver::Response answer;
        answer.object = std::make_shared<api::ConfigMap>(make_config_map("default", r.name));
        return answer;
      },
      [](apiserver::WatchRequest&) {
        apiserver::Response answer;
        answer.watch_id = 9;
        return answer;
      },
  };
}

/// Sends `batch` to `door` from `self`, checks it is taken, and collects the answers to
/// `count` items by id.
std::map<uint64_t, apiserver::Response> answers_to(caf::scoped_actor& self, const caf::actor& door,
                                                   apiserver::RequestBatch batch, size_t count) {
  bool taken = false;
  self->request(door, std::chrono::seconds(10), std::move(batch))
      .receive([&](bool ok) { taken = ok; }, [](caf::error& e) { FAIL(caf::to_string(e)); });
  CHECK(taken);
  std::map<uint64_t, apiserver::Response> answers;
  while (answers.size() < count) {
    bool got = false;
    self->receive(
        [&](apiserver::ResponseBatch& b) {
          got = true;
          for (auto& item : b.items) answers[item.id] = std::move(item.response);
        },
        caf::after(std::chrono::seconds(10)) >> [] {});
    REQUIRE(got);
  }
  return answers;
}

apiserver::Request get(const std::string& name) {
  apiserver::Request r;
  r.resource = "configmaps";
  r.namespace_ = "default";
  r.name = name;
  return r;
}

}  // namespace

TEST_CASE("the batch unpacker answers each item as a single request and passes the rest on",
          "[remote]") {
  runtime::ActorSystem system{2};
  auto api = system.get().spawn(echo_apiserver);
  auto door = remote::spawn_batch_unpacker(system.get(), api);
  caf::scoped_actor self{system.get()};

  apiserver::RequestBatch batch;
  batch.items.push_back({1, get("a")});
  batch.items.push_back({2, get("b")});
  batch.items.push_back({3, get("c")});
  batch.items.back().undecodable = api::bad_request("the request could not be decoded");
  auto answers = answers_to(self, door, std::move(batch), 3);
  REQUIRE(answers.at(1).object);
  CHECK(answers.at(1).object->metadata.name == "a");
  REQUIRE(answers.at(2).object);
  CHECK(answers.at(2).object->metadata.name == "b");
  // The item that did not decode is answered with why, and reaches no API server.
  REQUIRE(answers.at(3).error);
  CHECK(answers.at(3).error->code == 400);
  CHECK(!answers.at(3).object);

  // A watch request is not a batch: passed on, and the API server's answer comes back.
  uint64_t watch_id = 0;
  self->request(door, std::chrono::seconds(10), apiserver::WatchRequest{})
      .receive([&](apiserver::Response& r) { watch_id = r.watch_id; },
               [](caf::error& e) { FAIL(caf::to_string(e)); });
  CHECK(watch_id == 9);

  self->send_exit(door, caf::exit_reason::user_shutdown);
  self->send_exit(api, caf::exit_reason::user_shutdown);
}

TEST_CASE(
    "items sent while the API server restarts are answered 503 at once, not after the "
    "timeout",
    "[remote]") {
  // As in `kactor apiserver --insecure`: the door in front of the API server's supervisor.
  // The API server dies and its restart waits on a clock nobody advances.
  runtime::ActorSystem system{2};
  VirtualClock clock;
  auto supervisor = actors::supervise(system.get(), clock, "apiserver",
                                      [&] { return system.get().spawn(echo_apiserver); });
  REQUIRE(supervisor);
  auto door = remote::spawn_batch_unpacker(system.get(), supervisor);
  caf::scoped_actor self{system.get()};
  caf::actor child;
  self->request(supervisor, std::chrono::seconds(10), actors::supervisor_child_atom::value)
      .receive([&](caf::actor& c) { child = c; }, [](caf::error& e) { FAIL(caf::to_string(e)); });
  REQUIRE(child);
  self->monitor(child);
  self->send_exit(child, caf::exit_reason::kill);
  self->receive([](caf::down_msg&) {});
  bool restarting = false;
  for (int i = 0; i < 500 && !restarting; ++i) {  // the supervisor learns of it in a moment
    self->request(supervisor, std::chrono::seconds(10), actors::supervisor_child_atom::value)
        .receive([&](caf::actor& c) { restarting = !c; }, [](caf::error&) {});
    if (!restarting) self->receive(caf::after(std::chrono::milliseconds(10)) >> [] {});
  }
  REQUIRE(restarting);

  apiserver::RequestBatch batch;
  batch.items.push_back({1, get("a")});
  batch.items.push_back({2, get("b")});
  auto answers = answers_to(self, door, std::move(batch), 2);
  for (uint64_t id : {1, 2}) {
    REQUIRE(answers.at(id).error);
    CHECK(answers.at(id).error->code == 503);  // 504 would have come after 60 s
  }

  // The door ends with the supervisor it stands in front of.
  self->monitor(door);
  self->send_exit(supervisor, caf::exit_reason::user_shutdown);
  bool door_down = false;
  self->receive([&](caf::down_msg& d) { door_down = d.source == door.address(); },
                caf::after(std::chrono::seconds(10)) >> [] {});
  CHECK(door_down);
}
