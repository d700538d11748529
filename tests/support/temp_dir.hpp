// A directory of a test's own under the system's temporary directory, removed with
// everything in it when the TempDir goes. Unique across processes (mkdtemp), so tests run in
// parallel by CTest never share one.
#pragma once

#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace kactor::testing {

class TempDir {
 public:
  /// What the directory is when the TempDir is made.
  enum class Start {
    created,  ///< an empty directory
    absent,   ///< a path nothing is at yet (code under test creates it; its parent exists)
  };

  explicit TempDir(std::string_view prefix = "kactor-test", Start start = Start::created) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    root_ = pattern;
    path_ = start == Start::created ? root_ : (std::filesystem::path(root_) / "dir").string();
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;  // best effort: a leftover directory is not worth failing a test over
    std::filesystem::remove_all(root_, ec);
  }

  const std::string& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const {
    return std::filesystem::path(path_) / name;
  }
  /// Writes `text` to the file `name` in the directory.
  void write(std::string_view name, std::string_view text) const {
    std::ofstream(*this / name, std::ios::binary) << text;
  }

 private:
  std::string root_;  // what mkdtemp made: removed at the end
  std::string path_;
};

}  // namespace kactor::testing
