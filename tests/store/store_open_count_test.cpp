// Store::open_count: every open of a data directory gets a number no earlier open had.
#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "test_support.hpp"

namespace kactor::store {
namespace {

int64_t open_count_at(const std::string& path, Durability durability) {
  auto store = Store::open({path, durability});
  if (!store) FAIL("open failed: " << store.error().message);
  return (*store)->open_count();
}

}  // namespace

TEST_CASE("every open of a data directory counts, whatever the durability", "[store][reopen]") {
  testing::TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  CHECK(open_count_at(dir.path(), Durability::sync) == 1);
  CHECK(open_count_at(dir.path(), Durability::async) == 2);
  CHECK(open_count_at(dir.path(), Durability::sync) == 3);
}

TEST_CASE("an in-memory store is always on its first open", "[store][reopen]") {
  CHECK(open_count_at("open-count-a", Durability::memory) == 1);
  CHECK(open_count_at("open-count-b", Durability::memory) == 1);
}

}  // namespace kactor::store
