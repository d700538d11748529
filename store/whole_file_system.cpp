#include "store/whole_file_system.hpp"

#include <string>
#include <utility>

namespace kactor::store::detail {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

/// Keeps appended bytes until something needs them in the target file: a sync (the bytes
/// must be there to be read), a close, a positioned write or a truncation.
class WholeWritableFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  explicit WholeWritableFile(std::unique_ptr<rocksdb::FSWritableFile> target)
      : FSWritableFileOwnerWrapper(std::move(target)) {}

  ~WholeWritableFile() override {
    // RocksDB closes what it keeps; a file dropped unclosed still gets its bytes.
    hand_over(IOOptions(), nullptr).PermitUncheckedError();
  }

  IOStatus Append(const Slice& data, const IOOptions&, IODebugContext*) override {
    // The first append takes the size RocksDB expects the file to reach, so that the kept
    // bytes are not copied over and over on the way there, nor left in a buffer twice their size.
    if (std::exchange(first_append_, false) && expected_size_ > data.size())
      pending_.reserve(expected_size_);
    pending_.append(data.data(), data.size());
    return IOStatus::OK();
  }
  /// RocksDB's hint of how large a file will grow (1.1 × the target size for a compaction's
  /// output), meant for fallocate.
  void SetPreallocationBlockSize(size_t size) override {
    expected_size_ = size;
    target()->SetPreallocationBlockSize(size);
  }
  IOStatus Append(const Slice& data, const IOOptions& options, const rocksdb::DataVerificationInfo&,
                  IODebugContext* dbg) override {
    return Append(data, options, dbg);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            IODebugContext* dbg) override {
    return then(hand_over(options, dbg),
                [&] { return target()->PositionedAppend(data, offset, options, dbg); });
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            const rocksdb::DataVerificationInfo& info,
                            IODebugContext* dbg) override {
    return then(hand_over(options, dbg),
                [&] { return target()->PositionedAppend(data, offset, options, info, dbg); });
  }
  IOStatus Truncate(uint64_t size, const IOOptions& options, IODebugContext* dbg) override {
    return then(hand_over(options, dbg), [&] { return target()->Truncate(size, options, dbg); });
  }
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    return then(hand_over(options, dbg), [&] { return target()->Close(options, dbg); });
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    return then(hand_over(options, dbg), [&] { return target()->Sync(options, dbg); });
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return then(hand_over(options, dbg), [&] { return target()->Fsync(options, dbg); });
  }
  IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const IOOptions& options,
                     IODebugContext* dbg) override {
    return then(hand_over(options, dbg),
                [&] { return target()->RangeSync(offset, nbytes, options, dbg); });
  }
  // Appends and syncs must not overlap: a sync hands over the bytes appends add to.
  bool IsSyncThreadSafe() const override { return false; }
  uint64_t GetFileSize(const IOOptions& options, IODebugContext* dbg) override {
    return target()->GetFileSize(options, dbg) + pending_.size();
  }

 private:
  template <class F>
  static IOStatus then(IOStatus first, F&& next) {
    return first.ok() ? next() : first;
  }

  /// Passes the kept bytes on in one append: into an empty in-memory file, one allocation
  /// of exactly their size.
  IOStatus hand_over(const IOOptions& options, IODebugContext* dbg) {
    if (pending_.empty()) return IOStatus::OK();
    IOStatus s = target()->Append(Slice(pending_), options, dbg);
    std::string().swap(pending_);  // the buffer goes now, not when the file is destroyed
    return s;
  }

  std::string pending_;
  size_t expected_size_ = 0;
  bool first_append_ = true;
};

class WholeFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  using FileSystemWrapper::FileSystemWrapper;

  const char* Name() const override { return "KactorWholeFileSystem"; }

  IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                           std::unique_ptr<rocksdb::FSWritableFile>* result,
                           IODebugContext* dbg) override {
    return wrap(target()->NewWritableFile(name, options, result, dbg), result);
  }
  IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                              std::unique_ptr<rocksdb::FSWritableFile>* result,
                              IODebugContext* dbg) override {
    return wrap(target()->ReopenWritableFile(name, options, result, dbg), result);
  }
  IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                             const rocksdb::FileOptions& options,
                             std::unique_ptr<rocksdb::FSWritableFile>* result,
                             IODebugContext* dbg) override {
    return wrap(target()->ReuseWritableFile(name, old_name, options, result, dbg), result);
  }

 private:
  static IOStatus wrap(IOStatus opened, std::unique_ptr<rocksdb::FSWritableFile>* file) {
    if (opened.ok() && *file) *file = std::make_unique<WholeWritableFile>(std::move(*file));
    return opened;
  }
};

}  // namespace

std::shared_ptr<rocksdb::FileSystem> whole_file_system(
    std::shared_ptr<rocksdb::FileSystem> target) {
  return std::make_shared<WholeFileSystem>(std::move(target));
}

std::unique_ptr<rocksdb::Env> whole_file_env(rocksdb::Env& base) {
  return rocksdb::NewCompositeEnv(whole_file_system(base.GetFileSystem()));
}

}  // namespace kactor::store::detail
