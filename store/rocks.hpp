// Internal: the RocksDB handles behind a Store and small helpers shared by its sources.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include "store/error.hpp"
#include "store/store.hpp"

namespace kactor::store {

namespace detail {

struct Db {
  /// Only for Durability::memory: RocksDB's in-memory Env, and the Env over it that the
  /// database uses (whole_file_system.hpp). Declared first so they are destroyed after the
  /// database, the one it uses before the one below it.
  std::unique_ptr<rocksdb::Env> mem_env;
  std::unique_ptr<rocksdb::Env> whole_file_env;
  std::unique_ptr<rocksdb::DB> db;
  rocksdb::ColumnFamilyHandle* meta = nullptr;     ///< the default column family
  rocksdb::ColumnFamilyHandle* objects = nullptr;  ///< key → object
  rocksdb::ColumnFamilyHandle* events = nullptr;   ///< be64(revision) → event
  rocksdb::WriteOptions write_options;

  ~Db();
};

}  // namespace detail

using detail::Db;

inline constexpr std::string_view objects_cf_name = "objects";
inline constexpr std::string_view events_cf_name = "events";

/// Maps a non-ok RocksDB status onto our error type, prefixing what we were doing.
Error to_error(const rocksdb::Status& status, std::string_view what);

/// A RocksDB snapshot released on scope exit; reads through `options` see one point in time.
class SnapshotRead {
 public:
  explicit SnapshotRead(rocksdb::DB& db) : db_(db), snapshot_(db.GetSnapshot()) {
    options.snapshot = snapshot_;
  }
  ~SnapshotRead() { db_.ReleaseSnapshot(snapshot_); }
  SnapshotRead(const SnapshotRead&) = delete;
  SnapshotRead& operator=(const SnapshotRead&) = delete;

  rocksdb::ReadOptions options;

 private:
  rocksdb::DB& db_;
  const rocksdb::Snapshot* snapshot_;
};

/// A revision kept in the meta column family; 0 when absent (fresh store).
Expected<int64_t> read_meta_revision(const Db& db, const rocksdb::ReadOptions& options,
                                     std::string_view key);

}  // namespace kactor::store
