// Informers: list then watch into an indexed cache; relist after 410 Expired.
#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"

#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

/// Receives informer batches until `done` holds (or fails after the deadline).
template <class Pred>
void receive_until(caf::scoped_actor& self, Pred done) {
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!done()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    REQUIRE(left.count() > 0);
    bool got = false;
    self->receive([&](client::InformerEvents& batch) { got = true; done(batch); },
                  caf::after(left) >> [] {});
    REQUIRE(got);
  }
}

}  // namespace

TEST_CASE("an informer lists, watches and indexes", "[informer]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "a")).has_value());
  REQUIRE(f.client->bind("default", "a", "n1").has_value());
  auto inf = client::spawn_informer(f.system.get(), f.plane->apiserver(), f.clock,
                                    {&api::Pod::static_type()});
  inf.mutable_cache->add_index("node", [](const api::Object& o) {
    return std::vector<std::string>{static_cast<const api::Pod&>(o).spec.node_name};
  });
  caf::scoped_actor self{f.system.get()};
  self->send(inf.actor, client::subscribe_atom::value, caf::actor_cast<caf::actor>(self));

  int added = 0, updated = 0, deleted = 0;
  bool synced = false;
  auto count = [&](const client::InformerEvents& b) {
    synced = synced || b.synced;
    for (auto& e : b.events) {
      if (e.type == client::InformerEvent::Type::added) ++added;
      if (e.type == client::InformerEvent::Type::updated) ++updated;
      if (e.type == client::InformerEvent::Type::deleted) ++deleted;
    }
  };
  receive_until(self, [&](const client::InformerEvents& b = {}) {
    count(b);
    return synced && added == 1;
  });
  CHECK(inf.cache->by_index("node", "n1").size() == 1);

  REQUIRE(f.client->create(make_pod("default", "b")).has_value());
  REQUIRE(f.client->bind("default", "b", "n1").has_value());
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "a").has_value());
  receive_until(self, [&](const client::InformerEvents& b = {}) {
    count(b);
    return added == 2 && updated == 2;
  });
  CHECK(inf.cache->get("default/b") != nullptr);
  CHECK(inf.cache->by_index("node", "n1").size() == 2);  // a is terminating, still there
  anon_send_exit(inf.actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("an informer relists after its watch expires and converges", "[informer]") {
  apiserver::ApiServerOptions opts;
  opts.watch.ring_capacity = 2;
  ApiFixture f(opts);
  REQUIRE(f.client->create(make_pod("default", "a")).has_value());
  REQUIRE(f.client->create(make_pod("default", "b")).has_value());
  auto inf = client::spawn_informer(f.system.get(), f.plane->apiserver(), f.clock,
                                    {&api::Pod::static_type()});
  caf::scoped_actor self{f.system.get()};
  self->send(inf.actor, client::subscribe_atom::value, caf::actor_cast<caf::actor>(self));
  int syncs = 0;
  receive_until(self, [&](const client::InformerEvents& b = {}) {
    syncs += b.synced ? 1 : 0;
    return syncs == 1;
  });
  REQUIRE(inf.cache->size() == 2);

  // Unrelated writes push the pods' revisions out of the ring, compaction drops them
  // from the log; then every watch is ended, so the informer must resume from an
  // expired revision.
  for (int i = 0; i < 5; ++i) {
    api::ConfigMap cm;
    cm.metadata.namespace_ = "default";
    cm.metadata.name = "cm" + std::to_string(i);
    REQUIRE(f.client->create(cm).has_value());
  }
  bool compacted = false;
  self->request(f.plane->apiserver(), kWait, apiserver::compact_atom::value, int64_t{0})
      .receive([&](bool ok) { compacted = ok; }, [&](caf::error&) {});
  REQUIRE(compacted);
  self->send(f.plane->apiserver(), apiserver::cancel_atom::value);

  receive_until(self, [&](const client::InformerEvents& b = {}) {
    syncs += b.synced ? 1 : 0;
    return syncs == 2;
  });
  CHECK(inf.cache->size() == 2);

  // And it keeps watching after the relist.
  REQUIRE(f.client->create(make_pod("default", "c")).has_value());
  bool saw_c = false;
  receive_until(self, [&](const client::InformerEvents& b = {}) {
    for (auto& e : b.events) saw_c = saw_c || e.object->metadata.name == "c";
    return saw_c;
  });
  CHECK(inf.cache->size() == 3);
  anon_send_exit(inf.actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("an informer whose watch is refused 503 watches again from its revision, without a relist",
          "[informer]") {
  // A fake API server: lists answer revision 5; the first watch is refused 503 (a remote API
  // server out of reach), the next ones are accepted.
  struct Seen {
    std::mutex mutex;
    int lists = 0;
    std::vector<std::string> watch_versions;
  };
  auto seen = std::make_shared<Seen>();
  runtime::ActorSystem system{2};
  VirtualClock clock(test_epoch());
  auto fake = system.get().spawn([seen](caf::event_based_actor*) -> caf::behavior {
    return {
        [seen](apiserver::Request& r) {
          apiserver::Response resp;
          std::lock_guard lock(seen->mutex);
          if (r.verb == apiserver::Verb::list) ++seen->lists;
          resp.resource_version = "5";
          return resp;
        },
        [seen](apiserver::WatchRequest& w) {
          apiserver::Response resp;
          std::lock_guard lock(seen->mutex);
          seen->watch_versions.push_back(w.resource_version);
          if (seen->watch_versions.size() == 1) {
            api::Status s;
            s.code = 503;
            s.reason = "ServiceUnavailable";
            s.message = "the API server is unavailable";
            resp.error = s;
          } else {
            resp.watch_id = 7;
          }
          return resp;
        },
        [](apiserver::ack_atom, uint64_t, uint64_t) {},
        [](apiserver::cancel_atom, uint64_t) {},
    };
  });
  auto inf = client::spawn_informer(system.get(), fake, clock, {&api::Pod::static_type()});
  auto watches = [&] {
    std::lock_guard lock(seen->mutex);
    return seen->watch_versions.size();
  };
  caf::scoped_actor self{system.get()};
  const auto until = std::chrono::steady_clock::now() + kWait;
  // Virtual time moves on until the retry (after retry_delay) has been made.
  while (watches() < 2) {
    REQUIRE(std::chrono::steady_clock::now() < until);
    clock.advance(std::chrono::milliseconds(250));
    self->receive(caf::after(std::chrono::milliseconds(10)) >> [] {});
  }
  std::lock_guard lock(seen->mutex);
  CHECK(seen->lists == 1);
  CHECK(seen->watch_versions[0] == "5");
  CHECK(seen->watch_versions[1] == "5");
  caf::anon_send_exit(inf.actor, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(fake, caf::exit_reason::user_shutdown);
}
