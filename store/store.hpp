// The RocksDB-backed versioned key/value store with an event log (see store/README.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/batch.hpp"
#include "store/error.hpp"
#include "store/types.hpp"

namespace kactor::store {

namespace detail {
struct Db;  ///< RocksDB handles (store/rocks.hpp), kept out of this header
}  // namespace detail

/// A bytes-level key/value store where every mutation gets the next global revision and an
/// entry in an event log (the basis of resourceVersion, list-at-revision and watch).
///
/// Threads: one writer thread calls begin() and mutates batches; write() may run on another
/// (I/O) thread, so fsync stays off the writer; reads, compaction and stats are safe from any
/// thread and see committed data only.
///
/// Failed state: if writing a batch fails, or batches are written out of order, or a batch is
/// dropped after later ones were prepared on top of it, the in-memory index is ahead of the
/// disk and cannot be trusted. The store then refuses every further mutation and write (io
/// error carrying the first failure) until it is reopened; reads keep working.
class Store {
 public:
  /// Opens (creating if missing) the store and loads the index of live keys.
  static Expected<std::unique_ptr<Store>> open(Options options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // -- writer thread --

  /// Starts a batch whose events carry `now_ms`. Closes the previously begun batch for
  /// mutations (it can still be written).
  Batch begin(int64_t now_ms);
  /// The revision of the last prepared mutation (>= revision()).
  int64_t prepared_revision() const { return prepared_revision_; }

  // -- any thread --

  /// Writes the batch atomically with the configured durability. Batches must be written in
  /// the order they were begun; an empty batch is a no-op. On failure the store fails.
  Expected<void> write(Batch&& batch);
  /// Group commit: writes consecutive batches (in begin order) as one atomic RocksDB write,
  /// so one fsync covers them all. Empty batches are skipped.
  Expected<void> write(std::vector<Batch>&& batches);

  /// The committed record of `key`, if live.
  Expected<std::optional<Record>> get(std::string_view key) const;

  /// Up to `limit` (0 = all) records whose keys start with `prefix` and sort after
  /// `start_after_key` (empty = from the start), read from one consistent snapshot.
  Expected<RangeResult> range(std::string_view prefix, std::string_view start_after_key,
                              size_t limit) const;

  /// The revision of the last written mutation (0 for an empty store).
  int64_t revision() const { return revision_.load(std::memory_order_acquire); }
  /// Events up to and including this revision have been dropped from the log.
  int64_t compacted_revision() const { return compacted_.load(std::memory_order_acquire); }

  /// Up to `limit` (0 = all) events with revision > after_revision, in order. Error `expired`
  /// when after_revision < compacted_revision() (the events needed are gone).
  Expected<std::vector<Event>> read_events(int64_t after_revision, size_t limit) const;

  /// Drops the events with revision <= up_to_revision and persists the compacted revision.
  /// No-op if already compacted that far; `invalid` beyond revision().
  Expected<void> compact(int64_t up_to_revision);

  /// The highest revision compact() may be given so that at least the last `keep_count`
  /// events and every event younger than `keep_age_ms` (by its recorded time) survive.
  /// Returns compacted_revision() when nothing may go.
  Expected<int64_t> choose_compaction_revision(int64_t keep_count, int64_t keep_age_ms,
                                               int64_t now_ms) const;

  Stats stats() const;

  /// How many times this store has been opened, this open included (1 for a fresh store).
  /// Persisted durably by open(), so every open of a data directory gets a number no earlier
  /// open had: what a component needs to make identifiers unique across restarts (the API
  /// server derives each start's UID stream from it).
  int64_t open_count() const { return open_count_; }

  /// The error that put the store into the failed state, if any.
  std::optional<Error> failure() const;

 private:
  friend class Batch;
  struct IndexEntry {
    int64_t create_revision = 0;
    int64_t mod_revision = 0;
  };

  Store(std::unique_ptr<detail::Db> db, Options options);
  Outcome prepare_put(Batch& batch, std::string key, std::string value, Precondition pre);
  Outcome prepare_remove(Batch& batch, std::string key, std::string last_value, Precondition pre);
  Outcome record(Batch& batch, EventType type, std::string key, std::string value,
                 const IndexEntry* before);
  Expected<void> abort(Batch& batch);
  Expected<void> check_writable(const Batch& batch) const;
  /// Enters the failed state (keeping the first reason) and returns the error to report.
  Error set_failed(Error error);
  /// The io error returned for any mutation or write once the store has failed.
  Error refusal() const;

  std::unique_ptr<detail::Db> db_;
  Options options_;

  // Writer-thread state: the latest prepared view.
  std::unordered_map<std::string, IndexEntry> index_;
  int64_t prepared_revision_ = 0;
  uint64_t open_batch_id_ = 0;

  // Committed state, shared between threads.
  std::atomic<int64_t> revision_{0};
  std::atomic<int64_t> compacted_{0};
  std::atomic<int64_t> committed_keys_{0};
  std::mutex write_mutex_;    ///< serializes write() so order check and Write are one step
  /// compact() holds it exclusively, readers of the event log shared: compact() deletes
  /// files, which a snapshot does not protect.
  mutable std::shared_mutex events_mutex_;

  int64_t open_count_ = 0;  ///< set once by open()

  std::atomic<bool> failed_{false};
  mutable std::mutex failure_mutex_;
  std::optional<Error> failure_;
};

}  // namespace kactor::store
