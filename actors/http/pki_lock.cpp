#include "actors/http/pki_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace kactor::http {
namespace {

/// Acquisitions this thread holds: only the first takes the flock.
thread_local int held_by_thread = 0;

}  // namespace

api::Result<PkiDirLock> PkiDirLock::acquire(const std::filesystem::path& dir) {
  if (held_by_thread > 0) {
    ++held_by_thread;
    return PkiDirLock(-1);
  }
  std::error_code ec;
  if (std::filesystem::create_directories(dir, ec))
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (ec)
    return api::fail(api::internal_error(dir.string() + ": create directory: " + ec.message()));
  const auto path = dir / ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
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
  ++held_by_thread;
  return PkiDirLock(fd);
}

PkiDirLock::PkiDirLock(PkiDirLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), held_(std::exchange(other.held_, false)) {}

PkiDirLock::~PkiDirLock() {
  if (!held_) return;
  --held_by_thread;
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace kactor::http
