// Watch fan-out: the registered watchers, a ring of recent committed changes for
// replay, per-watcher filtering and flow control. No CAF: events leave through
// each watcher's Sink (the actor turns it into a message).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "actors/apiserver/core.hpp"
#include "actors/apiserver/selection.hpp"

namespace kactor::apiserver {

class WatchHub {
 public:
  using Sink = std::function<void(WatchEvents&&)>;

  struct Options {
    /// Committed changes kept in memory for replay; older ones are read from the store.
    size_t ring_capacity = 10000;
    /// Events sent to a watcher and not yet acknowledged before it is ended with Expired.
    size_t max_unacked = 100000;
  };

  explicit WatchHub(Options options) : options_(options) {}

  /// Registers a watcher that has seen everything up to `delivered_revision`.
  uint64_t add(Selection selection, bool bookmarks, int64_t delivered_revision, uint64_t tag,
               Sink sink);
  void remove(uint64_t id);
  bool contains(uint64_t id) const { return watchers_.count(id) > 0; }
  /// The watcher processed `count` more events.
  void ack(uint64_t id, size_t count);

  /// The committed changes after `from_revision` that `selection` sees, from the ring;
  /// nullopt if the ring no longer reaches back that far.
  std::optional<std::vector<WatchEventPtr>> replay(const Selection& selection,
                                                   int64_t from_revision) const;
  /// Filters one change for a selection (ADDED/MODIFIED/DELETED as the selection sees it).
  static WatchEventPtr filter(const Selection& selection, const Change& change);

  /// Delivers a committed batch of changes to every watcher and remembers them.
  void publish(const std::vector<Change>& changes);
  /// Sends a BOOKMARK at `revision` to every watcher that asked for bookmarks.
  void send_bookmarks(int64_t revision);
  /// Sends one event to one watcher (initial ADDED lists, replays, errors).
  void deliver(uint64_t id, std::vector<WatchEventPtr> events, bool close = false);

  /// Ends every watch (as a restarting server would); watchers resume or relist.
  void close_all();

  int64_t committed_revision() const { return committed_revision_; }
  void set_committed_revision(int64_t r) { committed_revision_ = r; }
  size_t size() const { return watchers_.size(); }

 private:
  struct Watcher {
    Selection selection;
    bool bookmarks = false;
    int64_t delivered_revision = 0;
    size_t unacked = 0;
    uint64_t tag = 0;
    Sink sink;
  };
  void send(uint64_t id, Watcher& w, std::vector<WatchEventPtr> events, bool close);

  Options options_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Watcher> watchers_;
  std::deque<Change> ring_;
  int64_t committed_revision_ = 0;
  /// The ring holds every change with revision > ring_floor_.
  int64_t ring_floor_ = 0;
};

/// A 410 Expired event, as sent for a revision that is no longer available.
WatchEventPtr expired_event(const std::string& message);

}  // namespace kactor::apiserver
