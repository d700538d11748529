// Randomized model test: random mutations, reads and reopens checked against a std::map.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "store/store.hpp"
#include "test_support.hpp"

namespace kactor::store {
namespace {

/// What the store should contain, advanced only by mutations the store accepted.
struct Model {
  std::map<std::string, Record> objects;
  std::vector<Event> log;  // log[i].revision == i + 1
  int64_t revision = 0;
};

class Harness {
 public:
  Harness(uint64_t seed, std::string path) : rng_(seed), path_(std::move(path)) { reopen(); }

  void reopen() {
    store_.reset();
    auto opened = Store::open({path_, Durability::async});
    if (!opened) FAIL("open failed: " << opened.error().message);
    store_ = std::move(*opened);
    REQUIRE(store_->revision() == committed_.revision);
    REQUIRE(store_->stats().keys == static_cast<int64_t>(committed_.objects.size()));
  }

  /// One batch (sometimes two prepared before writing) of random mutations.
  void mutate_batches() {
    int batch_count = pick(4) == 0 ? 2 : 1;
    std::vector<Batch> batches;
    for (int b = 0; b < batch_count; ++b) {
      batches.push_back(store_->begin(++now_ms_));
      int n = 1 + pick(5);
      for (int i = 0; i < n; ++i) mutate_once(batches.back());
    }
    if (pick(10) == 0) {
      // Drop the newest batch instead of writing it: the prepared state rolls back.
      REQUIRE(batches.back().abort());
      prepared_ = before_last_batch_;
      batches.pop_back();
    }
    for (Batch& b : batches) {
      REQUIRE(store_->write(std::move(b)));
    }
    committed_ = prepared_;
    REQUIRE(store_->revision() == committed_.revision);
  }

  void check_reads() {
    std::string key = random_key();
    auto got = store_->get(key);
    REQUIRE(got);
    auto it = committed_.objects.find(key);
    if (it == committed_.objects.end()) {
      CHECK(*got == std::nullopt);
    } else {
      REQUIRE(got->has_value());
      CHECK(**got == it->second);
    }

    // Page through one prefix with a random page size.
    std::string prefix = "k" + std::to_string(pick(3));
    size_t limit = 1 + pick(4);
    std::vector<Record> paged;
    std::string after;
    for (;;) {
      auto page = store_->range(prefix, after, limit);
      REQUIRE(page);
      CHECK(page->revision == committed_.revision);
      REQUIRE(page->records.size() <= limit);
      paged.insert(paged.end(), page->records.begin(), page->records.end());
      if (!page->more) break;
      REQUIRE_FALSE(page->records.empty());
      after = page->records.back().key;
    }
    std::vector<Record> expected;
    for (const auto& [k, r] : committed_.objects) {
      if (k.starts_with(prefix)) expected.push_back(r);
    }
    CHECK(paged == expected);

    // Replay from a random revision at or after the compacted one.
    int64_t compacted = store_->compacted_revision();
    int64_t from = compacted + static_cast<int64_t>(pick(committed_.revision - compacted + 1));
    auto events = store_->read_events(from, 0);
    REQUIRE(events);
    REQUIRE(static_cast<int64_t>(events->size()) == committed_.revision - from);
    for (const Event& e : *events) CHECK(e == committed_.log.at(e.revision - 1));
    if (compacted > 0) {
      CHECK(store_->read_events(compacted - 1, 0).error().code == ErrorCode::expired);
    }
  }

  void compact() {
    auto chosen = store_->choose_compaction_revision(pick(50), 0, now_ms_);
    REQUIRE(chosen);
    REQUIRE(store_->compact(*chosen));
    CHECK(store_->compacted_revision() == std::max<int64_t>(*chosen, 0));
  }

  size_t pick(uint64_t n) { return n == 0 ? 0 : static_cast<size_t>(rng_() % n); }

 private:
  std::string random_key() {
    return "k" + std::to_string(pick(3)) + "/" + std::to_string(pick(12));
  }

  std::string random_value() { return "v" + std::to_string(rng_() % 100000); }

  void mutate_once(Batch& batch) {
    if (batch.empty()) before_last_batch_ = prepared_;
    std::string key = random_key();
    auto it = prepared_.objects.find(key);
    const Record* current = it == prepared_.objects.end() ? nullptr : &it->second;
    int64_t stale = current ? current->mod_revision - 1 - static_cast<int64_t>(pick(3)) : 0;

    std::string value = random_value();
    Outcome outcome;
    ErrorCode expected_error = ErrorCode::invalid;
    bool should_succeed = true;
    bool is_remove = false;
    switch (pick(6)) {
      case 0:  // create
        outcome = batch.put(key, value, Precondition::must_not_exist());
        should_succeed = !current;
        expected_error = ErrorCode::already_exists;
        break;
      case 1:  // update at the right revision (0 when missing: expect not_found)
        outcome = batch.put(key, value,
                            Precondition::mod_revision_equals(current ? current->mod_revision : 1));
        should_succeed = current != nullptr;
        expected_error = ErrorCode::not_found;
        break;
      case 2:  // update at a stale revision
        if (!current) return;
        outcome = batch.put(key, value, Precondition::mod_revision_equals(stale));
        should_succeed = false;
        expected_error = ErrorCode::conflict;
        break;
      case 3:  // unconditional put
        outcome = batch.put(key, value);
        break;
      case 4:  // delete, unconditionally or at the right revision
        is_remove = true;
        outcome = batch.remove(key, value,
                               pick(2) == 0 || !current
                                   ? Precondition::none()
                                   : Precondition::mod_revision_equals(current->mod_revision));
        should_succeed = current != nullptr;
        expected_error = ErrorCode::not_found;
        break;
      default:  // delete at a stale revision
        if (!current) return;
        is_remove = true;
        outcome = batch.remove(key, value, Precondition::mod_revision_equals(stale));
        should_succeed = false;
        expected_error = ErrorCode::conflict;
        break;
    }
    INFO("key " << key);
    REQUIRE(outcome.has_value() == should_succeed);
    if (!should_succeed) {
      CHECK(outcome.error().code == expected_error);
      return;
    }
    int64_t rev = ++prepared_.revision;
    REQUIRE(outcome->revision == rev);
    Event e{rev, EventType::created, key, value, rev, 0, batch.time_ms()};
    if (is_remove) {
      e.type = EventType::deleted;
      e.create_revision = current->create_revision;
      e.prev_mod_revision = current->mod_revision;
      prepared_.objects.erase(key);
    } else if (current) {
      e.type = EventType::modified;
      e.create_revision = current->create_revision;
      e.prev_mod_revision = current->mod_revision;
      prepared_.objects[key] = Record{key, value, e.create_revision, rev};
    } else {
      prepared_.objects[key] = Record{key, value, rev, rev};
    }
    CHECK(batch.events().back() == e);
    prepared_.log.push_back(std::move(e));
  }

  std::mt19937_64 rng_;
  std::string path_;
  std::unique_ptr<Store> store_;
  Model committed_;
  Model prepared_;
  Model before_last_batch_;
  int64_t now_ms_ = 0;
};

}  // namespace

TEST_CASE("random operations agree with a map model across reopens", "[store][model]") {
  uint64_t seed = testing::test_seed("store model test");
  INFO("seed " << seed);
  testing::TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  Harness h(seed, dir.path() + "/db");
  for (int step = 0; step < 1500; ++step) {
    size_t action = h.pick(100);
    if (action < 60) {
      h.mutate_batches();
    } else if (action < 95) {
      h.check_reads();
    } else if (action < 98) {
      h.compact();
    } else {
      h.reopen();
    }
  }
  h.check_reads();
}

}  // namespace kactor::store
