// Store tests for compaction, reopening and the durability modes.
#include <catch2/catch.hpp>

#include <filesystem>

#include "store/store.hpp"
#include "test_support.hpp"

namespace kactor::store {
namespace {

using testing::TempDir;

std::unique_ptr<Store> open_at(const std::string& path, Durability durability) {
  auto store = Store::open({path, durability});
  if (!store) FAIL("open failed: " << store.error().message);
  return std::move(*store);
}

/// Writes `count` single-put batches, the i-th (from 0) at time start_ms + i * step_ms.
void fill(Store& s, int count, int64_t start_ms, int64_t step_ms) {
  for (int i = 0; i < count; ++i) {
    Batch b = s.begin(start_ms + i * step_ms);
    REQUIRE(b.put("key-" + std::to_string(i % 3), "value-" + std::to_string(i)));
    REQUIRE(s.write(std::move(b)));
  }
}

}  // namespace

TEST_CASE("compaction drops old events and expires reads before it", "[store][compaction]") {
  auto s = open_at("mem", Durability::memory);
  fill(*s, 10, 0, 1);
  CHECK(s->stats().events == 10);
  REQUIRE(s->compact(4));
  CHECK(s->compacted_revision() == 4);
  CHECK(s->stats().events == 6);
  CHECK(s->stats().keys == 3);

  auto old = s->read_events(3, 0);
  REQUIRE_FALSE(old);
  CHECK(old.error().code == ErrorCode::expired);
  auto from_compacted = s->read_events(4, 0);
  REQUIRE(from_compacted);
  REQUIRE(from_compacted->size() == 6);
  CHECK(from_compacted->front().revision == 5);

  REQUIRE(s->compact(2));  // behind the compacted revision: nothing to do
  CHECK(s->compacted_revision() == 4);
  auto beyond = s->compact(11);
  REQUIRE_FALSE(beyond);
  CHECK(beyond.error().code == ErrorCode::invalid);
  REQUIRE(s->compact(10));
  auto empty = s->read_events(10, 0);
  REQUIRE(empty);
  CHECK(empty->empty());
  CHECK(s->read_events(9, 0).error().code == ErrorCode::expired);
  // Objects are untouched by compaction.
  CHECK(s->get("key-0").value()->value == "value-9");
  // Writing continues after a full compaction.
  fill(*s, 1, 100, 0);
  auto next = s->read_events(10, 0);
  REQUIRE(next);
  REQUIRE(next->size() == 1);
  CHECK(next->front().revision == 11);
}

TEST_CASE("choose_compaction_revision keeps the newest events by count and age",
          "[store][compaction]") {
  auto s = open_at("mem", Durability::memory);
  fill(*s, 10, 1000, 100);  // revision r written at time 1000 + (r - 1) * 100

  // Keep 3 events, age does not matter: compact up to 7.
  CHECK(s->choose_compaction_revision(3, 0, 5000).value() == 7);
  // Keep events younger than 450 ms at now=2000: times 1600..1900 (revisions 7..10) are young.
  CHECK(s->choose_compaction_revision(0, 450, 2000).value() == 6);
  // Both limits: the stricter one wins.
  CHECK(s->choose_compaction_revision(2, 450, 2000).value() == 6);
  CHECK(s->choose_compaction_revision(5, 10, 2000).value() == 5);
  // Everything is young, or more kept than exist: nothing to drop.
  CHECK(s->choose_compaction_revision(0, 10000, 2000).value() == 0);
  CHECK(s->choose_compaction_revision(20, 0, 2000).value() == 0);
  CHECK(s->choose_compaction_revision(-1, 0, 0).error().code == ErrorCode::invalid);

  REQUIRE(s->compact(s->choose_compaction_revision(3, 0, 5000).value()));
  CHECK(s->compacted_revision() == 7);
  CHECK(s->choose_compaction_revision(3, 0, 5000).value() == 7);
  CHECK(s->choose_compaction_revision(1, 0, 5000).value() == 9);
}

TEST_CASE("reopening a sync store restores data, revisions, log and index", "[store][reopen]") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  std::string path = dir.path() + "/db";
  {
    auto s = open_at(path, Durability::sync);
    fill(*s, 6, 0, 10);  // key-0: 1,4  key-1: 2,5  key-2: 3,6
    Batch b = s->begin(70);
    REQUIRE(b.remove("key-2", "key-2-final"));
    REQUIRE(b.put("other", "o"));
    REQUIRE(s->write(std::move(b)));
    REQUIRE(s->compact(3));
  }
  auto s = open_at(path, Durability::sync);
  CHECK(s->revision() == 8);
  CHECK(s->prepared_revision() == 8);
  CHECK(s->compacted_revision() == 3);
  Stats st = s->stats();
  CHECK(st.keys == 3);
  CHECK(st.events == 5);
  CHECK(*s->get("key-0").value() == Record{"key-0", "value-3", 1, 4});
  CHECK(s->get("key-2").value() == std::nullopt);
  auto all = s->range("", "", 0);
  REQUIRE(all);
  CHECK(all->records.size() == 3);
  CHECK(all->revision == 8);
  auto events = s->read_events(3, 0);
  REQUIRE(events);
  REQUIRE(events->size() == 5);
  CHECK(events->back() == Event{8, EventType::created, "other", "o", 8, 0, 70});
  CHECK((*events)[3] == Event{7, EventType::deleted, "key-2", "key-2-final", 3, 6, 70});
  CHECK(s->read_events(2, 0).error().code == ErrorCode::expired);

  // The index came back: preconditions work without prior reads.
  Batch b = s->begin(80);
  CHECK(b.put("key-1", "x", Precondition::must_not_exist()).error().code ==
        ErrorCode::already_exists);
  CHECK(b.put("key-1", "x", Precondition::mod_revision_equals(2)).error().code ==
        ErrorCode::conflict);
  auto ok = b.put("key-1", "x", Precondition::mod_revision_equals(5));
  REQUIRE(ok);
  CHECK(ok->revision == 9);
  CHECK(b.put("key-2", "again", Precondition::must_not_exist()));
  REQUIRE(s->write(std::move(b)));
  CHECK(s->revision() == 10);
}

TEST_CASE("async durability persists across a clean reopen", "[store][reopen]") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  std::string path = dir.path() + "/db";
  {
    auto s = open_at(path, Durability::async);
    fill(*s, 5, 0, 1);
  }
  auto s = open_at(path, Durability::async);
  CHECK(s->revision() == 5);
  CHECK(s->stats().keys == 3);
}

TEST_CASE("memory durability leaves no files behind", "[store][memory]") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  std::string path = dir.path() + "/db";
  {
    auto s = open_at(path, Durability::memory);
    fill(*s, 20, 0, 1);
    REQUIRE(s->compact(10));
    CHECK(s->revision() == 20);
    CHECK(s->get("key-1").value()->value == "value-19");
  }
  CHECK(std::filesystem::is_empty(dir.path()));
  // Nothing survives: a new memory store under the same name starts empty.
  auto s = open_at(path, Durability::memory);
  CHECK(s->revision() == 0);
  CHECK(s->get("key-1").value() == std::nullopt);
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("opening with an empty path is invalid unless in memory", "[store]") {
  auto s = Store::open({"", Durability::sync});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == ErrorCode::invalid);
  CHECK(Store::open({"", Durability::memory}));
  auto bad = Store::open({"/nonexistent-dir/sub/db", Durability::sync});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::io);
}

}  // namespace kactor::store
