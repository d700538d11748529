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

TEST_CASE("a pod's boxed spec fields, container states and volume sources survive both codecs",
          "[api][boxed]") {
  Pod pod = testing::make_pod("default", "p");
  pod.spec.affinity.emplace().node_affinity.emplace();
  pod.spec.security_context.emplace().run_as_user = 1000;
  pod.spec.dns_config.emplace().nameservers = {"10.0.0.10"};
  pod.spec.os.emplace().name = "linux";
  pod.spec.resources.emplace().requests["cpu"] = testing::qty("100m");
  Volume scratch;
  scratch.name = "scratch";
  scratch.empty_dir.emplace().medium = "Memory";
  Volume config;
  config.name = "config";
  config.config_map.emplace().name = "settings";
  pod.spec.volumes = {scratch, config};
  ContainerStatus waiting;
  waiting.name = "c";
  waiting.state.waiting.emplace().reason = "CrashLoopBackOff";
  waiting.last_state.terminated.emplace().exit_code = 3;
  pod.status.container_statuses = {waiting};

  auto from_msgpack = decode_msgpack(Pod::static_type(), encode_msgpack(pod));
  REQUIRE(from_msgpack.has_value());
  CHECK(static_cast<const Pod&>(**from_msgpack) == pod);
  auto from_json = decode_json(std::string_view(encode_json_string(pod)));
  REQUIRE(from_json.has_value());
  const auto& decoded = static_cast<const Pod&>(**from_json);
  CHECK(decoded == pod);
  CHECK(decoded.spec.volumes.at(0).empty_dir->medium == "Memory");
  CHECK_FALSE(decoded.spec.volumes.at(0).config_map);
  CHECK(decoded.status.container_statuses.at(0).last_state.terminated->exit_code == 3);
  CHECK_FALSE(decoded.status.container_statuses.at(0).state.terminated);

  auto json = encode_json(pod);
  CHECK(json["spec"]["os"]["name"] == "linux");
  CHECK(json["status"]["containerStatuses"][0]["state"].contains("waiting"));
  CHECK_FALSE(json["status"]["containerStatuses"][0]["state"].contains("terminated"));
  CHECK_FALSE(json["spec"]["volumes"][1].contains("emptyDir"));
  Pod plain = testing::make_pod("default", "q");
  CHECK_FALSE(encode_json(plain)["spec"].contains("securityContext"));
  CHECK_FALSE(encode_json(plain)["spec"].contains("affinity"));
}
