// API server watches: order, exactly once, replay, selectors, bookmarks, Expired.
#include <map>
#include <thread>

#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using apiserver::WatchEvent;
using Type = apiserver::WatchEvent::Type;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

apiserver::WatchRequest pod_watch(const std::string& rv, const std::string& labels = "") {
  apiserver::WatchRequest wr;
  wr.resource = "pods";
  wr.namespace_ = "default";
  wr.resource_version = rv;
  wr.label_selector = labels;
  return wr;
}

apiserver::WatchEventPtr next(client::BlockingWatch& w) {
  auto ev = w.next(kWait);
  REQUIRE(ev.has_value());
  return *ev;
}

/// A watch from `rv`, compacted away, gets one 410 Expired event and is closed.
void check_expired_from(const std::string& rv, ApiFixture& f) {
  auto w = f.client->watch(pod_watch(rv));
  REQUIRE(w.has_value());
  auto ev = next(*w);
  CHECK(ev->type == Type::error);
  REQUIRE(ev->error.has_value());
  CHECK(ev->error->code == 410);
  CHECK(ev->error->reason == "Expired");
  CHECK(ev->error->message.starts_with("too old resource version: " + rv));
  CHECK_FALSE(w->next(std::chrono::milliseconds(0)).has_value());
  CHECK(w->closed());
}

}  // namespace

TEST_CASE("a watch from a list's revision sees every later change once, in order",
          "[apiserver][watch]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "before")).has_value());
  auto listed = f.client->list<api::Pod>("default");
  REQUIRE(listed.has_value());
  auto w = f.client->watch(pod_watch(listed->resource_version));
  REQUIRE(w.has_value());

  auto a = f.client->create(make_pod("default", "a"));
  auto b = f.client->create(make_pod("default", "b"));
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  auto a2 = **a;
  a2.metadata.labels["x"] = "y";
  REQUIRE(f.client->update(a2).has_value());
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "b").has_value());
  REQUIRE(f.client->create(make_pod("default", "marker")).has_value());

  std::vector<std::pair<Type, std::string>> seen;
  uint64_t last = 0;
  for (int i = 0; i < 5; ++i) {
    auto ev = next(*w);
    CHECK(ev->revision > last);
    last = ev->revision;
    CHECK(ev->object->metadata.resource_version == std::to_string(ev->revision));
    seen.emplace_back(ev->type, ev->object->metadata.name);
  }
  CHECK(seen == std::vector<std::pair<Type, std::string>>{{Type::added, "a"},
                                                          {Type::added, "b"},
                                                          {Type::modified, "a"},
                                                          {Type::deleted, "b"},
                                                          {Type::added, "marker"}});
}

TEST_CASE("a watch from resourceVersion 0 starts with the current objects", "[apiserver][watch]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "one")).has_value());
  REQUIRE(f.client->create(make_pod("default", "two")).has_value());
  auto w = f.client->watch(pod_watch("0"));
  REQUIRE(w.has_value());
  auto e1 = next(*w);
  auto e2 = next(*w);
  CHECK(e1->type == Type::added);
  CHECK(e2->type == Type::added);
  std::set<std::string> names{e1->object->metadata.name, e2->object->metadata.name};
  CHECK(names == std::set<std::string>{"one", "two"});
  REQUIRE(f.client->create(make_pod("default", "three")).has_value());
  CHECK(next(*w)->object->metadata.name == "three");
}

TEST_CASE("watch replay from an older revision, from memory and from the store",
          "[apiserver][watch]") {
  apiserver::ApiServerOptions small_ring;
  small_ring.watch.ring_capacity = GENERATE(10000, 2);
  ApiFixture f(small_ring);
  auto first = f.client->create(make_pod("default", "p0"));
  REQUIRE(first.has_value());
  for (int i = 1; i < 6; ++i)
    REQUIRE(f.client->create(make_pod("default", "p" + std::to_string(i))).has_value());

  auto w = f.client->watch(pod_watch((*first)->metadata.resource_version));
  REQUIRE(w.has_value());
  for (int i = 1; i < 6; ++i) {
    auto ev = next(*w);
    CHECK(ev->type == Type::added);
    CHECK(ev->object->metadata.name == "p" + std::to_string(i));
  }
}

TEST_CASE("a label-selected watch sees objects enter and leave the selection",
          "[apiserver][watch]") {
  ApiFixture f;
  auto listed = f.client->list<api::Pod>("default");
  REQUIRE(listed.has_value());
  auto w = f.client->watch(pod_watch(listed->resource_version, "app=web"));
  REQUIRE(w.has_value());

  auto p = f.client->create(make_pod("default", "p", {{"app", "db"}}));
  REQUIRE(p.has_value());
  auto in = **p;
  in.metadata.labels["app"] = "web";
  auto entered = f.client->update(in);
  REQUIRE(entered.has_value());
  auto out = *api::as<api::Pod>(*entered);
  out.metadata.labels["app"] = "cache";
  REQUIRE(f.client->update(out).has_value());

  auto e1 = next(*w);
  CHECK(e1->type == Type::added);  // the object entered the selection
  auto e2 = next(*w);
  CHECK(e2->type == Type::deleted);  // and left it
  CHECK(e2->object->metadata.labels.at("app") == "cache");
}

TEST_CASE("spec.nodeName watches see only their node's pods: bound, changed, deleted",
          "[apiserver][watch]") {
  // These watchers are indexed by the selector's value in the hub; the test pins down that
  // the index delivers what a per-watcher filter would.
  ApiFixture f;
  auto node_watch = [&](const std::string& node) {
    auto wr = pod_watch("0");
    wr.field_selector = "spec.nodeName=" + node;
    auto w = f.client->watch(wr);
    REQUIRE(w.has_value());
    return std::move(*w);
  };
  auto n1 = node_watch("n1");
  auto n2 = node_watch("n2");
  auto everything = f.client->watch(pod_watch("0"));
  REQUIRE(everything.has_value());

  REQUIRE(f.client->create(make_pod("default", "p")).has_value());  // not bound yet
  auto q = make_pod("default", "q");
  q.spec.node_name = "n2";
  REQUIRE(f.client->create(q).has_value());
  REQUIRE(f.client->bind("default", "p", "n1").has_value());
  auto p = f.client->get<api::Pod>("default", "p");
  REQUIRE(p.has_value());
  auto relabelled = **p;
  relabelled.metadata.labels["x"] = "y";
  REQUIRE(f.client->update(relabelled).has_value());
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "p", now).has_value());
  auto marker = make_pod("default", "marker");
  marker.spec.node_name = "n2";
  REQUIRE(f.client->create(marker).has_value());

  auto seen = [&](client::BlockingWatch& w, int count) {
    std::vector<std::pair<Type, std::string>> out;
    for (int i = 0; i < count; ++i) {
      auto ev = next(w);
      out.emplace_back(ev->type, ev->object->metadata.name);
    }
    return out;
  };
  using Seen = std::vector<std::pair<Type, std::string>>;
  CHECK(seen(n1, 3) == Seen{{Type::added, "p"}, {Type::modified, "p"}, {Type::deleted, "p"}});
  CHECK(seen(n2, 2) == Seen{{Type::added, "q"}, {Type::added, "marker"}});
  CHECK(seen(*everything, 6) == Seen{{Type::added, "p"},
                                     {Type::added, "q"},
                                     {Type::modified, "p"},
                                     {Type::modified, "p"},
                                     {Type::deleted, "p"},
                                     {Type::added, "marker"}});
}

TEST_CASE("after compaction a watch from an old revision gets 410 Expired",
          "[apiserver][watch][compaction]") {
  apiserver::ApiServerOptions opts;
  opts.watch.ring_capacity = 2;
  ApiFixture f(opts);
  auto first = f.client->create(make_pod("default", "p0"));
  REQUIRE(first.has_value());
  for (int i = 1; i < 5; ++i)
    REQUIRE(f.client->create(make_pod("default", "p" + std::to_string(i))).has_value());

  caf::scoped_actor self{f.system.get()};
  bool compacted = false;
  self->request(f.plane->apiserver(), kWait, apiserver::compact_atom::value, int64_t{0})
      .receive([&](bool ok) { compacted = ok; }, [&](caf::error&) {});
  REQUIRE(compacted);
  CHECK(f.plane->store().compacted_revision() > 0);

  check_expired_from((*first)->metadata.resource_version, f);
}

TEST_CASE("a bounded event log is compacted to half its bound once it holds more, whatever "
          "the events' age",
          "[apiserver][watch][compaction]") {
  apiserver::ApiServerOptions opts;
  opts.watch.ring_capacity = 2;
  opts.compaction_max_events = 8;  // the timer's compaction (5 min, virtual) never runs here
  ApiFixture f(opts);
  auto first = f.client->create(make_pod("default", "p0"));
  REQUIRE(first.has_value());
  for (int i = 1; i < 20; ++i)
    REQUIRE(f.client->create(make_pod("default", "p" + std::to_string(i))).has_value());

  // The compaction follows the write that crossed the bound, on the store's thread.
  auto& store = f.plane->store();
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (store.revision() - store.compacted_revision() > 8 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  CHECK(store.compacted_revision() > 0);
  CHECK(store.revision() - store.compacted_revision() <= 8);

  // Every object is still there; only the history before the bound is gone.
  auto listed = f.client->list<api::Pod>("default");
  REQUIRE(listed.has_value());
  CHECK(listed->items.size() == 20);
  check_expired_from((*first)->metadata.resource_version, f);
}

TEST_CASE("bookmarks carry the current revision to idle watchers", "[apiserver][watch]") {
  ApiFixture f;
  auto wr = pod_watch("");
  wr.allow_bookmarks = true;
  auto w = f.client->watch(wr);
  REQUIRE(w.has_value());
  auto cm = api::ConfigMap{};
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "unrelated";
  auto created = f.client->create(cm);
  REQUIRE(created.has_value());
  f.clock.advance(std::chrono::seconds(60));
  auto ev = next(*w);
  CHECK(ev->type == Type::bookmark);
  CHECK(ev->object->metadata.resource_version == (*created)->metadata.resource_version);
}

TEST_CASE("a watcher that stops acknowledging is ended with Expired", "[apiserver][watch]") {
  apiserver::ApiServerOptions opts;
  opts.watch.max_unacked = 3;
  ApiFixture f(opts);
  caf::scoped_actor watcher{f.system.get()};
  auto wr = pod_watch("");
  wr.tag = 7;
  uint64_t id = 0;
  watcher->request(f.plane->apiserver(), kWait, wr)
      .receive([&](apiserver::Response& r) { id = r.watch_id; }, [](caf::error&) {});
  REQUIRE(id != 0);
  for (int i = 0; i < 5; ++i)
    REQUIRE(f.client->create(make_pod("default", "p" + std::to_string(i))).has_value());

  // Never acknowledging: after more than 3 unacknowledged events the watch ends.
  bool closed = false;
  std::optional<api::Status> error;
  size_t events = 0;
  while (!closed) {
    bool got = false;
    watcher->receive(
        [&](apiserver::WatchEvents& ev) {
          got = true;
          CHECK(ev.tag == 7);
          for (auto& e : ev.events) {
            if (e->type == Type::error)
              error = e->error;
            else
              ++events;
          }
          closed = ev.closed;
        },
        caf::after(kWait) >> [] {});
    REQUIRE(got);
  }
  CHECK(events == 4);
  REQUIRE(error.has_value());
  CHECK(error->code == 410);
}

TEST_CASE("watch and list refuse resourceVersions that do not parse with 400", "[apiserver][watch]") {
  ApiFixture f;
  for (const char* bad : {"12abc", " 7", "1e3", "-5"}) {
    INFO(bad);
    auto w = f.client->watch(pod_watch(bad));
    REQUIRE_FALSE(w.has_value());
    CHECK(w.error().code == 400);
    client::ListOptions o;
    o.resource_version = bad;
    auto l = f.client->list<api::Pod>("default", o);
    REQUIRE_FALSE(l.has_value());
    CHECK(l.error().code == 400);
  }
}

TEST_CASE("a watch from a revision not reached yet is refused as too large", "[apiserver][watch]") {
  ApiFixture f;
  auto w = f.client->watch(pod_watch("1000000"));
  REQUIRE_FALSE(w.has_value());
  CHECK(w.error().code == 504);
  CHECK(w.error().details.causes.at(0).reason == "ResourceVersionTooLarge");
}

TEST_CASE("batched watches of one watcher share one message per round, a plain one of the same "
          "watcher gets its own",
          "[apiserver][watch]") {
  ApiFixture f;
  caf::scoped_actor watcher{f.system.get()};
  auto open = [&](uint64_t tag, bool batched, const std::string& labels) {
    auto wr = pod_watch("", labels);
    wr.tag = tag;
    wr.batched = batched;
    uint64_t id = 0;
    watcher->request(f.plane->apiserver(), kWait, wr)
        .receive([&](apiserver::Response& r) { id = r.watch_id; }, [](caf::error&) {});
    REQUIRE(id != 0);
    return id;
  };
  const auto all = open(1, true, "");
  open(2, true, "app=web");
  open(3, false, "");

  // One message for the batched watches (each with its own events), one for the plain one.
  auto pod = make_pod("default", "web-1");
  pod.metadata.labels["app"] = "web";
  REQUIRE(f.client->create(pod).has_value());
  std::map<uint64_t, std::vector<std::string>> batched_seen;
  std::vector<std::string> plain_seen;
  auto names = [](const apiserver::WatchEvents& ev) {
    std::vector<std::string> out;
    for (auto& e : ev.events) out.push_back(e->object->metadata.name);
    return out;
  };
  // The next message: a batch goes to `on_batch`, the plain watch's events to plain_seen.
  auto receive_one = [&](auto on_batch) {
    bool got = false;
    watcher->receive(
        [&](apiserver::WatchEventsBatch& batch) {
          got = true;
          on_batch(batch);
        },
        [&](apiserver::WatchEvents& ev) {
          got = true;
          CHECK(ev.tag == 3);
          plain_seen = names(ev);
        },
        caf::after(kWait) >> [] {});
    REQUIRE(got);
  };
  for (int messages = 0; messages < 2; ++messages)
    receive_one([&](apiserver::WatchEventsBatch& batch) {
      CHECK(batched_seen.empty());  // one batch for the round, not one per watch
      for (auto& item : batch.items) batched_seen[item.tag] = names(item);
    });
  CHECK(batched_seen == std::map<uint64_t, std::vector<std::string>>{{1, {"web-1"}},
                                                                     {2, {"web-1"}}});
  CHECK(plain_seen == std::vector<std::string>{"web-1"});

  // A pod outside the label selection reaches only the unselected watches; a cancelled
  // batched watch gets its closing message in a batch, and nothing after it.
  watcher->send(f.plane->apiserver(), apiserver::cancel_atom::value, all);
  REQUIRE(f.client->create(make_pod("default", "db-1")).has_value());
  bool closed_all = false;
  plain_seen.clear();
  while (!closed_all || plain_seen.empty())
    receive_one([&](apiserver::WatchEventsBatch& batch) {
      for (auto& item : batch.items) {
        CHECK(item.tag == 1);
        CHECK(item.closed);
        CHECK(item.events.empty());
        closed_all = true;
      }
    });
  CHECK(plain_seen == std::vector<std::string>{"db-1"});
}
