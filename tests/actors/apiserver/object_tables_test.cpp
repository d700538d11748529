// The API server's tables keep Events as their store bytes until the write is durable, then
// read them from the store, decoding them on each read (actors/apiserver/object_tables.hpp);
// every other kind stays decoded and shared. Reads, writes, selectors and restarts must not
// tell them apart.
#include "actors/apiserver/object_tables.hpp"

#include "actors/apiserver/event_ttl.hpp"
#include "store/store.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

api::Event make_event(const std::string& name, const std::string& pod) {
  api::Event e;
  e.metadata.namespace_ = "default";
  e.metadata.name = name;
  e.involved_object.kind = "Pod";
  e.involved_object.namespace_ = "default";
  e.involved_object.name = pod;
  e.reason = "Started";
  e.message = "Started container app";
  e.type = "Normal";
  e.count = 1;
  return e;
}

template <class T>
std::shared_ptr<const std::string> encode(const T& obj) {
  std::string bytes;
  T::static_type().to_msgpack(obj, bytes);
  return std::make_shared<const std::string>(std::move(bytes));
}

}  // namespace

TEST_CASE("the tables keep Events encoded and every other kind decoded",
          "[apiserver][object-tables]") {
  CHECK(apiserver::keeps_encoded(api::Event::static_type()));
  CHECK_FALSE(apiserver::keeps_encoded(api::Pod::static_type()));

  apiserver::ObjectTables tables;
  auto event = make_event("web.1", "web");
  event.metadata.creation_timestamp.value = test_epoch();
  event.last_timestamp.value = test_epoch() + 5min;
  const auto& event_type = api::Event::static_type();
  tables.put(event_type, "default/web.1", std::make_shared<api::Event>(event), encode(event), 7);

  const auto* stored = tables.get(event_type, "default/web.1");
  REQUIRE(stored != nullptr);
  CHECK(stored->revision() == 7);
  CHECK(stored->last_activity() == test_epoch() + 5min);
  const auto first = stored->object();
  const auto second = stored->object();
  // Each read decodes a fresh copy: no decoded Event is held.
  CHECK(first != second);
  auto expected = event;
  expected.metadata.resource_version = "7";
  CHECK(static_cast<const api::Event&>(*first) == expected);
  CHECK(static_cast<const api::Event&>(*second) == expected);
  CHECK(tables.find(event_type, "default", "web.1") != nullptr);
  REQUIRE(tables.list(event_type, "default").size() == 1);
  CHECK(tables.list(event_type, "other").empty());

  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = "web";
  auto pod_ptr = std::make_shared<const api::Pod>(pod);
  tables.put(api::Pod::static_type(), "default/web", pod_ptr, encode(pod), 8);
  const auto* stored_pod = tables.get(api::Pod::static_type(), "default/web");
  REQUIRE(stored_pod != nullptr);
  CHECK(stored_pod->object() == pod_ptr);  // the very object written, shared
  CHECK(stored_pod->last_activity() == TimePoint{});
}

TEST_CASE("durable Events are read from the store, other kinds and newer writes stay kept",
          "[apiserver][object-tables]") {
  auto opened = store::Store::open(
      {.path = "object-tables-committed", .durability = store::Durability::memory});
  REQUIRE(opened.has_value());
  store::Store& store = **opened;
  const auto& event_type = api::Event::static_type();
  const std::string key = "default/web.1";

  // Writes `event` to the store as the API server would; returns its revision.
  auto write = [&](api::Event event, store::Precondition pre) {
    event.metadata.resource_version.clear();
    auto batch = store.begin(0);
    auto outcome = batch.put(apiserver::store_key(event_type, key), *encode(event), pre);
    REQUIRE(outcome.has_value());
    REQUIRE(store.write(std::move(batch)).has_value());
    return outcome->revision;
  };

  apiserver::ObjectTables tables(&store);
  auto event = make_event("web.1", "web");
  const int64_t first = write(event, store::Precondition::must_not_exist());
  tables.put(event_type, key, std::make_shared<api::Event>(event), encode(event), first);
  const auto* stored = tables.get(event_type, key);
  REQUIRE(stored != nullptr);
  CHECK_FALSE(stored->in_store());

  tables.committed(event_type, key, first);
  CHECK(stored->in_store());
  auto expected = event;
  expected.metadata.resource_version = std::to_string(first);
  CHECK(static_cast<const api::Event&>(*stored->object()) == expected);
  CHECK(tables.list(event_type, "default").size() == 1);

  // A newer write, not yet durable when the older one is reported: its bytes stay kept.
  event.count = 2;
  tables.put(event_type, key, std::make_shared<api::Event>(event), encode(event), first + 1);
  tables.committed(event_type, key, first);
  stored = tables.get(event_type, key);
  CHECK_FALSE(stored->in_store());
  expected.count = 2;
  expected.metadata.resource_version = std::to_string(first + 1);
  CHECK(static_cast<const api::Event&>(*stored->object()) == expected);
  // Once durable, it is read from the store too: the record at that revision.
  CHECK(write(event, store::Precondition::mod_revision_equals(first)) == first + 1);
  tables.committed(event_type, key, first + 1);
  CHECK(stored->in_store());
  CHECK(static_cast<const api::Event&>(*stored->object()) == expected);

  // Kinds kept decoded stay so; an erased entry is simply not there to drop.
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = "web";
  auto pod_ptr = std::make_shared<const api::Pod>(pod);
  tables.put(api::Pod::static_type(), "default/web", pod_ptr, encode(pod), first + 2);
  tables.committed(api::Pod::static_type(), "default/web", first + 2);
  CHECK_FALSE(tables.get(api::Pod::static_type(), "default/web")->in_store());
  CHECK(tables.get(api::Pod::static_type(), "default/web")->object() == pod_ptr);
  tables.committed(event_type, "default/gone", first);
  CHECK(tables.get(event_type, "default/gone") == nullptr);

  // Tables without a store keep the bytes.
  apiserver::ObjectTables storeless;
  storeless.put(event_type, key, std::make_shared<api::Event>(event), encode(event), first + 1);
  storeless.committed(event_type, key, first + 1);
  CHECK_FALSE(storeless.get(event_type, key)->in_store());
}

TEST_CASE("Events kept encoded read, select, update, delete and reload as any kind",
          "[apiserver][object-tables]") {
  TempDir dir{"kactor-object-tables"};
  std::string resource_version;
  {
    ApiFixture f({}, dir.path());
    auto created = f.client->create(make_event("web.1", "web"));
    REQUIRE(created.has_value());
    REQUIRE(f.client->create(make_event("db.1", "db")).has_value());
    resource_version = (*created)->metadata.resource_version;

    auto got = f.client->get<api::Event>("default", "web.1");
    REQUIRE(got.has_value());
    CHECK((*got)->metadata.resource_version == resource_version);
    CHECK((*got)->metadata.uid == (*created)->metadata.uid);
    CHECK((*got)->message == "Started container app");

    client::ListOptions for_web;
    for_web.field_selector = "involvedObject.name=web";
    auto listed = f.client->list<api::Event>("default", for_web);
    REQUIRE(listed.has_value());
    REQUIRE(listed->items.size() == 1);
    CHECK(listed->items[0]->metadata.name == "web.1");

    // An update must name the stored revision, which the table keeps beside the bytes.
    auto stale = **got;
    stale.metadata.resource_version = "1";
    auto refused = f.client->update(stale);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().reason == "Conflict");
    auto again = **got;
    again.count = 2;
    auto updated = f.client->update(again);
    REQUIRE(updated.has_value());
    CHECK((*updated)->metadata.resource_version != resource_version);
    resource_version = (*updated)->metadata.resource_version;
    // An update that changes nothing stores nothing.
    auto same = f.client->update(static_cast<const api::Event&>(**updated));
    REQUIRE(same.has_value());
    CHECK((*same)->metadata.resource_version == resource_version);

    REQUIRE(f.client->remove(api::Event::static_type(), "default", "db.1").has_value());
    auto gone = f.client->get<api::Event>("default", "db.1");
    REQUIRE_FALSE(gone.has_value());
    CHECK(gone.error().reason == "NotFound");
  }
  // Loaded from the store on restart: the same Event at the same revision.
  ApiFixture f({}, dir.path());
  auto got = f.client->get<api::Event>("default", "web.1");
  REQUIRE(got.has_value());
  CHECK((*got)->metadata.resource_version == resource_version);
  CHECK((*got)->count == 2);
  auto all = f.client->list<api::Event>("default");
  REQUIRE(all.has_value());
  CHECK(all->items.size() == 1);
}
