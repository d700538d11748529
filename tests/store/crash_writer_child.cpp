// Crash-test helper: writes to a sync-mode store until killed, acknowledging every written
// mutation on stdout as "ack <revision> <type> <key> <checksum hex>", one flushed line each.
//
// Usage: crash_writer_child DIR SEED
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "tests/store/checksum.hpp"

namespace {

using namespace kactor::store;

[[noreturn]] void die(const char* what, const std::string& message) {
  std::fprintf(stderr, "crash_writer_child: %s: %s\n", what, message.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) die("usage", "crash_writer_child DIR SEED");
  std::mt19937_64 rng(std::strtoull(argv[2], nullptr, 0));
  auto opened = Store::open({argv[1], Durability::sync});
  if (!opened) die("open", opened.error().message);
  Store& store = **opened;

  // The prepared state as this writer knows it: key → mod_revision and value. Resumed from
  // the store so earlier (killed) runs continue seamlessly.
  std::map<std::string, std::pair<int64_t, std::string>> model;
  auto all = store.range("", "", 0);
  if (!all) die("range", all.error().message);
  for (const Record& r : all->records) model[r.key] = {r.mod_revision, r.value};

  auto mutate = [&](Batch& batch) {
    std::string key = "key-" + std::to_string(rng() % 24);
    auto it = model.find(key);
    Outcome outcome;
    if (it == model.end()) {
      std::string value = "v-" + std::to_string(rng()) + std::string(rng() % 200, 'x');
      outcome = batch.put(key, value, Precondition::must_not_exist());
      if (outcome) model[key] = {outcome->revision, value};
    } else if (rng() % 3 == 0) {
      outcome = batch.remove(key, it->second.second + "-final",
                             Precondition::mod_revision_equals(it->second.first));
      if (outcome) model.erase(it);
    } else {
      std::string value = "u-" + std::to_string(rng()) + std::string(rng() % 200, 'y');
      outcome = batch.put(key, value, Precondition::mod_revision_equals(it->second.first));
      if (outcome) it->second = {outcome->revision, value};
    }
    if (!outcome) die("mutation", outcome.error().message);
  };

  for (int64_t step = 0; step < 1000000; ++step) {
    // Sometimes prepare a second batch before writing the first (the group-commit shape).
    std::vector<Batch> batches;
    int batch_count = rng() % 4 == 0 ? 2 : 1;
    for (int b = 0; b < batch_count; ++b) {
      batches.push_back(store.begin(step));
      int mutations = rng() % 3 == 0 ? 1 + static_cast<int>(rng() % 4) : 1;
      for (int m = 0; m < mutations; ++m) mutate(batches.back());
    }
    // Write them one by one or, sometimes, as one group commit.
    std::vector<std::vector<Batch>> writes;
    if (batches.size() > 1 && rng() % 2 == 0) {
      writes.push_back(std::move(batches));
    } else {
      for (Batch& batch : batches) {
        writes.emplace_back();
        writes.back().push_back(std::move(batch));
      }
    }
    for (std::vector<Batch>& group : writes) {
      std::vector<Event> events;
      for (const Batch& b : group)
        events.insert(events.end(), b.events().begin(), b.events().end());
      auto written = store.write(std::move(group));
      if (!written) die("write", written.error().message);
      for (const Event& e : events) {
        std::printf("ack %" PRId64 " %d %s %016" PRIx64 "\n", e.revision, static_cast<int>(e.type),
                    e.key.c_str(), kactor::store::testing::checksum(e.key, e.value));
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
