// The writer/I-O thread split: batches prepared on one thread, written on another, while
// readers watch the committed state.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "store/store.hpp"
#include "test_support.hpp"

namespace kactor::store {

TEST_CASE("batches prepared on the writer thread are written by an I/O thread",
          "[store][threads]") {
  testing::TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  auto opened = Store::open({dir.path() + "/db", Durability::async});
  REQUIRE(opened);
  Store& s = **opened;
  constexpr int batches = 400;

  std::mutex mutex;
  std::condition_variable ready;
  std::deque<Batch> queue;
  bool closed = false;
  std::atomic<int> write_errors{0};
  std::thread io([&] {
    for (;;) {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return closed || !queue.empty(); });
      if (queue.empty()) return;
      // Group commit: everything prepared while the previous write ran goes in one write.
      std::vector<Batch> group(std::make_move_iterator(queue.begin()),
                               std::make_move_iterator(queue.end()));
      queue.clear();
      lock.unlock();
      if (!s.write(std::move(group))) ++write_errors;
    }
  });
  std::atomic<bool> done{false};
  std::atomic<int> read_errors{0};
  std::thread reader([&] {
    int64_t seen = 0;
    while (!done.load()) {
      int64_t rev = s.revision();
      if (rev < seen) ++read_errors;
      seen = rev;
      auto events = s.read_events(0, 0);
      if (!events || static_cast<int64_t>(events->size()) < seen) ++read_errors;
      auto page = s.range("", "", 0);
      if (!page || page->revision < seen) ++read_errors;
    }
  });

  // The writer: each batch updates the counter key at the revision the previous (possibly
  // still unwritten) batch gave it, which only works against the prepared index.
  int64_t counter_rev = 0;
  for (int i = 0; i < batches; ++i) {
    Batch b = s.begin(i);
    auto m = b.put(
        "counter", std::to_string(i),
        i == 0 ? Precondition::must_not_exist() : Precondition::mod_revision_equals(counter_rev));
    REQUIRE(m);
    counter_rev = m->revision;
    REQUIRE(b.put("item/" + std::to_string(i), "x"));
    std::lock_guard lock(mutex);
    queue.push_back(std::move(b));
    ready.notify_one();
  }
  {
    std::lock_guard lock(mutex);
    closed = true;
    ready.notify_one();
  }
  io.join();
  done = true;
  reader.join();

  CHECK(write_errors == 0);
  CHECK(read_errors == 0);
  CHECK(s.revision() == 2 * batches);
  CHECK(s.get("counter").value()->value == std::to_string(batches - 1));
  CHECK(s.stats().keys == batches + 1);
}

// compact() deletes whole RocksDB files, which a reader's snapshot does not protect. Enough
// events for several flushed files, compacted in steps while a reader scans the log: every
// scan is either the whole tail it asked for or `expired`, never a log with a hole.
TEST_CASE("compaction that drops files never shows a reader a hole in the event log",
          "[store][threads][compaction]") {
  auto opened = Store::open({"compaction-under-readers", Durability::memory});
  REQUIRE(opened);
  Store& s = **opened;
  // ~100 MB through the log: the in-memory store flushes every 8 MB, so files reach the
  // levels that DeleteFilesInRange drops.
  constexpr int writes = 6000;
  const std::string value(16 * 1024, 'v');

  std::atomic<bool> done{false};
  std::atomic<int> holes{0};
  std::atomic<int> full_scans{0};
  std::thread reader([&] {
    while (!done.load()) {
      const int64_t after = s.compacted_revision();
      const int64_t committed = s.revision();
      auto events = s.read_events(after, 0);
      if (!events) {
        if (events.error().code != ErrorCode::expired) ++holes;
        continue;
      }
      int64_t expected = after + 1;
      for (const auto& e : *events)
        if (e.revision != expected++) ++holes;
      if (expected - 1 < committed) ++holes;  // the scan ended before what was committed
      ++full_scans;
    }
  });

  for (int i = 0; i < writes; ++i) {
    Batch b = s.begin(i);
    REQUIRE(b.put("key-" + std::to_string(i % 50), value));
    REQUIRE(s.write(std::move(b)));
    if (i % 250 == 249) REQUIRE(s.compact(s.revision() - 100));
  }
  done = true;
  reader.join();

  CHECK(holes == 0);
  CHECK(full_scans > 0);
  auto tail = s.read_events(s.compacted_revision(), 0);
  REQUIRE(tail);
  CHECK(static_cast<int64_t>(tail->size()) == s.revision() - s.compacted_revision());
  CHECK(s.get("key-7").value()->value == value);
}

}  // namespace kactor::store
