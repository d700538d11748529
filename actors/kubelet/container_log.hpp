// One container instance's log as a runtime keeps it: lines with the time they were written,
// bounded (the oldest lines go first), read back as `kubectl logs` selects them (since a time,
// the last N lines, after a line already sent while following). No CAF, no clock: the writer
// passes the time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/time/clock.hpp"

namespace kactor::kubelet {

/// One line of a container's output, without its newline.
struct LogLine {
  /// Counts the instance's lines from 1, dropped ones included: a follower asks for the lines
  /// after the last one it got.
  uint64_t seq = 0;
  TimePoint at{};
  std::string text;
  bool operator==(const LogLine&) const = default;
};

/// How much of a container's output a runtime keeps (upstream rotates at 10 MiB; a
/// simulation needs far less).
struct LogLimits {
  size_t max_lines = 1000;
  size_t max_bytes = 1 << 20;  ///< the lines' text and newlines
};

/// Which lines a read returns, applied in this order: `after_seq`, `since`, then the last
/// `tail_lines` of what is left.
struct LogSelection {
  uint64_t after_seq = 0;
  std::optional<TimePoint> since;  ///< lines written at or after it
  std::optional<int64_t> tail_lines;
};

class ContainerLog {
 public:
  explicit ContainerLog(LogLimits limits = {}) : limits_(limits) {}

  /// Appends a line (a newline inside `text` splits it into several), dropping the oldest
  /// lines beyond the limits. A single line longer than max_bytes is cut to it.
  void append(TimePoint at, std::string_view text);
  std::vector<LogLine> read(const LogSelection& selection) const;
  /// The seq of the newest line (0 before the first).
  uint64_t last_seq() const { return next_seq_ - 1; }
  size_t lines() const { return lines_.size() - head_; }
  size_t bytes() const { return bytes_; }

 private:
  void append_one(TimePoint at, std::string_view text);

  LogLimits limits_;
  /// The kept lines are lines_[head_..]: dropping the oldest advances head_, and the dropped
  /// ones are erased once they are half of the vector. A std::deque allocated ~600 bytes for
  /// the first line, in every container of every simulated pod (most write two or three).
  std::vector<LogLine> lines_;
  size_t head_ = 0;
  size_t bytes_ = 0;
  uint64_t next_seq_ = 1;
};

/// Lines as the kubelet sends them: each followed by a newline, prefixed by its time in RFC 3339
/// with nanoseconds and a space when `timestamps`, cut after `limit_bytes` bytes in all when
/// set (mid-line, as upstream's limitBytes). `limit_bytes` is decreased by what was written.
std::string render_log_lines(const std::vector<LogLine>& lines, bool timestamps,
                             std::optional<int64_t>* limit_bytes = nullptr);

}  // namespace kactor::kubelet
