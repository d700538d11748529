#include "actors/controllers/cidr_set.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using actors::controllers::CidrSet;

TEST_CASE("the CIDR set scans cyclically and reports exhaustion", "[controllers][ipam]") {
  auto set = CidrSet::create("10.244.0.0/30", 31);
  REQUIRE(set.has_value());
  CHECK(*set->allocate() == "10.244.0.0/31");
  CHECK(*set->allocate() == "10.244.0.2/31");
  auto full = set->allocate();
  REQUIRE(!full.has_value());
  CHECK(full.error().message ==
        "CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted "
        "range");
  REQUIRE(set->release("10.244.0.0/31").has_value());
  CHECK(*set->allocate() == "10.244.0.0/31");
  CHECK(!set->occupy("10.245.0.0/31").has_value());
  CHECK(!CidrSet::create("10.244.0.0/16", 8).has_value());
  CHECK(!CidrSet::create("10.244.0/16", 24).has_value());
}
