#include "actors/apiserver/watch_hub.hpp"

namespace kactor::apiserver {

WatchEventPtr expired_event(const std::string& message) {
  auto ev = std::make_shared<WatchEvent>();
  ev->type = WatchEvent::Type::error;
  ev->error = api::expired(message);
  return ev;
}

uint64_t WatchHub::add(Selection selection, bool bookmarks, int64_t delivered_revision,
                       uint64_t tag, Sink sink) {
  uint64_t id = next_id_++;
  watchers_.emplace(id, Watcher{std::move(selection), bookmarks, delivered_revision, 0, tag,
                                std::move(sink)});
  return id;
}

void WatchHub::remove(uint64_t id) { watchers_.erase(id); }

void WatchHub::ack(uint64_t id, size_t count) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  it->second.unacked = count > it->second.unacked ? 0 : it->second.unacked - count;
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
  for (auto& [id, w] : watchers_) {
    std::vector<WatchEventPtr> mine;
    for (const auto& c : changes) {
      if (static_cast<int64_t>(c.event->revision) <= w.delivered_revision) continue;
      if (auto ev = filter(w.selection, c)) mine.push_back(std::move(ev));
    }
    w.delivered_revision = static_cast<int64_t>(changes.back().event->revision);
    if (!mine.empty()) send(id, w, std::move(mine), false);
  }
  // Watchers ended by flow control are removed after the loop.
  std::erase_if(watchers_, [](const auto& kv) { return !kv.second.sink; });
  for (const auto& c : changes) ring_.push_back(c);
  committed_revision_ = static_cast<int64_t>(changes.back().event->revision);
  while (ring_.size() > options_.ring_capacity) {
    ring_floor_ = static_cast<int64_t>(ring_.front().event->revision);
    ring_.pop_front();
  }
}

void WatchHub::send_bookmarks(int64_t revision) {
  for (auto& [id, w] : watchers_) {
    if (!w.bookmarks) continue;
    auto obj = w.selection.type().make();
    obj->metadata.resource_version = std::to_string(revision);
    auto ev = std::make_shared<WatchEvent>();
    ev->type = WatchEvent::Type::bookmark;
    ev->revision = static_cast<uint64_t>(revision);
    ev->object = api::ObjectPtr(std::move(obj));
    send(id, w, {std::move(ev)}, false);
  }
  std::erase_if(watchers_, [](const auto& kv) { return !kv.second.sink; });
}

void WatchHub::deliver(uint64_t id, std::vector<WatchEventPtr> events, bool close) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  send(id, it->second, std::move(events), close);
  if (!it->second.sink) watchers_.erase(it);
}

void WatchHub::close_all() {
  for (auto& [id, w] : watchers_) send(id, w, {}, true);
  watchers_.clear();
}

void WatchHub::send(uint64_t id, Watcher& w, std::vector<WatchEventPtr> events, bool close) {
  w.unacked += events.size();
  if (!close && w.unacked > options_.max_unacked) {
    // A watcher this far behind would make us hold its backlog forever: end it, it relists.
    events.push_back(expired_event("the watcher fell too far behind; relist"));
    close = true;
  }
  WatchEvents msg;
  msg.watch_id = id;
  msg.tag = w.tag;
  msg.events = std::move(events);
  msg.closed = close;
  w.sink(std::move(msg));
  if (close) w.sink = nullptr;
}

}  // namespace kactor::apiserver
