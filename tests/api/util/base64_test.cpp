// Base64 as Secret data uses it (api/util/base64.cpp).
#include <catch2/catch.hpp>

#include "api/util/base64.hpp"

using namespace kactor::api;

TEST_CASE("base64 helpers", "[util]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_decode("Zm9vYg==") == "foob");
  CHECK_FALSE(base64_decode("Zm9").has_value());
  CHECK_FALSE(base64_decode("Z=9v").has_value());
  CHECK_FALSE(base64_decode("Zm9v!A==").has_value());
}
