// Secret defaulting (api/defaults/config_defaults.cpp).
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("secret defaults as the API server fills them", "[defaults]") {
  auto secret = load(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},
    "data":{"a":"eA=="},"stringData":{"b":"hello","a":"y"}})");
  secret->type().set_defaults(*secret);
  const Secret& sec = *as<Secret>(*secret);
  CHECK(sec.type == "Opaque");
  CHECK(sec.string_data.empty());
  CHECK(sec.data == std::map<std::string, std::string>{{"a", "eQ=="}, {"b", "aGVsbG8="}});
}
