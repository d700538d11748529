#include "store/rocks.hpp"

#include "store/codec.hpp"

namespace kactor::store {

detail::Db::~Db() {
  if (!db) return;
  // Handles must go before the database; Close() flushes nothing we rely on (the WAL holds
  // every acknowledged write), so its status only matters for diagnostics.
  for (auto* handle : {objects, events}) {
    if (handle != nullptr) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  if (meta != nullptr) db->DestroyColumnFamilyHandle(meta).PermitUncheckedError();
  db->Close().PermitUncheckedError();
  db.reset();
}

Error to_error(const rocksdb::Status& status, std::string_view what) {
  ErrorCode code = status.IsCorruption() ? ErrorCode::corruption : ErrorCode::io;
  return Error{code, std::string(what) + ": " + status.ToString()};
}

Expected<int64_t> read_meta_revision(const Db& db, const rocksdb::ReadOptions& options,
                                     std::string_view key) {
  std::string bytes;
  rocksdb::Status s = db.db->Get(options, db.meta, rocksdb::Slice(key.data(), key.size()), &bytes);
  if (s.IsNotFound()) return 0;
  if (!s.ok()) return std::unexpected(to_error(s, "reading " + std::string(key)));
  auto revision = codec::decode_revision(bytes);
  if (!revision) return fail(ErrorCode::corruption, "undecodable meta " + std::string(key));
  return *revision;
}

}  // namespace kactor::store
