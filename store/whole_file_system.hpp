// Internal: the in-memory store's file system, which hands each file's bytes to RocksDB's
// in-memory file in one piece.
//
// RocksDB's in-memory Env (NewMemEnv) keeps a file in one std::string that grows as the file
// is written, doubling its capacity each time it fills: a table file of 8 MiB ends in a
// 15.7 MB buffer, up to half of it empty. In a heap profile of `bench_density --nodes 5000
// --pods 150000` those buffers were 860 of the 2,300 MB at the peak (bench/README.md). The
// writable files of this file system keep what is written until the file is synced or closed
// and then pass it on in one append, which an empty string allocates exactly. RocksDB reads
// no file it is still writing before syncing it (table files are read once finished, the
// MANIFEST and OPTIONS files after a sync), so holding the bytes back until then changes
// nothing it can see.
#pragma once

#include <memory>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

namespace kactor::store::detail {

/// A file system over `target` whose writable files pass their bytes on only when synced,
/// closed or destroyed, each time in one append.
std::shared_ptr<rocksdb::FileSystem> whole_file_system(std::shared_ptr<rocksdb::FileSystem> target);

/// An Env over `base` (RocksDB's in-memory Env) that writes files through whole_file_system.
/// `base` must outlive it.
std::unique_ptr<rocksdb::Env> whole_file_env(rocksdb::Env& base);

}  // namespace kactor::store::detail
