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

}  // namespace kactor::store
