#include "actors/http/pki_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <system_error>
#include <utility>

namespace kactor::http {
namespace {

/// Acquisitions this thread holds, by directory: only the first takes the flock.
thread_local std::map<std::string, int> held_by_thread;

std::string key_of(const std::filesystem::path& dir) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(dir, ec);
  return (ec ? dir : canonical).string();
}

}  // namespace

api::Result<PkiDirLock> PkiDirLock::acquire(const std::filesystem::path& dir) {
  const auto key = key_of(dir);
  if (auto it = held_by_thread.find(key); it != held_by_thread.end()) {
    ++it->second;
    return PkiDirLock(-1, key);
  }
  std::error_code ec;
  if (std::filesystem::create_directories(dir, ec))
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (ec)
    return api::fail(api::internal_error(dir.string() + ": create directory: " + ec.message()));
  const auto path = dir / ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EROFS || errno == EACCES)) {
    // A directory this process may not write: nothing will be written either, so an existing
    // lock file read-only serves (flock needs no write access), and none at all does too.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      ++held_by_thread[key];
      return PkiDirLock(-1, key);
    }
  }
  if (fd < 0)
    return api::fail(api::internal_error(path.string() + ": open: " + std::strerror(errno)));
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int error = errno;
    ::close(fd);
    return api::fail(api::internal_error(path.string() + ": lock: " + std::strerror(error)));
  }
  ++held_by_thread[key];
  return PkiDirLock(fd, key);
}

PkiDirLock::PkiDirLock(PkiDirLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      held_(std::exchange(other.held_, false)),
      key_(std::move(other.key_)) {}

PkiDirLock::~PkiDirLock() {
  if (!held_) return;
  if (auto it = held_by_thread.find(key_); it != held_by_thread.end() && --it->second == 0)
    held_by_thread.erase(it);
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace kactor::http
