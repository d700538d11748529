#include "actors/http/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace kactor::http {
namespace {

api::Status io_error(const std::filesystem::path& path, std::string_view step, int error) {
  return api::internal_error(path.string() + ": " + std::string(step) + ": " +
                             std::strerror(error));
}

/// Closes a file descriptor on every path out of a scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  /// Closes now, reporting the error a deferred close would lose (NFS reports write errors here).
  int close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

}  // namespace

api::Result<std::optional<std::string>> read_small_file(const std::filesystem::path& path,
                                                        size_t max_bytes) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) return std::nullopt;
  if (ec) return api::fail(io_error(path, "stat", ec.value()));
  if (status.type() != std::filesystem::file_type::regular) {
    return api::fail(api::internal_error(path.string() + ": not a regular file"));
  }
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return api::fail(io_error(path, "stat", ec.value()));
  if (size > max_bytes) {
    return api::fail(api::internal_error(path.string() + ": " + std::to_string(size) +
                                         " bytes, more than the " + std::to_string(max_bytes) +
                                         " such a file can hold"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return api::fail(io_error(path, "open", errno));
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) {
    return api::fail(api::internal_error(path.string() + ": read: short read"));
  }
  return text;
}

api::Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                                        std::filesystem::perms mode) {
  auto tmp = path;
  tmp += ".tmp";
  // A left-over temporary file from an interrupted write may have other permissions: start
  // afresh with O_EXCL so the mode below is the one the new file is created with.
  if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) {
    return api::fail(io_error(tmp, "remove", errno));
  }
  auto mode_bits = static_cast<mode_t>(mode);
  FileDescriptor fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_bits));
  if (fd.get() < 0) return api::fail(io_error(tmp, "create", errno));
  auto fail_and_remove = [&](std::string_view step, int error) {
    ::unlink(tmp.c_str());
    return api::fail(io_error(tmp, step, error));
  };
  // The umask may have taken bits away (a certificate is meant to be 0644 for everyone).
  if (::fchmod(fd.get(), mode_bits) != 0) return fail_and_remove("chmod", errno);
  for (size_t written = 0; written < bytes.size();) {
    ssize_t n = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_and_remove("write", errno);
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail_and_remove("fsync", errno);
  if (fd.close() != 0) return fail_and_remove("close", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail_and_remove("rename", errno);
  // The rename itself survives a power cut only once the directory is on disk.
  auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  FileDescriptor dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) {
    return api::fail(io_error(dir, "fsync directory", errno));
  }
  return {};
}

api::Result<std::string> read_flag_file(std::string_view flag, const std::string& path) {
  auto text = read_small_file(path);
  const std::string named = std::string(flag) + " " + path + ": ";
  if (!text) return api::fail(api::bad_request(named + text.error().message));
  if (!*text) return api::fail(api::bad_request(named + "no such file"));
  return std::move(**text);
}

}  // namespace kactor::http
