// A guard for a test cluster's teardown: if tearing down takes longer than its deadline, the
// stacks of every thread are printed (through gdb, when installed) and the process aborts, so
// a hang shows where it is and costs seconds instead of ctest's whole timeout.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace kactor::testing {

class TeardownWatchdog {
 public:
  explicit TeardownWatchdog(std::string what,
                            std::chrono::seconds deadline = std::chrono::seconds(60))
      : thread_([this, what = std::move(what), deadline] {
          std::unique_lock lock(mutex_);
          if (cv_.wait_for(lock, deadline, [this] { return done_; })) return;
          std::fprintf(stderr, "\n*** %s: teardown still running after %lld s; thread stacks:\n",
                       what.c_str(), static_cast<long long>(deadline.count()));
          print_stacks();
          std::abort();
        }) {}
  ~TeardownWatchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  TeardownWatchdog(const TeardownWatchdog&) = delete;
  TeardownWatchdog& operator=(const TeardownWatchdog&) = delete;

 private:
  static void print_stacks() {
    const std::string pid = std::to_string(::getpid());
    pid_t child = ::fork();
    if (child == 0) {
      ::dup2(STDERR_FILENO, STDOUT_FILENO);
      ::execlp("gdb", "gdb", "-p", pid.c_str(), "-batch", "-nx", "-ex", "set pagination off",
               "-ex", "thread apply all bt 40", static_cast<char*>(nullptr));
      std::fprintf(stderr, "(gdb is not installed: no stacks)\n");
      ::_exit(127);
    }
    if (child > 0) {
      int status = 0;
      ::waitpid(child, &status, 0);
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace kactor::testing
