// Boxed<T>: an optional on the heap that copies share until one of them changes.
#include <catch2/catch.hpp>

#include "api/codec/object_codec.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"

using namespace kactor::api;

TEST_CASE("Boxed behaves as an optional", "[api][boxed]") {
  Boxed<std::string> b;
  CHECK_FALSE(b.has_value());
  CHECK(b == std::nullopt);
  CHECK(b.value_or("fallback") == "fallback");
  CHECK_THROWS_AS(b.value(), std::bad_optional_access);
  b = std::string("x");
  REQUIRE(b);
  CHECK(*b == "x");
  CHECK(b == std::string("x"));
  CHECK(b->size() == 1);
  b.emplace("yz");
  CHECK(b.value() == "yz");
  CHECK(b.to_optional() == std::optional<std::string>("yz"));
  b.reset();
  CHECK_FALSE(b);
  b = std::string("back");
  b = std::nullopt;
  CHECK_FALSE(b);
}

TEST_CASE("Boxed copies share the value until one changes, and compare by value",
          "[api][boxed]") {
  Boxed<Probe> a;
  a.emplace().period_seconds = 5;
  const Boxed<Probe> b = a;  // shares
  CHECK(&*b == &*std::as_const(a));
  CHECK(a == b);

  a->period_seconds = 7;  // a non-const access unshares first
  CHECK(&*b != &*std::as_const(a));
  CHECK(b->period_seconds == 5);
  CHECK(a->period_seconds == 7);
  CHECK_FALSE(a == b);

  Boxed<Probe> c = b;
  c = Probe{};
  CHECK(b->period_seconds == 5);
  Boxed<Probe> empty;
  CHECK_FALSE(empty == b);
  CHECK(empty == Boxed<Probe>{});
}

TEST_CASE("a container's boxed probes, lifecycle and securityContext survive both codecs",
          "[api][boxed]") {
  Pod pod = testing::make_pod("default", "p");
  auto& c = pod.spec.containers.front();
  c.readiness_probe.emplace().http_get.emplace().path = "/ready";
  c.readiness_probe->period_seconds = 3;
  c.lifecycle.emplace().pre_stop.emplace().sleep.emplace().seconds = 2;
  c.security_context.emplace().run_as_user = 1000;

  auto from_msgpack = decode_msgpack(Pod::static_type(), encode_msgpack(pod));
  REQUIRE(from_msgpack.has_value());
  CHECK(static_cast<const Pod&>(**from_msgpack) == pod);
  auto from_json = decode_json(std::string_view(encode_json_string(pod)));
  REQUIRE(from_json.has_value());
  CHECK(static_cast<const Pod&>(**from_json) == pod);
  CHECK(encode_json(pod)["spec"]["containers"][0]["readinessProbe"]["httpGet"]["path"] ==
        "/ready");
  CHECK_FALSE(encode_json(pod)["spec"]["containers"][0].contains("livenessProbe"));
}
