// Unit tests of the store: reads, preconditions, revisions, batches and the failed state.
#include <catch2/catch.hpp>

#include "store/store.hpp"

namespace kactor::store {
namespace {

std::unique_ptr<Store> open_memory() {
  auto store = Store::open({"mem", Durability::memory});
  REQUIRE(store);
  return std::move(*store);
}

/// Writes one mutation in its own batch and returns its revision.
int64_t put(Store& s, const std::string& key, const std::string& value,
            Precondition pre = Precondition::none()) {
  Batch b = s.begin(0);
  auto m = b.put(key, value, pre);
  REQUIRE(m);
  REQUIRE(s.write(std::move(b)));
  return m->revision;
}

std::vector<std::string> keys_of(const RangeResult& r) {
  std::vector<std::string> keys;
  for (const auto& rec : r.records) keys.push_back(rec.key);
  return keys;
}

}  // namespace

TEST_CASE("put then get returns the committed record", "[store]") {
  auto s = open_memory();
  CHECK(s->revision() == 0);
  Batch b = s->begin(100);
  auto m = b.put("/pods/a", "v1", Precondition::must_not_exist());
  REQUIRE(m);
  CHECK(m->revision == 1);
  CHECK(m->create_revision == 1);
  CHECK(m->prev_mod_revision == 0);
  CHECK(m->type == EventType::created);
  // Prepared but not written: readers see only committed data.
  CHECK(s->revision() == 0);
  CHECK(s->prepared_revision() == 1);
  CHECK(s->get("/pods/a").value() == std::nullopt);
  REQUIRE(s->write(std::move(b)));
  CHECK(s->revision() == 1);

  auto rec = s->get("/pods/a");
  REQUIRE(rec);
  REQUIRE(rec->has_value());
  CHECK(**rec == Record{"/pods/a", "v1", 1, 1});
  CHECK(s->get("/pods/b").value() == std::nullopt);

  int64_t rev = put(*s, "/pods/a", "v2", Precondition::mod_revision_equals(1));
  CHECK(rev == 2);
  CHECK(*s->get("/pods/a").value() == Record{"/pods/a", "v2", 1, 2});
}

TEST_CASE("range pages through a prefix with limit and continue key", "[store]") {
  auto s = open_memory();
  for (std::string k : {"/pods/ns/e", "/pods/ns/a", "/pods/ns/c", "/pods/ns/b", "/pods/ns/d",
                        "/pods/nt/z", "/services/ns/x", "/pod"}) {
    put(*s, k, "v" + k);
  }
  auto page = s->range("/pods/ns/", "", 2);
  REQUIRE(page);
  CHECK(keys_of(*page) == std::vector<std::string>{"/pods/ns/a", "/pods/ns/b"});
  CHECK(page->more);
  CHECK(page->revision == s->revision());
  CHECK(page->records[0].value == "v/pods/ns/a");

  page = s->range("/pods/ns/", "/pods/ns/b", 2);
  REQUIRE(page);
  CHECK(keys_of(*page) == std::vector<std::string>{"/pods/ns/c", "/pods/ns/d"});
  CHECK(page->more);

  page = s->range("/pods/ns/", "/pods/ns/d", 2);
  REQUIRE(page);
  CHECK(keys_of(*page) == std::vector<std::string>{"/pods/ns/e"});
  CHECK_FALSE(page->more);

  // Exactly `limit` left: no further page.
  page = s->range("/pods/ns/", "/pods/ns/c", 2);
  REQUIRE(page);
  CHECK(keys_of(*page) == std::vector<std::string>{"/pods/ns/d", "/pods/ns/e"});
  CHECK_FALSE(page->more);

  // A continue key that was deleted meanwhile still resumes after it.
  Batch b = s->begin(0);
  REQUIRE(b.remove("/pods/ns/b", "last"));
  REQUIRE(s->write(std::move(b)));
  page = s->range("/pods/ns/", "/pods/ns/b", 0);
  REQUIRE(page);
  CHECK(keys_of(*page) == std::vector<std::string>{"/pods/ns/c", "/pods/ns/d", "/pods/ns/e"});

  page = s->range("/pods/", "", 0);
  REQUIRE(page);
  CHECK(page->records.size() == 5);
  page = s->range("", "", 0);
  REQUIRE(page);
  CHECK(page->records.size() == 7);
  page = s->range("/nothing/", "", 10);
  REQUIRE(page);
  CHECK(page->records.empty());
  CHECK_FALSE(page->more);
}

TEST_CASE("preconditions refuse without changing anything", "[store]") {
  auto s = open_memory();
  int64_t created = put(*s, "k", "v1");
  put(*s, "k", "v2");  // mod_revision 2

  Batch b = s->begin(0);
  auto again = b.put("k", "x", Precondition::must_not_exist());
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::already_exists);

  auto stale = b.put("k", "x", Precondition::mod_revision_equals(created));
  REQUIRE_FALSE(stale);
  CHECK(stale.error().code == ErrorCode::conflict);

  auto stale_remove = b.remove("k", "x", Precondition::mod_revision_equals(created));
  REQUIRE_FALSE(stale_remove);
  CHECK(stale_remove.error().code == ErrorCode::conflict);

  auto missing = b.remove("nope", "x");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::not_found);

  auto update_missing = b.put("nope", "x", Precondition::must_exist());
  REQUIRE_FALSE(update_missing);
  CHECK(update_missing.error().code == ErrorCode::not_found);
  auto cas_missing = b.put("nope", "x", Precondition::mod_revision_equals(1));
  REQUIRE_FALSE(cas_missing);
  CHECK(cas_missing.error().code == ErrorCode::not_found);

  auto empty_key = b.put("", "x");
  REQUIRE_FALSE(empty_key);
  CHECK(empty_key.error().code == ErrorCode::invalid);

  CHECK(b.empty());
  CHECK(s->prepared_revision() == 2);
  REQUIRE(s->write(std::move(b)));
  CHECK(s->revision() == 2);
  CHECK(s->get("k").value()->value == "v2");

  // The right revision passes, for update and remove alike.
  Batch ok = s->begin(0);
  auto upd = ok.put("k", "v3", Precondition::mod_revision_equals(2));
  REQUIRE(upd);
  CHECK(upd->prev_mod_revision == 2);
  CHECK(upd->create_revision == 1);
  auto rem = ok.remove("k", "v3-final", Precondition::mod_revision_equals(3));
  REQUIRE(rem);
  CHECK(rem->type == EventType::deleted);
  // Deleted within the batch: it may be created anew, with a new create_revision.
  auto recreate = ok.put("k", "v5", Precondition::must_not_exist());
  REQUIRE(recreate);
  CHECK(recreate->create_revision == 5);
  REQUIRE(s->write(std::move(ok)));
  CHECK(*s->get("k").value() == Record{"k", "v5", 5, 5});
}

TEST_CASE("revisions are consecutive across batches prepared ahead of writing", "[store]") {
  auto s = open_memory();
  Batch first = s->begin(1);
  auto a = first.put("a", "1");
  auto b = first.put("b", "1");
  REQUIRE(a);
  REQUIRE(b);
  Batch second = s->begin(2);
  // Preconditions see the prepared (unwritten) state of the first batch.
  auto a2 = second.put("a", "2", Precondition::mod_revision_equals(a->revision));
  REQUIRE(a2);
  auto dup = second.put("b", "x", Precondition::must_not_exist());
  REQUIRE_FALSE(dup);
  CHECK(dup.error().code == ErrorCode::already_exists);
  // The first batch is closed for mutations once a later one began.
  auto late = first.put("c", "1");
  REQUIRE_FALSE(late);
  CHECK(late.error().code == ErrorCode::invalid);

  CHECK(a->revision == 1);
  CHECK(b->revision == 2);
  CHECK(a2->revision == 3);
  REQUIRE(s->write(std::move(first)));
  CHECK(s->revision() == 2);
  REQUIRE(s->write(std::move(second)));
  CHECK(s->revision() == 3);
  CHECK(s->stats().keys == 2);

  // An empty batch is a no-op and may be written or dropped at any time.
  Batch empty = s->begin(3);
  REQUIRE(s->write(std::move(empty)));
  CHECK(put(*s, "c", "1") == 4);
  CHECK_FALSE(s->failure());
}

TEST_CASE("a group of batches is written at once", "[store]") {
  auto s = open_memory();
  std::vector<Batch> group;
  group.push_back(s->begin(1));
  REQUIRE(group.back().put("a", "1"));
  group.push_back(s->begin(2));  // stays empty
  group.push_back(s->begin(3));
  REQUIRE(group.back().put("b", "1"));
  REQUIRE(group.back().put("a", "2", Precondition::mod_revision_equals(1)));
  REQUIRE(s->write(std::move(group)));
  CHECK(s->revision() == 3);
  CHECK(s->stats().keys == 2);
  CHECK(s->read_events(0, 0).value().size() == 3);

  // Out of order within a group fails the store and writes nothing.
  std::vector<Batch> bad;
  bad.push_back(s->begin(4));
  REQUIRE(bad.back().put("c", "1"));
  bad.insert(bad.begin(), s->begin(5));
  REQUIRE(bad.front().put("d", "1"));
  auto w = s->write(std::move(bad));
  REQUIRE_FALSE(w);
  CHECK(w.error().code == ErrorCode::invalid);
  CHECK(s->revision() == 3);
  CHECK(s->failure());
}

TEST_CASE("batch events describe each mutation", "[store]") {
  auto s = open_memory();
  put(*s, "k", "v1");
  Batch b = s->begin(42);
  REQUIRE(b.put("k", "v2"));
  REQUIRE(b.remove("k", "v2-last"));
  REQUIRE(b.put("n", "n1"));
  const auto& ev = b.events();
  REQUIRE(ev.size() == 3);
  CHECK(ev[0] == Event{2, EventType::modified, "k", "v2", 1, 1, 42});
  CHECK(ev[1] == Event{3, EventType::deleted, "k", "v2-last", 1, 2, 42});
  CHECK(ev[2] == Event{4, EventType::created, "n", "n1", 4, 0, 42});
  REQUIRE(s->write(std::move(b)));
  CHECK(s->get("k").value() == std::nullopt);
}

TEST_CASE("aborting the newest batch rolls back, dropping an older one fails the store",
          "[store]") {
  auto s = open_memory();
  put(*s, "k", "v1");
  {
    Batch b = s->begin(0);
    REQUIRE(b.put("k", "v2"));
    REQUIRE(b.remove("k", "gone"));
    REQUIRE(b.put("new", "x"));
    CHECK(s->prepared_revision() == 4);
    REQUIRE(b.abort());
    CHECK(s->prepared_revision() == 1);
  }
  Batch after = s->begin(0);
  // The index is as before the aborted batch.
  REQUIRE(after.put("new", "y", Precondition::must_not_exist()));
  auto m = after.put("k", "v2", Precondition::mod_revision_equals(1));
  REQUIRE(m);
  CHECK(m->revision == 3);
  REQUIRE(s->write(std::move(after)));
  CHECK(s->revision() == 3);

  {
    Batch older = s->begin(0);
    REQUIRE(older.put("a", "1"));
    Batch newer = s->begin(0);
    REQUIRE(newer.put("b", "1"));
    REQUIRE(s->write(std::move(newer)).error().code == ErrorCode::invalid);
  }
  REQUIRE(s->failure());
  Batch refused = s->begin(0);
  auto r = refused.put("c", "1");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::io);
  // Reads keep working on committed data.
  CHECK(s->get("k").value()->value == "v2");
  CHECK(s->revision() == 3);
}

TEST_CASE("dropping a batch after later ones were begun fails the store", "[store]") {
  auto s = open_memory();
  {
    Batch older = s->begin(0);
    REQUIRE(older.put("a", "1"));
    Batch newer = s->begin(0);
    REQUIRE(newer.put("b", "1"));
    auto dropped = older.abort();
    REQUIRE_FALSE(dropped);
    CHECK(dropped.error().code == ErrorCode::io);
    auto w = s->write(std::move(newer));
    REQUIRE_FALSE(w);
    CHECK(w.error().code == ErrorCode::io);
  }
  CHECK(s->revision() == 0);
  REQUIRE(s->failure());
  CHECK(s->failure()->message.find("dropped unwritten") != std::string::npos);
}

TEST_CASE("writing a batch twice or a detached batch is invalid", "[store]") {
  auto s = open_memory();
  Batch b = s->begin(0);
  REQUIRE(b.put("a", "1"));
  Batch moved = std::move(b);
  auto w = s->write(std::move(b));
  REQUIRE_FALSE(w);
  CHECK(w.error().code == ErrorCode::invalid);
  REQUIRE(s->write(std::move(moved)));
  auto detached = Batch().put("x", "y");
  REQUIRE_FALSE(detached);
  CHECK(detached.error().code == ErrorCode::invalid);
  CHECK_FALSE(s->failure());
}

TEST_CASE("read_events replays the log from a revision", "[store]") {
  auto s = open_memory();
  Batch b1 = s->begin(10);
  REQUIRE(b1.put("a", "1"));
  REQUIRE(b1.put("b", "1"));
  REQUIRE(s->write(std::move(b1)));
  Batch b2 = s->begin(20);
  REQUIRE(b2.put("a", "2", Precondition::mod_revision_equals(1)));
  REQUIRE(b2.remove("b", "b-final", Precondition::must_exist()));
  REQUIRE(s->write(std::move(b2)));

  auto all = s->read_events(0, 0);
  REQUIRE(all);
  REQUIRE(all->size() == 4);
  CHECK((*all)[0] == Event{1, EventType::created, "a", "1", 1, 0, 10});
  CHECK((*all)[1] == Event{2, EventType::created, "b", "1", 2, 0, 10});
  CHECK((*all)[2] == Event{3, EventType::modified, "a", "2", 1, 1, 20});
  CHECK((*all)[3] == Event{4, EventType::deleted, "b", "b-final", 2, 2, 20});

  auto tail = s->read_events(2, 0);
  REQUIRE(tail);
  REQUIRE(tail->size() == 2);
  CHECK(tail->front().revision == 3);
  auto limited = s->read_events(1, 2);
  REQUIRE(limited);
  REQUIRE(limited->size() == 2);
  CHECK(limited->back().revision == 3);
  auto none = s->read_events(4, 0);
  REQUIRE(none);
  CHECK(none->empty());
  CHECK(s->read_events(-1, 0).error().code == ErrorCode::invalid);
}

}  // namespace kactor::store
