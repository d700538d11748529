// The in-memory store's file system hands each file's bytes to RocksDB's in-memory file in one
// append when the file is synced or closed (store/whole_file_system.hpp): tested against
// RocksDB's in-memory file system, with the appends that reach it counted.
#include <atomic>
#include <memory>
#include <string>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <catch2/catch.hpp>

#include "store/whole_file_system.hpp"

namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;

/// Counts the appends that reach the files below it.
class CountingFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  using FileSystemWrapper::FileSystemWrapper;
  const char* Name() const override { return "CountingFileSystem"; }

  IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                           std::unique_ptr<rocksdb::FSWritableFile>* result,
                           IODebugContext* dbg) override {
    IOStatus s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok()) *result = std::make_unique<File>(std::move(*result), appends);
    return s;
  }

  std::atomic<int> appends{0};

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> target, std::atomic<int>& appends)
        : FSWritableFileOwnerWrapper(std::move(target)), appends_(appends) {}
    IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                    IODebugContext* dbg) override {
      ++appends_;
      return target()->Append(data, options, dbg);
    }

   private:
    std::atomic<int>& appends_;
  };
};

std::string read_whole(rocksdb::FileSystem& fs, const std::string& name) {
  std::unique_ptr<rocksdb::FSSequentialFile> file;
  REQUIRE(fs.NewSequentialFile(name, rocksdb::FileOptions(), &file, nullptr).ok());
  std::string out;
  std::string scratch(1 << 16, '\0');
  for (;;) {
    rocksdb::Slice got;
    REQUIRE(file->Read(scratch.size(), IOOptions(), &got, scratch.data(), nullptr).ok());
    if (got.empty()) return out;
    out.append(got.data(), got.size());
  }
}

uint64_t size_of(rocksdb::FileSystem& fs, const std::string& name) {
  uint64_t size = 0;
  REQUIRE(fs.GetFileSize(name, IOOptions(), &size, nullptr).ok());
  return size;
}

}  // namespace

TEST_CASE("a file's bytes reach the in-memory file in one append per sync or close",
          "[store][memory]") {
  std::unique_ptr<rocksdb::Env> mem(rocksdb::NewMemEnv(rocksdb::Env::Default()));
  auto counting = std::make_shared<CountingFileSystem>(mem->GetFileSystem());
  auto fs = kactor::store::detail::whole_file_system(counting);
  const std::string name = "/whole/table.sst";
  REQUIRE(fs->CreateDirIfMissing("/whole", IOOptions(), nullptr).ok());

  std::unique_ptr<rocksdb::FSWritableFile> file;
  REQUIRE(fs->NewWritableFile(name, rocksdb::FileOptions(), &file, nullptr).ok());
  std::string written;
  for (int i = 0; i < 1000; ++i) {
    std::string line = "line " + std::to_string(i) + std::string(1000, 'x') + "\n";
    REQUIRE(file->Append(line, IOOptions(), nullptr).ok());
    written += line;
    if (i % 100 == 99) REQUIRE(file->Flush(IOOptions(), nullptr).ok());
  }

  // Written and flushed, not synced: nothing has reached the file below yet, though the file
  // reports everything written as its size.
  CHECK(counting->appends == 0);
  CHECK(size_of(*counting, name) == 0);
  CHECK(file->GetFileSize(IOOptions(), nullptr) == written.size());

  REQUIRE(file->Sync(IOOptions(), nullptr).ok());
  CHECK(counting->appends == 1);
  CHECK(size_of(*fs, name) == written.size());
  CHECK(read_whole(*fs, name) == written);

  // What follows a sync goes on in one more append at the close.
  for (int i = 0; i < 10; ++i) {
    std::string line = "after sync " + std::to_string(i) + "\n";
    REQUIRE(file->Append(line, IOOptions(), nullptr).ok());
    written += line;
  }
  REQUIRE(file->Close(IOOptions(), nullptr).ok());
  CHECK(counting->appends == 2);
  CHECK(read_whole(*fs, name) == written);
}

TEST_CASE("a file dropped without a close still gets its bytes", "[store][memory]") {
  std::unique_ptr<rocksdb::Env> mem(rocksdb::NewMemEnv(rocksdb::Env::Default()));
  auto fs = kactor::store::detail::whole_file_system(mem->GetFileSystem());
  REQUIRE(fs->CreateDirIfMissing("/whole", IOOptions(), nullptr).ok());
  {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    REQUIRE(fs->NewWritableFile("/whole/log", rocksdb::FileOptions(), &file, nullptr).ok());
    REQUIRE(file->Append("unclosed", IOOptions(), nullptr).ok());
  }
  CHECK(read_whole(*fs, "/whole/log") == "unclosed");
}
