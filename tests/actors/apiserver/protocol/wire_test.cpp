// The wire format of API server messages (what crosses hosts through CAF).
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("requests, responses and watch events survive the wire format", "[wire]") {
  apiserver::Request req;
  req.verb = apiserver::Verb::patch;
  req.resource = "pods";
  req.namespace_ = "default";
  req.name = "web";
  req.patch_type = "application/merge-patch+json";
  req.patch_body = R"({"metadata":{"labels":{"a":"b"}}})";
  req.grace_period_seconds = 0;
  req.object = std::make_shared<api::Pod>(make_pod("default", "web", {{"app", "x"}}));
  apiserver::Request req2;
  REQUIRE(apiserver::wire_decode(apiserver::wire_encode(req), req2));
  CHECK(req2.verb == req.verb);
  CHECK(req2.patch_body == req.patch_body);
  CHECK(req2.grace_period_seconds == 0);
  REQUIRE(req2.object);
  CHECK(*api::as<api::Pod>(req2.object) == *api::as<api::Pod>(req.object));

  apiserver::Response resp;
  resp.error = api::not_found("pods", "web");
  resp.items.push_back(req.object);
  resp.resource_version = "42";
  apiserver::Response resp2;
  REQUIRE(apiserver::wire_decode(apiserver::wire_encode(resp), resp2));
  REQUIRE(resp2.error.has_value());
  CHECK(*resp2.error == *resp.error);
  REQUIRE(resp2.items.size() == 1);
  CHECK(resp2.items[0]->metadata.labels.at("app") == "x");

  auto ev = std::make_shared<apiserver::WatchEvent>();
  ev->type = apiserver::WatchEvent::Type::modified;
  ev->revision = 9;
  ev->object = req.object;
  apiserver::WatchEvents batch{3, 4, {ev}, true};
  apiserver::WatchEvents batch2;
  REQUIRE(apiserver::wire_decode(apiserver::wire_encode(batch), batch2));
  CHECK(batch2.watch_id == 3);
  CHECK(batch2.tag == 4);
  CHECK(batch2.closed);
  REQUIRE(batch2.events.size() == 1);
  CHECK(batch2.events[0]->type == apiserver::WatchEvent::Type::modified);
  CHECK(batch2.events[0]->revision == 9);
  CHECK(*api::as<api::Pod>(batch2.events[0]->object) == *api::as<api::Pod>(req.object));

  apiserver::Request garbage;
  CHECK_FALSE(apiserver::wire_decode("\xc1 not msgpack", garbage));
}

TEST_CASE("the status subresource exists only for kinds with a status", "[apiserver]") {
  ApiFixture f;
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "c";
  REQUIRE(f.client->create(cm).has_value());
  auto r = f.client->update_status(cm);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == 404);
}
