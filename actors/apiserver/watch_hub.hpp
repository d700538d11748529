// Watch fan-out: the registered watchers, a ring of recent committed changes for
// replay, per-watcher filtering and flow control. No CAF: events leave through
// each watcher's Sink (the actor turns it into a message).
//
// Watchers are grouped by kind, and a watcher whose field selector pins a field to one
// value (a kubelet's `spec.nodeName=node-7`) is indexed by that value: a change is
// filtered only against the watchers that can see it, not against every watcher. With
// 1000 kubelets, a pod change costs a few lookups instead of 1000 selector checks.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/apiserver/core.hpp"
#include "actors/apiserver/selection.hpp"

namespace kactor::telemetry {
class Gauge;
}

namespace kactor::apiserver {

class WatchHub {
 public:
  using Sink = std::function<void(WatchEvents&&)>;

  struct Options {
    /// Committed changes kept in memory for replay; older ones are read from the store.
    size_t ring_capacity = 10000;
    /// Events sent to a watcher and not yet acknowledged before it is ended with Expired.
    /// Informers and the HTTP API's watches acknowledge once 32 or more events have built
    /// up: keep this far above that, or a watcher that keeps up is ended too.
    size_t max_unacked = 100000;
  };

  explicit WatchHub(Options options) : options_(options) {}
  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;
  /// Takes its watchers out of apiserver_registered_watchers.
  ~WatchHub();

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

  /// Runs at the end of every round of delivery (publish, send_bookmarks, deliver,
  /// close_all): sinks that collect events instead of sending them send them here.
  void set_flush(std::function<void()> flush) { flush_ = std::move(flush); }

  int64_t committed_revision() const { return committed_revision_; }
  void set_committed_revision(int64_t r) { committed_revision_ = r; }
  size_t size() const { return watchers_.size(); }

 private:
  struct Watcher {
    uint64_t id = 0;
    Selection selection;
    bool bookmarks = false;
    /// Changes up to this revision reached the watcher another way (its initial list).
    int64_t delivered_revision = 0;
    size_t unacked = 0;
    uint64_t tag = 0;
    Sink sink;
    /// The `field=value` term it is indexed by; empty field: not indexed.
    std::string index_field;
    std::string index_value;
    /// Events collected for it during one publish().
    std::vector<WatchEventPtr> pending;
    /// apiserver_registered_watchers of its kind (counts it while registered).
    telemetry::Gauge* registered = nullptr;
  };
  /// The watchers of one kind: indexed ones by field, then value; the rest in a set.
  struct KindWatchers {
    std::set<Watcher*> unindexed;
    std::map<std::string, std::unordered_map<std::string, std::set<Watcher*>>> indexed;
    bool empty() const { return unindexed.empty() && indexed.empty(); }
  };
  void send(Watcher& w, std::vector<WatchEventPtr> events, bool close);
  /// The kind's apiserver_registered_watchers series.
  telemetry::Gauge& registered_gauge(const api::TypeInfo& type);
  void unindex(Watcher& w);
  /// Removes the watchers whose sink send() dropped (closed by flow control).
  void remove_closed();
  /// The end of a round of delivery: closed watchers go, collected events leave.
  void end_round();
  /// Calls `f(watcher)` once for every watcher that may see `change`.
  template <typename F>
  void for_candidates(const Change& change, F&& f);

  Options options_;
  uint64_t next_id_ = 1;
  // Node-based: indexes hold pointers to the watchers.
  std::unordered_map<uint64_t, Watcher> watchers_;
  std::unordered_map<const api::TypeInfo*, KindWatchers> by_kind_;
  std::unordered_map<const api::TypeInfo*, telemetry::Gauge*> registered_gauges_;
  std::vector<uint64_t> closed_;
  std::function<void()> flush_;
  std::deque<Change> ring_;
  int64_t committed_revision_ = 0;
  /// The ring holds every change with revision > ring_floor_.
  int64_t ring_floor_ = 0;
};

/// A 410 Expired event, as sent for a revision that is no longer available.
WatchEventPtr expired_event(const std::string& message);

}  // namespace kactor::apiserver
