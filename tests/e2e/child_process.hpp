// Runs a program as a child process with its output captured, under a deadline: how the
// end-to-end tests run the real kubectl.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kactor::testing {

struct ProcessResult {
  int exit_code = -1;  // -1: killed at the deadline
  std::string out;
  std::string err;
};

/// Runs `argv` with `env` added to the environment and `input` on its stdin; waits at most
/// `deadline`, then kills it.
ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          const std::string& input, std::chrono::milliseconds deadline);

/// A child whose stdout is read line by line while it runs (kubectl get -w).
class RunningProcess {
 public:
  RunningProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env);
  ~RunningProcess();  // kills it (by its PID) if still running
  /// The next line of its stdout, or nullopt after `timeout` or at its end.
  std::optional<std::string> next_line(std::chrono::milliseconds timeout);
  /// Everything it wrote to stderr so far (after it ended or was killed).
  std::string stop();

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string buffer_;
};

/// A long-running child (a `kactor` role) whose stdout and stderr go to a log file, so it never
/// blocks on a full pipe however much it logs; the test reads the file for readiness lines.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~BackgroundProcess();  // SIGKILLs it (by its PID) if still running, and reaps it
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  int pid() const { return pid_; }
  /// Sends `signal` and waits (at most `deadline`) until it has ended; its exit status, or
  /// -1 when it was killed by the signal or did not end in time.
  int stop(int signal, std::chrono::milliseconds deadline = std::chrono::seconds(20));
  /// The first line of its log that starts with `prefix`, waiting at most `deadline` for it
  /// (re-reading the file every 50 ms); nullopt when it did not come or the process ended.
  std::optional<std::string> wait_for_line(const std::string& prefix,
                                           std::chrono::milliseconds deadline);
  /// The last `bytes` of its log (for failure messages).
  std::string log_tail(size_t bytes = 4000) const;

 private:
  int pid_ = -1;
  std::string log_path_;
};

}  // namespace kactor::testing
