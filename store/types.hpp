// Plain value types of the store's public API: options, preconditions, records, events.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kactor::store {

/// How hard an acknowledged write is protected.
enum class Durability {
  sync,    ///< every acknowledged write has been fsynced (survives power loss)
  async,   ///< written to the WAL without fsync (survives a process crash, not an OS crash)
  memory,  ///< RocksDB's in-memory Env: nothing touches the disk, everything is lost on close
};

struct Options {
  /// Directory of the database (its parent must exist). For Durability::memory only a name.
  std::string path;
  Durability durability = Durability::sync;
};

/// What a mutation requires of the key's current (latest prepared) state.
struct Precondition {
  enum class Kind : uint8_t { none, must_not_exist, must_exist, mod_revision_equals };
  Kind kind = Kind::none;
  int64_t revision = 0;  ///< only for mod_revision_equals

  static constexpr Precondition none() { return {}; }
  static constexpr Precondition must_not_exist() { return {Kind::must_not_exist, 0}; }
  static constexpr Precondition must_exist() { return {Kind::must_exist, 0}; }
  static constexpr Precondition mod_revision_equals(int64_t rev) {
    return {Kind::mod_revision_equals, rev};
  }
};

/// A live key as committed to the store.
struct Record {
  std::string key;
  std::string value;
  int64_t create_revision = 0;  ///< revision of the event that created this incarnation
  int64_t mod_revision = 0;     ///< revision of the last event that changed it
  bool operator==(const Record&) const = default;
};

enum class EventType : uint8_t { created = 1, modified = 2, deleted = 3 };

/// "created", "modified", "deleted".
std::string_view to_string(EventType type);

/// One entry of the event log; every successful mutation produces exactly one.
struct Event {
  int64_t revision = 0;
  EventType type = EventType::created;
  std::string key;
  /// The new value; for `deleted` the last value the writer passed to remove().
  std::string value;
  /// create_revision of the object the event belongs to (for watchers rebuilding records).
  int64_t create_revision = 0;
  /// mod_revision before this event; 0 for `created`.
  int64_t prev_mod_revision = 0;
  /// The writer's clock when the batch was begun (drives age-based compaction).
  int64_t time_ms = 0;
  bool operator==(const Event&) const = default;
};

/// What a successful put/remove did.
struct Mutation {
  int64_t revision = 0;           ///< the revision this mutation was given
  int64_t create_revision = 0;    ///< the object's create_revision (== revision when created)
  int64_t prev_mod_revision = 0;  ///< 0 when the key did not exist before
  EventType type = EventType::created;
};

/// One page of a range read.
struct RangeResult {
  std::vector<Record> records;
  /// True when keys with the prefix follow the last record (continue after records.back().key).
  bool more = false;
  /// The store revision the page was read at (all records are consistent with it).
  int64_t revision = 0;
};

/// Cheap counters (from memory, no disk reads).
struct Stats {
  int64_t keys = 0;    ///< live keys (committed)
  int64_t events = 0;  ///< events in the log (revision - compacted_revision)
  int64_t revision = 0;
  int64_t compacted_revision = 0;
};

}  // namespace kactor::store
