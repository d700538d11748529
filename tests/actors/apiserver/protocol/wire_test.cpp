// The wire format of API server messages (what crosses hosts through CAF).
#include "actors/apiserver/protocol/batch.hpp"
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

TEST_CASE("a batch of watch events carries each shared event once and decodes it once",
          "[wire]") {
  auto event = [](uint64_t revision, const std::string& name) {
    auto ev = std::make_shared<apiserver::WatchEvent>();
    ev->type = apiserver::WatchEvent::Type::modified;
    ev->revision = revision;
    ev->object = std::make_shared<api::Pod>(make_pod("default", name));
    return ev;
  };
  auto shared = event(7, "web-1");
  auto own = event(8, "web-2");
  apiserver::WatchEventsBatch batch;
  batch.items.push_back({1, 11, {shared}, false});
  batch.items.push_back({2, 12, {shared, own}, false});
  batch.items.push_back({3, 13, {}, true});
  const auto bytes = apiserver::wire_encode(batch);

  apiserver::WatchEventsBatch decoded;
  REQUIRE(apiserver::wire_decode(bytes, decoded));
  REQUIRE(decoded.items.size() == 3);
  CHECK(decoded.items[0].watch_id == 1);
  CHECK(decoded.items[0].tag == 11);
  CHECK(decoded.items[1].watch_id == 2);
  CHECK(decoded.items[1].tag == 12);
  CHECK(decoded.items[2].closed);
  CHECK(decoded.items[2].events.empty());
  REQUIRE(decoded.items[0].events.size() == 1);
  REQUIRE(decoded.items[1].events.size() == 2);
  CHECK(decoded.items[0].events[0]->revision == 7);
  CHECK(decoded.items[1].events[1]->revision == 8);
  CHECK(decoded.items[1].events[1]->object->metadata.name == "web-2");
  // The event two watches saw is one decoded event, shared as the sender shared it.
  CHECK(decoded.items[0].events[0] == decoded.items[1].events[0]);
  CHECK(*api::as<api::Pod>(decoded.items[0].events[0]->object) ==
        *api::as<api::Pod>(shared->object));

  // The same batch with every event its own copy is longer by the repeated pod.
  apiserver::WatchEventsBatch copies = batch;
  copies.items[1].events[0] = event(7, "web-1");
  CHECK(apiserver::wire_encode(copies).size() > bytes.size());

  // An index past the batch's events is refused, not read.
  apiserver::WatchEventsBatch one;
  one.items.push_back({1, 1, {shared}, false});
  auto corrupt = apiserver::wire_encode(one);
  const auto at = corrupt.rfind(std::string("events\x91\x00", 8));
  REQUIRE(at != std::string::npos);
  corrupt[at + 7] = '\x05';
  apiserver::WatchEventsBatch refused;
  CHECK_FALSE(apiserver::wire_decode(corrupt, refused));
}

TEST_CASE("request and response batches survive the wire format", "[wire]") {
  apiserver::RequestBatch requests;
  apiserver::Request create;
  create.verb = apiserver::Verb::create;
  create.resource = "pods";
  create.namespace_ = "default";
  create.object = std::make_shared<api::Pod>(make_pod("default", "web"));
  apiserver::Request get;
  get.resource = "nodes";
  get.name = "n1";
  requests.items.push_back({0, create});
  requests.items.push_back({41, get});
  apiserver::RequestBatch requests2;
  REQUIRE(apiserver::wire_decode(apiserver::wire_encode(requests), requests2));
  REQUIRE(requests2.items.size() == 2);
  CHECK(requests2.items[0].id == 0);
  CHECK(requests2.items[0].request.verb == apiserver::Verb::create);
  REQUIRE(requests2.items[0].request.object);
  CHECK(*api::as<api::Pod>(requests2.items[0].request.object) ==
        *api::as<api::Pod>(create.object));
  CHECK(requests2.items[1].id == 41);
  CHECK(requests2.items[1].request.verb == apiserver::Verb::get);
  CHECK(requests2.items[1].request.name == "n1");

  apiserver::ResponseBatch responses;
  apiserver::Response created;
  created.object = create.object;
  apiserver::Response missing;
  missing.error = api::not_found("nodes", "n1");
  responses.items.push_back({41, missing});
  responses.items.push_back({0, created});
  responses.items.push_back({5, apiserver::Response{}});  // an answer with nothing in it
  apiserver::ResponseBatch responses2;
  REQUIRE(apiserver::wire_decode(apiserver::wire_encode(responses), responses2));
  REQUIRE(responses2.items.size() == 3);
  CHECK(responses2.items[0].id == 41);
  REQUIRE(responses2.items[0].response.error);
  CHECK(*responses2.items[0].response.error == *missing.error);
  CHECK(responses2.items[1].id == 0);
  CHECK(responses2.items[1].response.ok());
  REQUIRE(responses2.items[1].response.object);
  CHECK(responses2.items[1].response.object->metadata.name == "web");
  CHECK(responses2.items[2].id == 5);
  CHECK(responses2.items[2].response.ok());
  CHECK(!responses2.items[2].response.object);
}

namespace {

/// `bytes` with the first encoded kind name "Pod" made one no build knows ("Pxd"): what a
/// process of a newer build sends when it names a kind this one lacks.
std::string with_unknown_kind(std::string bytes) {
  const auto at = bytes.find(std::string("\xa3Pod", 4));
  REQUIRE(at != std::string::npos);
  bytes[at + 2] = 'x';
  return bytes;
}

}  // namespace

TEST_CASE("an item of a request or response batch that does not decode costs only itself",
          "[wire]") {
  apiserver::Request pod;
  pod.verb = apiserver::Verb::create;
  pod.resource = "pods";
  pod.namespace_ = "default";
  pod.object = std::make_shared<api::Pod>(make_pod("default", "web"));
  apiserver::Request config;
  config.verb = apiserver::Verb::create;
  config.resource = "configmaps";
  config.namespace_ = "default";
  config.object = std::make_shared<api::ConfigMap>(make_config_map("default", "c"));
  apiserver::RequestBatch requests;
  requests.items.push_back({1, pod});
  requests.items.push_back({2, config});
  apiserver::RequestBatch decoded;
  REQUIRE(apiserver::wire_decode(with_unknown_kind(apiserver::wire_encode(requests)), decoded));
  REQUIRE(decoded.items.size() == 2);
  CHECK(decoded.items[0].id == 1);
  REQUIRE(decoded.items[0].undecodable);
  CHECK(decoded.items[0].undecodable->code == 400);
  CHECK(decoded.items[0].undecodable->reason == "BadRequest");
  CHECK(decoded.items[0].undecodable->message.find("could not be decoded") != std::string::npos);
  INFO(decoded.items[0].undecodable->message);
  CHECK(decoded.items[0].undecodable->message.find("Pxd") != std::string::npos);  // the reason
  CHECK(decoded.items[1].id == 2);
  CHECK_FALSE(decoded.items[1].undecodable);
  REQUIRE(decoded.items[1].request.object);
  CHECK(decoded.items[1].request.object->metadata.name == "c");

  apiserver::ResponseBatch responses;
  apiserver::Response created;
  created.object = pod.object;
  apiserver::Response other;
  other.object = config.object;
  responses.items.push_back({1, created});
  responses.items.push_back({2, other});
  apiserver::ResponseBatch answers;
  REQUIRE(apiserver::wire_decode(with_unknown_kind(apiserver::wire_encode(responses)), answers));
  REQUIRE(answers.items.size() == 2);
  CHECK(answers.items[0].id == 1);
  REQUIRE(answers.items[0].response.error);
  CHECK(answers.items[0].response.error->code == 500);
  CHECK(answers.items[0].response.error->message.find("could not be decoded") !=
        std::string::npos);
  CHECK(answers.items[0].response.error->message.find("Pxd") != std::string::npos);
  CHECK(answers.items[1].id == 2);
  CHECK(answers.items[1].response.ok());
  REQUIRE(answers.items[1].response.object);
  CHECK(answers.items[1].response.object->metadata.name == "c");
}

TEST_CASE("a watch event that does not decode ends only the watches that saw it, with an error",
          "[wire]") {
  auto event = [](uint64_t revision, api::ObjectPtr object) {
    auto ev = std::make_shared<apiserver::WatchEvent>();
    ev->type = apiserver::WatchEvent::Type::added;
    ev->revision = revision;
    ev->object = std::move(object);
    return apiserver::WatchEventPtr(std::move(ev));
  };
  auto config = event(5, std::make_shared<api::ConfigMap>(make_config_map("default", "c")));
  auto pod = event(6, std::make_shared<api::Pod>(make_pod("default", "web")));
  auto later = event(7, std::make_shared<api::ConfigMap>(make_config_map("default", "d")));
  apiserver::WatchEventsBatch batch;
  batch.items.push_back({1, 11, {config, later}, false});  // never saw the pod
  batch.items.push_back({2, 12, {config, pod, later}, false});
  apiserver::WatchEventsBatch decoded;
  REQUIRE(apiserver::wire_decode(with_unknown_kind(apiserver::wire_encode(batch)), decoded));
  REQUIRE(decoded.items.size() == 2);
  CHECK_FALSE(decoded.items[0].closed);
  REQUIRE(decoded.items[0].events.size() == 2);
  CHECK(decoded.items[0].events[1]->revision == 7);
  // The second watch gets the event before, then an error in place of the pod's, and ends.
  CHECK(decoded.items[1].closed);
  REQUIRE(decoded.items[1].events.size() == 2);
  CHECK(decoded.items[1].events[0]->revision == 5);
  CHECK(decoded.items[1].events[1]->type == apiserver::WatchEvent::Type::error);
  REQUIRE(decoded.items[1].events[1]->error);
  CHECK(decoded.items[1].events[1]->error->code == 500);
  // The error says why: the kind and version it named.
  CHECK(decoded.items[1].events[1]->error->message ==
        "Internal error occurred: a watch event could not be decoded: it names kind \"Pxd\" of "
        "\"v1\", which this process does not know (is the API server of another build?)");

  // A single watch's events likewise.
  apiserver::WatchEvents single{3, 13, {config, pod, later}, false};
  apiserver::WatchEvents one;
  REQUIRE(apiserver::wire_decode(with_unknown_kind(apiserver::wire_encode(single)), one));
  CHECK(one.closed);
  REQUIRE(one.events.size() == 2);
  CHECK(one.events[1]->type == apiserver::WatchEvent::Type::error);

  // A known kind whose object is malformed: the error names the kind and what was wrong.
  auto malformed = apiserver::wire_encode(single);
  const auto name_at = malformed.find(std::string("\xa3web", 4));
  REQUIRE(name_at != std::string::npos);
  malformed[name_at] = '\x03';  // the name's string header becomes an integer
  apiserver::WatchEvents broken;
  REQUIRE(apiserver::wire_decode(malformed, broken));
  CHECK(broken.closed);
  REQUIRE(broken.events.size() == 2);
  REQUIRE(broken.events[1]->error);
  INFO(broken.events[1]->error->message);
  CHECK(broken.events[1]->error->message ==
        "Internal error occurred: a watch event could not be decoded: its Pod object is "
        "malformed: decoding Pod: metadata.name: expected string");
}

TEST_CASE("a batch item whose request failed is answered as a single remote request is",
          "[wire]") {
  auto late = apiserver::failed_item(caf::make_error(caf::sec::request_timeout));
  REQUIRE(late.error);
  CHECK(late.error->code == 504);
  CHECK(late.error->reason == "Timeout");
  auto restarting = apiserver::failed_item(
      caf::make_error(caf::sec::request_receiver_down, "apiserver is restarting"));
  REQUIRE(restarting.error);
  CHECK(restarting.error->code == 503);
  CHECK(restarting.error->reason == "ServiceUnavailable");
  CHECK(restarting.error->details.retry_after_seconds == 1);
  CHECK(restarting.error->message.find("apiserver is restarting") != std::string::npos);
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
