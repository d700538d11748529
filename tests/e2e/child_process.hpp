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

}  // namespace kactor::testing
