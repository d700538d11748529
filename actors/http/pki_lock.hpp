// One writer at a time in a PKI directory. `kactor certs` may renew certificates in the very
// pki/ an API server checks every minute (serve.cpp): each writes a key, then its certificate,
// so two at once can each read the other's new key beside an old certificate and re-issue,
// leaving a mismatched pair. The ensure_* functions of pki.hpp and role_pki.hpp hold this lock.
#pragma once

#include <filesystem>
#include <string>

#include "api/status.hpp"

namespace kactor::http {

/// An exclusive flock(2) on `<dir>/.lock`, across processes and threads, held until it goes
/// (on the thread that took it). Only a thread's outermost acquisition for a directory takes
/// the lock (the ensure functions nest), so a thread never waits for itself. A directory the
/// process may not write is read without one: nothing can be written there anyway.
class PkiDirLock {
 public:
  /// Creates `dir` (mode 0700) and the lock file (0600) if missing, then waits for the lock.
  /// InternalError naming the file when it cannot be opened or locked.
  static api::Result<PkiDirLock> acquire(const std::filesystem::path& dir);

  PkiDirLock(PkiDirLock&& other) noexcept;
  PkiDirLock& operator=(PkiDirLock&&) = delete;
  PkiDirLock(const PkiDirLock&) = delete;
  ~PkiDirLock();

 private:
  PkiDirLock(int fd, std::string key) : fd_(fd), held_(true), key_(std::move(key)) {}
  int fd_ = -1;  // -1 for a nested acquisition
  bool held_ = false;
  std::string key_;  // the directory, as counted per thread
};

}  // namespace kactor::http
