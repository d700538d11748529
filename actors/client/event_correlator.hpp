// What becomes of an Event before it is written, as client-go's event correlator
// decides: similar events about one object are combined, repeats only bump the count of
// the event already written, and a source that reports too much about one object is
// throttled. Without it, a ReplicationController creating 30,000 pods would write
// 30,000 "SuccessfulCreate" Events. Plain data, no CAF: the EventRecorder owns one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/time/clock.hpp"
#include "api/types/event.hpp"

namespace kactor::client {

struct EventCorrelatorOptions {
  /// Entries each of the three caches keeps (least recently used go first).
  size_t cache_size = 4096;
  /// Events one source may write about one object at once, and the refill rate
  /// (one per 5 minutes).
  double spam_burst = 25;
  double spam_qps = 1.0 / 300.0;
  /// Events differing only in their message: from the 10th within 10 minutes on they are
  /// written as one "(combined from similar events): ..." event.
  size_t aggregate_max_events = 10;
  Duration aggregate_interval = std::chrono::minutes(10);
};

class EventCorrelator {
 public:
  enum class Action { drop, create, patch };
  struct Result {
    Action action = Action::drop;
    /// For create: the whole event. For patch: the event already written (its name), with
    /// the new count, lastTimestamp and message.
    api::Event event;
  };

  explicit EventCorrelator(EventCorrelatorOptions options = {}) : options_(options) {}

  /// `event` comes with its source, involved object, type, reason, message, name and
  /// timestamps set for `now`. A patch may reach the API server before the create it
  /// follows was answered: requests from one actor arrive in order, so the create is
  /// applied first.
  Result correlate(api::Event event, TimePoint now);

 private:
  /// A cache key: two independent 64-bit hashes of the key string. Client-go keeps the
  /// strings (source, object, reason, message: ~200 bytes each, three caches of 4,096 per
  /// recorder); one recorder per kubelet made that ~3 KB per pod at density. Two keys meet by
  /// chance with probability ~2^-128 per pair, far below anything observable.
  struct Key {
    uint64_t a = 0, b = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    // noexcept, so the map's nodes do not also cache the hash (libstdc++).
    size_t operator()(const Key& k) const noexcept { return k.a; }
  };
  static Key key_of(std::string_view text);

  /// At most `capacity` entries, the least recently used going first. One allocation per
  /// entry: the map's node holds the value and the links of the recency list (a std::list
  /// beside the map cost a second node, ~50 bytes more per entry, with ~8 entries per pod in
  /// a kubelet's correlator).
  template <class V>
  class Lru {
   public:
    explicit Lru(size_t capacity) : capacity_(capacity) {}
    Lru(const Lru&) = delete;  // the links point into the map
    Lru& operator=(const Lru&) = delete;
    V* find(const Key& key);
    V& put(const Key& key, V value);

   private:
    struct Node;
    using Entry = std::pair<const Key, Node>;  // the map's value_type
    struct Node {
      V value;
      Entry* newer = nullptr;
      Entry* older = nullptr;
    };
    using Map = std::unordered_map<Key, Node, KeyHash>;
    void unlink(Entry& e);
    void push_newest(Entry& e);

    size_t capacity_;
    Map map_;  // its nodes do not move when it rehashes
    Entry* newest_ = nullptr;
    Entry* oldest_ = nullptr;
  };
  struct Aggregate {
    /// Hashes of the distinct messages seen, sorted; at most aggregate_max_events. A vector:
    /// nearly every entry holds one, and a std::set cost ~55 bytes more per entry (four
    /// entries per pod in a kubelet's correlator).
    std::vector<uint64_t> messages;
    TimePoint last{};
  };
  struct Observed {
    int32_t count = 0;
    api::Time first_timestamp;
    std::string name;
  };
  struct Bucket {
    double tokens = 0;
    TimePoint last{};
  };

  EventCorrelatorOptions options_;
  Lru<Aggregate> aggregates_{options_.cache_size};
  Lru<Observed> observed_{options_.cache_size};
  Lru<Bucket> buckets_{options_.cache_size};
};

}  // namespace kactor::client
