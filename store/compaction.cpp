// Event-log compaction: dropping old events and choosing how far that may go.
#include <rocksdb/convenience.h>

#include "store/codec.hpp"
#include "store/rocks.hpp"
#include "store/store.hpp"

namespace kactor::store {

Expected<void> Store::compact(int64_t up_to_revision) {
  std::unique_lock lock(events_mutex_);
  if (failed_.load(std::memory_order_acquire)) return std::unexpected(refusal());
  if (up_to_revision <= compacted_revision()) return {};
  if (up_to_revision > revision()) {
    return fail(ErrorCode::invalid, "cannot compact to " + std::to_string(up_to_revision) +
                                        " beyond the store revision " + std::to_string(revision()));
  }
  // The new floor first: from here on nobody reads an event at or below it (read_events and
  // choose_compaction_revision start above it), so what is left of those events is only
  // space, never an answer.
  rocksdb::Status s = db_->db->Put(
      db_->write_options,
      rocksdb::Slice(codec::meta_compacted_key.data(), codec::meta_compacted_key.size()),
      codec::encode_revision(up_to_revision));
  if (!s.ok()) return std::unexpected(set_failed(to_error(s, "compacting")));
  compacted_.store(up_to_revision, std::memory_order_release);

  // Then the space: drop the files that hold nothing but such events. No DeleteRange: its
  // tombstone starts at the oldest event, so every file flushed with it overlapped the whole
  // next level and each of RocksDB's compactions rewrote that level (write amplification 16
  // in bench/run density). Without it the log's keys only grow, and RocksDB moves its files
  // down without rewriting them. A file that straddles the floor stays until a later
  // compaction covers it whole, as do level-0 files (DeleteFilesInRange leaves them) until
  // RocksDB moves them down. Readers hold events_mutex_ shared, so no scan loses a file
  // under its snapshot.
  const std::string begin = codec::encode_revision(0);
  const std::string end = codec::encode_revision(up_to_revision + 1);
  const rocksdb::Slice begin_slice(begin), end_slice(end);
  s = rocksdb::DeleteFilesInRange(db_->db.get(), db_->events, &begin_slice, &end_slice,
                                  /*include_end=*/false);
  if (!s.ok()) return std::unexpected(to_error(s, "dropping compacted event files"));
  return {};
}

Expected<int64_t> Store::choose_compaction_revision(int64_t keep_count, int64_t keep_age_ms,
                                                    int64_t now_ms) const {
  if (keep_count < 0 || keep_age_ms < 0) {
    return fail(ErrorCode::invalid, "keep_count and keep_age_ms must not be negative");
  }
  std::shared_lock lock(events_mutex_);
  SnapshotRead read(*db_->db);
  auto compacted = read_meta_revision(*db_, read.options, codec::meta_compacted_key);
  if (!compacted) return std::unexpected(compacted.error());
  auto revision = read_meta_revision(*db_, read.options, codec::meta_revision_key);
  if (!revision) return std::unexpected(revision.error());

  int64_t chosen = *compacted;
  int64_t by_count = *revision - keep_count;
  if (by_count <= chosen) return chosen;
  // Nothing is too young to go: no need to read the events (a bounded log compacts often,
  // and reading tens of thousands of events held up the writes queued behind this).
  if (keep_age_ms == 0) return by_count;
  // Walk from the oldest event; stop at the first one still young enough to keep, so
  // everything after it survives too even if the writer's clock ever stepped back.
  std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(read.options, db_->events));
  for (it->Seek(codec::encode_revision(chosen + 1)); it->Valid(); it->Next()) {
    auto rev = codec::decode_revision(std::string_view(it->key().data(), it->key().size()));
    if (!rev) return fail(ErrorCode::corruption, "undecodable event key");
    if (*rev > by_count) break;
    auto event =
        codec::decode_event(*rev, std::string_view(it->value().data(), it->value().size()));
    if (!event) return fail(ErrorCode::corruption, "bad event " + std::to_string(*rev));
    if (now_ms - event->time_ms < keep_age_ms) break;
    chosen = *rev;
  }
  if (!it->status().ok()) return std::unexpected(to_error(it->status(), "scanning events"));
  return chosen;
}

}  // namespace kactor::store
