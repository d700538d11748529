// A watch stream's chunks (actors/http/response.hpp watch_events_chunk): one event's JSON line
// is encoded once and the same bytes go to every stream of a thread; several events make one
// chunk of their lines in order; Tables are encoded per stream.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "actors/http/response.hpp"
#include "api/time/clock.hpp"
#include "api/types/config.hpp"

using namespace kactor;
using namespace kactor::http;

namespace {

apiserver::WatchEventPtr added_config_map(const std::string& name) {
  auto cm = std::make_shared<api::ConfigMap>();
  cm->metadata.namespace_ = "default";
  cm->metadata.name = name;
  cm->metadata.resource_version = "7";
  auto ev = std::make_shared<apiserver::WatchEvent>();
  ev->type = apiserver::WatchEvent::Type::added;
  ev->object = cm;
  return ev;
}

const api::TypeInfo& type() {
  return api::ConfigMap::static_type();
}

}  // namespace

TEST_CASE("watch chunk: one event's line is shared by the streams that get it") {
  auto ev = added_config_map("a");
  auto json = response_format("application/json", "");
  auto first = watch_events_chunk(type(), {ev}, json, TimePoint{});
  auto second = watch_events_chunk(type(), {ev}, json, TimePoint{});
  REQUIRE(first);
  CHECK(first == second);  // the same bytes, not an equal copy
  CHECK(*first == watch_event_line(type(), *ev, json, TimePoint{}));
  CHECK(first->starts_with("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\","));
  CHECK(first->ends_with("}}\n"));
}

TEST_CASE("watch chunk: several events are their lines in order, and no event is no bytes") {
  auto a = added_config_map("a");
  auto b = added_config_map("b");
  auto json = response_format("application/json", "");
  auto chunk = watch_events_chunk(type(), {a, nullptr, b}, json, TimePoint{});
  REQUIRE(chunk);
  CHECK(*chunk == watch_event_line(type(), *a, json, TimePoint{}) +
                      watch_event_line(type(), *b, json, TimePoint{}));
  auto none = watch_events_chunk(type(), {}, json, TimePoint{});
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("watch chunk: a Table event is encoded for its own stream") {
  auto ev = added_config_map("a");
  auto table = response_format("application/json;as=Table;g=meta.k8s.io;v=v1", "");
  REQUIRE(table.table);
  auto first = watch_events_chunk(type(), {ev}, table, TimePoint{});
  auto second = watch_events_chunk(type(), {ev}, table, TimePoint{});
  CHECK(first != second);
  CHECK(*first == *second);
  CHECK(first->find("\"kind\":\"Table\"") != std::string::npos);
}

// A multiplexer that fell behind hands each stream a chunk of many events, stream after
// stream: the second stream must find every line the first one encoded, however many.
TEST_CASE("watch chunk: a stream finds the lines of a long round the stream before encoded") {
  auto json = response_format("application/json", "");
  std::vector<apiserver::WatchEventPtr> round;
  for (int i = 0; i < 200; ++i) round.push_back(added_config_map("cm-" + std::to_string(i)));
  std::vector<SharedBytes> first;
  for (const auto& ev : round) first.push_back(watch_events_chunk(type(), {ev}, json, TimePoint{}));
  for (size_t i = 0; i < round.size(); ++i) {
    INFO("event " << i);
    CHECK(watch_events_chunk(type(), {round[i]}, json, TimePoint{}) == first[i]);
  }
}

TEST_CASE("watch chunk: a new event never gets the line of one that is gone") {
  auto json = response_format("application/json", "");
  for (int i = 0; i < 50; ++i) {
    // Allocated apart from its control block, so a new event may take a freed one's address.
    auto make = [&](const std::string& name) {
      auto ev = std::shared_ptr<apiserver::WatchEvent>(
          new apiserver::WatchEvent(*added_config_map(name)));
      return apiserver::WatchEventPtr(ev);
    };
    auto old = make("old-" + std::to_string(i));
    REQUIRE(watch_events_chunk(type(), {old}, json, TimePoint{})->find("old-") !=
            std::string::npos);
    old.reset();
    auto fresh = make("new-" + std::to_string(i));
    auto line = watch_events_chunk(type(), {fresh}, json, TimePoint{});
    CHECK(line->find("\"new-" + std::to_string(i) + "\"") != std::string::npos);
  }
}
