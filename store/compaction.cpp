// Event-log compaction: dropping old events and choosing how far that may go.
#include <rocksdb/write_batch.h>

#include "store/codec.hpp"
#include "store/rocks.hpp"
#include "store/store.hpp"

namespace kactor::store {

Expected<void> Store::compact(int64_t up_to_revision) {
  std::lock_guard lock(compact_mutex_);
  if (failed_.load(std::memory_order_acquire)) return std::unexpected(refusal());
  if (up_to_revision <= compacted_revision()) return {};
  if (up_to_revision > revision()) {
    return fail(ErrorCode::invalid, "cannot compact to " + std::to_string(up_to_revision) +
                                        " beyond the store revision " + std::to_string(revision()));
  }
  // One batch: readers either see the old compacted revision with all its events, or the new
  // one (read_events checks the compacted revision in the same snapshot it scans).
  rocksdb::WriteBatch wb;
  rocksdb::Status s = wb.DeleteRange(db_->events, codec::encode_revision(0),
                                     codec::encode_revision(up_to_revision + 1));
  if (s.ok()) {
    s = wb.Put(db_->meta,
               rocksdb::Slice(codec::meta_compacted_key.data(), codec::meta_compacted_key.size()),
               codec::encode_revision(up_to_revision));
  }
  if (s.ok()) s = db_->db->Write(db_->write_options, &wb);
  if (!s.ok()) return std::unexpected(set_failed(to_error(s, "compacting")));
  compacted_.store(up_to_revision, std::memory_order_release);
  return {};
}

Expected<int64_t> Store::choose_compaction_revision(int64_t keep_count, int64_t keep_age_ms,
                                                    int64_t now_ms) const {
  if (keep_count < 0 || keep_age_ms < 0) {
    return fail(ErrorCode::invalid, "keep_count and keep_age_ms must not be negative");
  }
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
