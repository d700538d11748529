// A group of mutations prepared on the writer thread and written atomically by Store::write.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/error.hpp"
#include "store/types.hpp"

namespace kactor::store {

class Store;

/// The result of one put/remove: the revision it was given, or why it was refused.
using Outcome = Expected<Mutation>;

/// Mutations prepared against the store's latest prepared state (see Store::begin).
///
/// put/remove/abort and destruction of an unwritten batch belong to the writer thread; the
/// batch may then be moved to another thread and handed to Store::write. Only the most
/// recently begun batch accepts mutations, so revisions inside a batch are consecutive.
/// A batch must not outlive the store it was begun on.
class Batch {
 public:
  /// A detached batch (belongs to no store; every mutation fails with `invalid`).
  Batch() = default;
  Batch(Batch&& other) noexcept;
  Batch& operator=(Batch&& other) noexcept;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  /// Dropping an unwritten batch that holds mutations is an abort() (see there).
  ~Batch();

  /// Sets `key` to `value` if `precondition` holds against the latest prepared state.
  /// Errors: already_exists (must_not_exist), not_found (must_exist / mod_revision_equals on a
  /// missing key), conflict (mod_revision_equals with another revision), invalid (empty key,
  /// batch not open), io (store failed). A refused mutation changes nothing.
  Outcome put(std::string key, std::string value, Precondition precondition = {});

  /// Deletes `key`. `last_value` is recorded as the value of the `deleted` event (watchers of
  /// a deletion receive the object's final state, which the writer may have amended).
  /// Errors: not_found (key missing), conflict, invalid (must_not_exist makes no sense here).
  Outcome remove(std::string key, std::string last_value, Precondition precondition = {});

  /// Forgets the batch without writing it. If it is still the latest begun batch its changes
  /// to the in-memory index and revision are rolled back; otherwise later batches were already
  /// prepared on top of it, which leaves a hole in the revisions: the store goes into the failed
  /// state and this returns an io error.
  Expected<void> abort();

  /// The events of the successful mutations, in revision order.
  const std::vector<Event>& events() const { return events_; }
  bool empty() const { return events_.empty(); }
  /// The writer's clock passed to Store::begin (recorded in every event).
  int64_t time_ms() const { return time_ms_; }

 private:
  friend class Store;
  Batch(Store* store, uint64_t id, int64_t time_ms) : store_(store), id_(id), time_ms_(time_ms) {}

  Store* store_ = nullptr;  ///< null once written, aborted or moved from
  uint64_t id_ = 0;         ///< begin() sequence number, to reject mutations of older batches
  int64_t time_ms_ = 0;
  int64_t key_delta_ = 0;  ///< change in the number of live keys, for Store::stats
  std::vector<Event> events_;
};

}  // namespace kactor::store
