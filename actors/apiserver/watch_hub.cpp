#include "actors/apiserver/watch_hub.hpp"

#include <utility>

#include "telemetry/registry.hpp"

namespace kactor::apiserver {

WatchEventPtr expired_event(const std::string& message) {
  auto ev = std::make_shared<WatchEvent>();
  ev->type = WatchEvent::Type::error;
  ev->error = api::expired(message);
  return ev;
}

WatchHub::~WatchHub() {
  for (auto& [id, w] : watchers_) w.registered->add(-1);
}

telemetry::Gauge& WatchHub::registered_gauge(const api::TypeInfo& type) {
  auto& slot = registered_gauges_[&type];
  // Upstream removed this series in 1.25 in favour of apiserver_longrunning_requests, which
  // only sees HTTP watches; kactor's own components watch in process, so only the hub can
  // count every watcher, by kind as the old series did.
  if (!slot)
    slot = &telemetry::Registry::global().gauge(
        "apiserver_registered_watchers",
        "Number of currently registered watchers for a given resources",
        {{"group", type.group}, {"version", type.version}, {"kind", type.kind}});
  return *slot;
}

uint64_t WatchHub::add(Selection selection, bool bookmarks, int64_t delivered_revision,
                       uint64_t tag, Sink sink) {
  uint64_t id = next_id_++;
  Watcher& w = watchers_[id];
  w.id = id;
  w.registered = &registered_gauge(selection.type());
  w.registered->add(1);
  w.selection = std::move(selection);
  w.bookmarks = bookmarks;
  w.delivered_revision = delivered_revision;
  w.tag = tag;
  w.sink = std::move(sink);
  auto& kind = by_kind_[&w.selection.type()];
  for (const auto& r : w.selection.fields().requirements()) {
    if (r.op != api::fields::Operator::Equals) continue;
    w.index_field = r.field;
    w.index_value = r.value;
    kind.indexed[r.field][r.value].insert(&w);
    return id;
  }
  kind.unindexed.insert(&w);
  return id;
}

void WatchHub::unindex(Watcher& w) {
  auto kit = by_kind_.find(&w.selection.type());
  if (kit == by_kind_.end()) return;
  auto& kind = kit->second;
  if (w.index_field.empty()) {
    kind.unindexed.erase(&w);
  } else if (auto fit = kind.indexed.find(w.index_field); fit != kind.indexed.end()) {
    if (auto vit = fit->second.find(w.index_value); vit != fit->second.end()) {
      vit->second.erase(&w);
      if (vit->second.empty()) fit->second.erase(vit);
    }
    if (fit->second.empty()) kind.indexed.erase(fit);
  }
  if (kind.empty()) by_kind_.erase(kit);
}

void WatchHub::remove(uint64_t id) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  unindex(it->second);
  it->second.registered->add(-1);
  watchers_.erase(it);
}

void WatchHub::remove_closed() {
  for (uint64_t id : closed_) remove(id);
  closed_.clear();
}

void WatchHub::end_round() {
  remove_closed();
  if (flush_) flush_();
}

void WatchHub::ack(uint64_t id, size_t count) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  it->second.unacked = count > it->second.unacked ? 0 : it->second.unacked - count;
}

template <typename F>
void WatchHub::for_candidates(const Change& change, F&& f) {
  const api::Object& obj = *change.event->object;
  auto kit = by_kind_.find(&obj.type());
  if (kit == by_kind_.end()) return;
  auto& kind = kit->second;
  for (Watcher* w : kind.unindexed) f(*w);
  // An indexed watcher may see the change if the object has its value now (ADDED,
  // MODIFIED) or had it before (the object leaves its selection: DELETED).
  for (auto& [field, by_value] : kind.indexed) {
    auto now = obj.type().field(obj, field);
    std::optional<std::string> before;
    if (change.previous) before = obj.type().field(*change.previous, field);
    if (now)
      if (auto it = by_value.find(*now); it != by_value.end())
        for (Watcher* w : it->second) f(*w);
    if (before && before != now)
      if (auto it = by_value.find(*before); it != by_value.end())
        for (Watcher* w : it->second) f(*w);
  }
}

WatchEventPtr WatchHub::filter(const Selection& selection, const Change& change) {
  const auto& ev = *change.event;
  if (&ev.object->type() != &selection.type()) return nullptr;
  bool now = selection.matches(*ev.object);
  bool before = change.previous && selection.matches(*change.previous);
  auto retyped = [&](WatchEvent::Type t) {
    if (t == ev.type) return change.event;
    auto copy = std::make_shared<WatchEvent>(ev);
    copy->type = t;
    return WatchEventPtr(copy);
  };
  switch (ev.type) {
    case WatchEvent::Type::added:
      return now ? change.event : nullptr;
    case WatchEvent::Type::modified:
      if (now && before) return change.event;
      if (now) return retyped(WatchEvent::Type::added);
      if (before) return retyped(WatchEvent::Type::deleted);
      return nullptr;
    case WatchEvent::Type::deleted:
      return now || before ? change.event : nullptr;
    default:
      return nullptr;
  }
}

std::optional<std::vector<WatchEventPtr>> WatchHub::replay(const Selection& selection,
                                                           int64_t from_revision) const {
  if (from_revision < ring_floor_) return std::nullopt;
  std::vector<WatchEventPtr> out;
  for (const auto& c : ring_) {
    if (static_cast<int64_t>(c.event->revision) <= from_revision) continue;
    if (auto ev = filter(selection, c)) out.push_back(std::move(ev));
  }
  return out;
}

void WatchHub::publish(const std::vector<Change>& changes) {
  if (changes.empty()) return;
  std::vector<Watcher*> touched;
  for (const auto& c : changes) {
    auto revision = static_cast<int64_t>(c.event->revision);
    for_candidates(c, [&](Watcher& w) {
      if (revision <= w.delivered_revision) return;
      auto ev = filter(w.selection, c);
      if (!ev) return;
      if (w.pending.empty()) touched.push_back(&w);
      w.pending.push_back(std::move(ev));
    });
  }
  for (Watcher* w : touched) send(*w, std::exchange(w->pending, {}), false);
  end_round();
  for (const auto& c : changes) ring_.push_back(c);
  committed_revision_ = static_cast<int64_t>(changes.back().event->revision);
  while (ring_.size() > options_.ring_capacity) {
    ring_floor_ = static_cast<int64_t>(ring_.front().event->revision);
    ring_.pop_front();
  }
}

void WatchHub::send_bookmarks(int64_t revision) {
  // One immutable BOOKMARK per kind, shared by that kind's watchers (1000 kubelets' pod
  // watches get the same event).
  for (auto& [type, kind] : by_kind_) {
    auto obj = type->make();
    obj->metadata.resource_version = std::to_string(revision);
    auto ev = std::make_shared<WatchEvent>();
    ev->type = WatchEvent::Type::bookmark;
    ev->revision = static_cast<uint64_t>(revision);
    ev->object = api::ObjectPtr(std::move(obj));
    auto bookmark = [&](Watcher* w) {
      if (w->bookmarks) send(*w, {ev}, false);
    };
    for (Watcher* w : kind.unindexed) bookmark(w);
    for (auto& [field, by_value] : kind.indexed)
      for (auto& [value, watchers] : by_value)
        for (Watcher* w : watchers) bookmark(w);
  }
  end_round();
}

void WatchHub::deliver(uint64_t id, std::vector<WatchEventPtr> events, bool close) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  send(it->second, std::move(events), close);
  end_round();
}

void WatchHub::close_all() {
  for (auto& [id, w] : watchers_) {
    send(w, {}, true);
    w.registered->add(-1);
  }
  watchers_.clear();
  by_kind_.clear();
  closed_.clear();
  if (flush_) flush_();
}

void WatchHub::send(Watcher& w, std::vector<WatchEventPtr> events, bool close) {
  w.unacked += events.size();
  if (!close && w.unacked > options_.max_unacked) {
    // A watcher this far behind would make us hold its backlog forever: end it, it relists.
    events.push_back(expired_event("the watcher fell too far behind; relist"));
    close = true;
  }
  WatchEvents msg;
  msg.watch_id = w.id;
  msg.tag = w.tag;
  msg.events = std::move(events);
  msg.closed = close;
  w.sink(std::move(msg));
  if (close) {
    w.sink = nullptr;
    closed_.push_back(w.id);
  }
}

}  // namespace kactor::apiserver
