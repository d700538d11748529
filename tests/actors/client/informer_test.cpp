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
