// Request options checked as upstream's API server does before touching any object:
// DeleteOptions.propagationPolicy, ListOptions.resourceVersionMatch, gracePeriodSeconds, and
// the request body size (actors/apiserver/request_options.hpp).
#include "actors/apiserver/request_options.hpp"

#include <cctype>

#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

}  // namespace

TEST_CASE("an unknown propagationPolicy is refused with 422 and deletes nothing",
          "[apiserver][options]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_config_map("default", "c")).has_value());
  client::DeleteOptions sideways;
  sideways.propagation_policy = "Sideways";
  auto refused = f.client->remove(api::ConfigMap::static_type(), "default", "c", sideways);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 422);
  CHECK(refused.error().reason == "Invalid");
  CHECK(refused.error().message ==
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: "
        "\"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
  REQUIRE(refused.error().details.causes.size() == 1);
  CHECK(refused.error().details.causes[0].field == "propagationPolicy");
  CHECK(f.client->get<api::ConfigMap>("default", "c").has_value());

  for (const std::string policy : {"Orphan", "Background", "Foreground"}) {
    INFO(policy);
    // Lower-case names: Orphan leaves the object behind, held by the orphan finalizer.
    std::string name = policy;
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    REQUIRE(f.client->create(make_config_map("default", name)).has_value());
    client::DeleteOptions o;
    o.propagation_policy = policy;
    CHECK(f.client->remove(api::ConfigMap::static_type(), "default", name, o).has_value());
  }
}

TEST_CASE("resourceVersionMatch must be Exact or NotOlderThan and needs a resourceVersion",
          "[apiserver][options]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_config_map("default", "c")).has_value());
  const auto& type = api::ConfigMap::static_type();
  auto list = [&](std::string rv, std::string match) {
    client::ListOptions o;
    o.resource_version = std::move(rv);
    o.resource_version_match = std::move(match);
    return f.client->list(type, "default", o);
  };

  auto bogus = list("1", "Bogus");
  REQUIRE_FALSE(bogus.has_value());
  CHECK(bogus.error().code == 422);
  CHECK(bogus.error().message ==
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: "
        "\"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"");

  auto without_rv = list("", "NotOlderThan");
  REQUIRE_FALSE(without_rv.has_value());
  CHECK(without_rv.error().message ==
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
        "resourceVersionMatch is forbidden unless resourceVersion is provided");

  auto exact_zero = list("0", "Exact");
  REQUIRE_FALSE(exact_zero.has_value());
  CHECK(exact_zero.error().message.find("resourceVersionMatch \"exact\" is forbidden for "
                                        "resourceVersion \"0\"") != std::string::npos);

  auto current = list("", "");
  REQUIRE(current.has_value());
  CHECK(list(current->resource_version, "NotOlderThan").has_value());
  CHECK(list(current->resource_version, "Exact").has_value());
}

TEST_CASE("a negative gracePeriodSeconds deletes a pod with one second of grace",
          "[apiserver][options]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web")).has_value());
  REQUIRE(f.client->bind("default", "web", "node-1").has_value());
  client::DeleteOptions negative;
  negative.grace_period_seconds = -5;
  auto deleting = f.client->remove(api::Pod::static_type(), "default", "web", negative);
  REQUIRE(deleting.has_value());
  CHECK((*deleting)->metadata.deletion_grace_period_seconds == 1);
  CHECK((*deleting)->metadata.deletion_timestamp->value == test_epoch() + std::chrono::seconds(1));
}

TEST_CASE("a patch body over 3 MiB is refused with 413 before it is parsed",
          "[apiserver][options]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_config_map("default", "c")).has_value());
  std::string body =
      R"({"data": {"k": ")" + std::string(api::limits::kMaxRequestBodyBytes, 'x') + R"("}})";
  auto refused = f.client->patch(api::ConfigMap::static_type(), "default", "c",
                                 "application/merge-patch+json", body);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 413);
  CHECK(refused.error().reason == "RequestEntityTooLarge");
}

TEST_CASE("an object over 1.5 MiB encoded is refused with 413", "[apiserver][options]") {
  ApiFixture f;
  // An Event: its message has no length limit of its own (a ConfigMap's data has 1 MiB).
  api::Event big;
  big.metadata.namespace_ = "default";
  big.metadata.name = "big";
  big.involved_object.namespace_ = "default";
  big.message = std::string(apiserver::kMaxObjectBytes + 1, 'x');
  auto refused = f.client->create(big);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 413);
  CHECK(refused.error().reason == "RequestEntityTooLarge");
  CHECK_FALSE(f.client->get<api::Event>("default", "big").has_value());
  // The API server serves on.
  REQUIRE(f.client->create(make_config_map("default", "after")).has_value());
}
