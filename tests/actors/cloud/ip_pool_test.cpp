// The simulated cloud's address pool alone: order, wanted addresses, exhaustion, release.
#include <catch2/catch.hpp>

#include "actors/cloud/ip_pool.hpp"

using kactor::cloud::IpPool;

TEST_CASE("ip pool: hands out the usable addresses lowest first, never network or broadcast") {
  auto pool = IpPool::create("10.1.2.0/30");
  REQUIRE(pool.has_value());
  CHECK(pool->capacity() == 2);
  CHECK(pool->allocate() == "10.1.2.1");
  CHECK(pool->allocate() == "10.1.2.2");
  auto none = pool->allocate();
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error() == "no free address left in the pool 10.1.2.0/30");
  pool->release("10.1.2.1");
  CHECK(pool->free_count() == 1);
  CHECK(pool->allocate() == "10.1.2.1");
}

TEST_CASE("ip pool: a wanted address is honoured when free and in the pool, else ignored") {
  auto pool = IpPool::create("172.18.255.0/24");
  REQUIRE(pool.has_value());
  CHECK(pool->capacity() == 254);
  CHECK(pool->allocate("172.18.255.77") == "172.18.255.77");
  CHECK_FALSE(pool->is_free("172.18.255.77"));
  CHECK(pool->allocate("172.18.255.77") == "172.18.255.1");  // taken: the lowest instead
  CHECK(pool->allocate("10.0.0.1") == "172.18.255.2");       // outside the pool
  CHECK(pool->allocate("172.18.255.255") == "172.18.255.3");  // broadcast is not usable
  CHECK_FALSE(pool->is_free("172.18.255.0"));
  CHECK(pool->free_count() == 250);
}

TEST_CASE("ip pool: refuses what is not an IPv4 network with room for an address") {
  CHECK_FALSE(IpPool::create("172.18.255.0").has_value());
  CHECK_FALSE(IpPool::create("172.18.255.1/24").has_value());  // host bits set
  CHECK_FALSE(IpPool::create("fd00::/64").has_value());
  auto tiny = IpPool::create("10.0.0.0/31");
  REQUIRE_FALSE(tiny.has_value());
  CHECK(tiny.error().find("/30 or larger") != std::string::npos);
}
