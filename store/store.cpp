#include "store/store.hpp"

#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include "store/codec.hpp"
#include "store/rocks.hpp"
#include "store/whole_file_system.hpp"

namespace kactor::store {
namespace {

rocksdb::Slice slice(std::string_view s) {
  return {s.data(), s.size()};
}

Expected<std::unique_ptr<Db>> open_db(const Options& options) {
  auto db = std::make_unique<Db>();
  rocksdb::Options rocks;
  rocks.create_if_missing = true;
  rocks.create_missing_column_families = true;
  // We share two cores with everything else; the defaults would spawn more.
  rocks.max_background_jobs = 2;
  rocks.keep_log_file_num = 4;
  if (options.durability == Durability::memory) {
    db->mem_env.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    db->whole_file_env = detail::whole_file_env(*db->mem_env);
    rocks.env = db->whole_file_env.get();
    // Memtables are an uncompressed copy of what the (compressed, in-memory) files will
    // hold: with RocksDB's 64 MiB per column family they were ~140 MB of a 30,000-pod
    // cluster. Small ones flush sooner; flushing to memory is cheap.
    rocks.write_buffer_size = 8 << 20;
    // The files are RAM too, compressed with RocksDB's default Snappy. ZSTD packed them
    // tighter (−40 MB of ~1 GB peak RSS at 30,000 pods in bench/run density) but cost a fifth
    // of the throughput (1,100 against 1,400 pods/s, p99 +30 %, runs alternated on 2 cores,
    // bench/README.md): its flushes and compactions compete with the cluster for the cores.
    // Files of 8 MiB (RocksDB's default is 64): a file being written is held twice, in its
    // writer and in the file handed over (whole_file_system.hpp).
    rocks.target_file_size_base = 8 << 20;
  }
  switch (options.durability) {
    case Durability::sync:
      db->write_options.sync = true;
      break;
    case Durability::async:
      break;
    case Durability::memory:
      // The WAL would only be another in-memory copy that nobody can ever recover from.
      db->write_options.disableWAL = true;
      break;
  }

  rocksdb::ColumnFamilyOptions cf_options(rocks);
  rocksdb::ColumnFamilyOptions objects_options = cf_options;
  if (options.durability == Durability::memory) {
    // Every update of an object rewrites its key somewhere in the objects' level 1, which
    // holds them all: each compaction from level 0 rewrites that whole level. At 150,000 pods
    // (~250 MB of level 1) those compactions took ~52 s of CPU in a ~2 minute run
    // (bench/README.md). Waiting for four times the level-0 files before compacting does a
    // quarter of them, for ~20 MB more of (compressed) level-0 files; reads of this column
    // family are rare (the API server serves from its own tables).
    objects_options.level0_file_num_compaction_trigger = 16;
    objects_options.level0_slowdown_writes_trigger = 32;
    objects_options.level0_stop_writes_trigger = 48;
    // And a level 1 of 64 MiB instead of 256: a compaction into level 1 rewrites it whole,
    // and the old level and the new one are both in memory until it ends. Beyond 64 MiB the
    // objects go on to level 2, which each compaction rewrites a slice at a time (the key
    // range of one level-1 file). At 150,000 pods peak RSS went down ~120 MB (bench/README.md).
    objects_options.max_bytes_for_level_base = 64 << 20;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, cf_options},
      {std::string(objects_cf_name), objects_options},
      {std::string(events_cf_name), cf_options},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(rocks, options.path, families, &handles, &raw);
  if (!s.ok()) return std::unexpected(to_error(s, "opening store at " + options.path));
  db->db.reset(raw);
  db->meta = handles.at(0);
  db->objects = handles.at(1);
  db->events = handles.at(2);
  return db;
}

}  // namespace

Expected<std::unique_ptr<Store>> Store::open(Options options) {
  if (options.durability == Durability::memory) {
    // The in-memory Env cannot resolve relative paths; the path is only a name there anyway.
    if (!options.path.starts_with('/')) options.path = "/kactor-memory/" + options.path;
  } else if (options.path.empty()) {
    return fail(ErrorCode::invalid, "store path must not be empty");
  }
  auto db = open_db(options);
  if (!db) return std::unexpected(db.error());
  std::unique_ptr<Store> store(new Store(std::move(*db), std::move(options)));
  Db& d = *store->db_;

  // One snapshot so meta, objects and events are read at the same point.
  SnapshotRead read(*d.db);
  std::string format;
  rocksdb::Status s = d.db->Get(read.options, d.meta, slice(codec::meta_format_key), &format);
  if (s.IsNotFound()) {
    std::unique_ptr<rocksdb::Iterator> any(d.db->NewIterator(read.options, d.objects));
    any->SeekToFirst();
    if (any->Valid()) return fail(ErrorCode::corruption, "store has objects but no format marker");
    if (!any->status().ok()) return std::unexpected(to_error(any->status(), "scanning objects"));
    // A fresh store: mark it, so a later open can tell "empty" from "meta lost".
    format = std::string(1, static_cast<char>(codec::format_version));
    rocksdb::Status put = d.db->Put(d.write_options, d.meta, slice(codec::meta_format_key), format);
    if (!put.ok()) return std::unexpected(to_error(put, "writing format marker"));
  } else if (!s.ok()) {
    return std::unexpected(to_error(s, "reading format marker"));
  } else if (format.size() != 1 || static_cast<uint8_t>(format[0]) != codec::format_version) {
    return fail(ErrorCode::corruption, "unsupported store format");
  }

  auto revision = read_meta_revision(d, read.options, codec::meta_revision_key);
  if (!revision) return std::unexpected(revision.error());
  auto compacted = read_meta_revision(d, read.options, codec::meta_compacted_key);
  if (!compacted) return std::unexpected(compacted.error());
  if (*compacted > *revision) {
    return fail(ErrorCode::corruption, "compacted revision " + std::to_string(*compacted) +
                                           " is beyond revision " + std::to_string(*revision));
  }

  std::unique_ptr<rocksdb::Iterator> it(d.db->NewIterator(read.options, d.objects));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto object = codec::decode_object(std::string_view(it->value().data(), it->value().size()));
    if (!object || object->create_revision > object->mod_revision ||
        object->mod_revision > *revision || object->create_revision <= 0) {
      return fail(ErrorCode::corruption, "bad object record for key " + it->key().ToString());
    }
    store->index_.emplace(it->key().ToString(),
                          IndexEntry{object->create_revision, object->mod_revision});
  }
  if (!it->status().ok()) return std::unexpected(to_error(it->status(), "loading index"));

  // The last event must be the current revision (they are written in the same batch).
  std::unique_ptr<rocksdb::Iterator> last(d.db->NewIterator(read.options, d.events));
  last->SeekToLast();
  if (!last->status().ok()) return std::unexpected(to_error(last->status(), "scanning events"));
  int64_t last_event = *compacted;
  if (last->Valid()) {
    auto rev = codec::decode_revision(std::string_view(last->key().data(), last->key().size()));
    if (!rev) return fail(ErrorCode::corruption, "undecodable event key");
    last_event = *rev;
  }
  if (last_event != *revision) {
    return fail(ErrorCode::corruption, "event log ends at " + std::to_string(last_event) +
                                           " but the store revision is " +
                                           std::to_string(*revision));
  }

  store->prepared_revision_ = *revision;
  store->revision_.store(*revision);
  store->compacted_.store(*compacted);
  store->committed_keys_.store(static_cast<int64_t>(store->index_.size()));

  // Count this open, durably before anyone can act on it (even with async durability), so
  // that no two opens of one store ever see the same number.
  auto opened = read_meta_revision(d, read.options, codec::meta_open_count_key);
  if (!opened) return std::unexpected(opened.error());
  rocksdb::WriteOptions count_options = d.write_options;
  if (store->options_.durability != Durability::memory) count_options.sync = true;
  rocksdb::Status counted = d.db->Put(count_options, d.meta, slice(codec::meta_open_count_key),
                                      codec::encode_revision(*opened + 1));
  if (!counted.ok()) return std::unexpected(to_error(counted, "writing the open count"));
  store->open_count_ = *opened + 1;
  return store;
}

Store::Store(std::unique_ptr<Db> db, Options options)
    : db_(std::move(db)), options_(std::move(options)) {}

Store::~Store() = default;

Batch Store::begin(int64_t now_ms) {
  return Batch(this, ++open_batch_id_, now_ms);
}

Expected<void> Store::write(Batch&& batch) {
  std::vector<Batch> group;
  group.push_back(std::move(batch));
  return write(std::move(group));
}

Expected<void> Store::write(std::vector<Batch>&& batches) {
  for (const Batch& b : batches) {
    if (b.store_ != this) {
      return fail(ErrorCode::invalid, b.store_ == nullptr
                                          ? "batch was already written, aborted or never begun"
                                          : "batch belongs to another store");
    }
  }
  // From here on the batches are consumed whatever happens: their revisions are either written
  // or the store fails, so their destructors must not try to roll them back.
  std::vector<Batch> owned = std::move(batches);
  batches.clear();
  int64_t key_delta = 0;
  for (Batch& b : owned) {
    b.store_ = nullptr;
    key_delta += b.key_delta_;
  }

  std::lock_guard lock(write_mutex_);
  if (failed_.load(std::memory_order_acquire)) return std::unexpected(refusal());
  int64_t committed = revision_.load(std::memory_order_relaxed);
  int64_t last = committed;
  rocksdb::WriteBatch wb;
  rocksdb::Status s;
  for (const Batch& b : owned) {
    if (b.events_.empty()) continue;
    if (b.events_.front().revision != last + 1) {
      return std::unexpected(set_failed(Error{
          ErrorCode::invalid, "batch with revisions " + std::to_string(b.events_.front().revision) +
                                  ".." + std::to_string(b.events_.back().revision) +
                                  " written after revision " + std::to_string(last) +
                                  " (batches out of order)"}));
    }
    for (const Event& e : b.events_) {
      if (e.type == EventType::deleted) {
        s = wb.Delete(db_->objects, e.key);
      } else {
        s = wb.Put(db_->objects, e.key,
                   codec::encode_object(e.create_revision, e.revision, e.value));
      }
      if (s.ok()) {
        s = wb.Put(db_->events, codec::encode_revision(e.revision), codec::encode_event(e));
      }
      if (!s.ok()) return std::unexpected(set_failed(to_error(s, "building write batch")));
    }
    last = b.events_.back().revision;
  }
  if (last == committed) return {};  // only empty batches

  s = wb.Put(db_->meta, slice(codec::meta_revision_key), codec::encode_revision(last));
  if (s.ok()) s = db_->db->Write(db_->write_options, &wb);
  if (!s.ok()) return std::unexpected(set_failed(to_error(s, "writing batch")));

  committed_keys_.fetch_add(key_delta, std::memory_order_relaxed);
  revision_.store(last, std::memory_order_release);
  return {};
}

Expected<std::optional<Record>> Store::get(std::string_view key) const {
  std::string bytes;
  rocksdb::Status s = db_->db->Get(rocksdb::ReadOptions(), db_->objects, slice(key), &bytes);
  if (s.IsNotFound()) return std::optional<Record>();
  if (!s.ok()) return std::unexpected(to_error(s, "reading " + std::string(key)));
  auto object = codec::decode_object(bytes);
  if (!object) return fail(ErrorCode::corruption, "bad object record for key " + std::string(key));
  return Record{std::string(key), std::string(object->value), object->create_revision,
                object->mod_revision};
}

Expected<RangeResult> Store::range(std::string_view prefix, std::string_view start_after_key,
                                   size_t limit) const {
  SnapshotRead read(*db_->db);
  RangeResult result;
  auto revision = read_meta_revision(*db_, read.options, codec::meta_revision_key);
  if (!revision) return std::unexpected(revision.error());
  result.revision = *revision;

  std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(read.options, db_->objects));
  bool resume = !start_after_key.empty() && start_after_key >= prefix;
  it->Seek(slice(resume ? start_after_key : prefix));
  if (resume && it->Valid() && it->key() == slice(start_after_key)) it->Next();
  for (; it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (!key.starts_with(prefix)) break;
    if (limit != 0 && result.records.size() == limit) {
      result.more = true;
      break;
    }
    auto object = codec::decode_object(std::string_view(it->value().data(), it->value().size()));
    if (!object)
      return fail(ErrorCode::corruption, "bad object record for key " + std::string(key));
    result.records.push_back(Record{std::string(key), std::string(object->value),
                                    object->create_revision, object->mod_revision});
  }
  if (!it->status().ok()) return std::unexpected(to_error(it->status(), "range read"));
  return result;
}

Expected<std::vector<Event>> Store::read_events(int64_t after_revision, size_t limit) const {
  if (after_revision < 0) return fail(ErrorCode::invalid, "negative revision");
  // compact() cannot drop files while we scan, and we check against the compacted revision of
  // the snapshot we scan.
  std::shared_lock lock(events_mutex_);
  SnapshotRead read(*db_->db);
  auto compacted = read_meta_revision(*db_, read.options, codec::meta_compacted_key);
  if (!compacted) return std::unexpected(compacted.error());
  if (after_revision < *compacted) {
    return fail(ErrorCode::expired, "revision " + std::to_string(after_revision) +
                                        " is older than the compacted revision " +
                                        std::to_string(*compacted));
  }

  std::vector<Event> events;
  std::unique_ptr<rocksdb::Iterator> it(db_->db->NewIterator(read.options, db_->events));
  int64_t expected = after_revision + 1;
  for (it->Seek(codec::encode_revision(expected)); it->Valid(); it->Next()) {
    if (limit != 0 && events.size() == limit) break;
    auto rev = codec::decode_revision(std::string_view(it->key().data(), it->key().size()));
    if (!rev || *rev != expected) {
      return fail(ErrorCode::corruption, "event log has a hole at " + std::to_string(expected));
    }
    auto event =
        codec::decode_event(*rev, std::string_view(it->value().data(), it->value().size()));
    if (!event) return fail(ErrorCode::corruption, "bad event " + std::to_string(*rev));
    events.push_back(std::move(*event));
    ++expected;
  }
  if (!it->status().ok()) return std::unexpected(to_error(it->status(), "reading events"));
  return events;
}

Stats Store::stats() const {
  Stats stats;
  stats.keys = committed_keys_.load(std::memory_order_relaxed);
  stats.revision = revision();
  stats.compacted_revision = compacted_revision();
  stats.events = stats.revision - stats.compacted_revision;
  return stats;
}

std::optional<Error> Store::failure() const {
  std::lock_guard lock(failure_mutex_);
  return failure_;
}

Error Store::set_failed(Error error) {
  std::lock_guard lock(failure_mutex_);
  if (!failure_) {
    failure_ = error;
    failed_.store(true, std::memory_order_release);
  }
  return error;
}

Error Store::refusal() const {
  std::lock_guard lock(failure_mutex_);
  return Error{ErrorCode::io, "store failed (reopen it): " + (failure_ ? failure_->message : "")};
}

}  // namespace kactor::store
