// A container instance's log buffer (container_log.cpp): its bounds, the selections kubectl
// logs makes (since, tail, after a line already sent), and the text the kubelet sends.
#include <catch2/catch.hpp>

#include "actors/kubelet/container_log.hpp"
#include "api/time/rfc3339.hpp"

using namespace kactor;
using namespace kactor::kubelet;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 = TimePoint{} + std::chrono::hours(24 * 365 * 56);  // 2025-12-18

std::vector<std::string> texts(const std::vector<LogLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.text);
  return out;
}

/// A log with lines "l1".."l<n>", written one second apart from t0.
ContainerLog numbered(int n, LogLimits limits = {}) {
  ContainerLog log(limits);
  for (int i = 1; i <= n; ++i)
    log.append(t0 + std::chrono::seconds(i - 1), "l" + std::to_string(i));
  return log;
}

}  // namespace

TEST_CASE("a container log keeps its newest lines within its line and byte limits",
          "[kubelet][kubelet-logs]") {
  auto by_lines = numbered(10, LogLimits{.max_lines = 3, .max_bytes = 1 << 20});
  CHECK(texts(by_lines.read({})) == std::vector<std::string>{"l8", "l9", "l10"});
  CHECK(by_lines.last_seq() == 10);
  // Each line costs its text and a newline: "l9\n" is 3 bytes, "l10\n" 4.
  auto by_bytes = numbered(10, LogLimits{.max_lines = 1000, .max_bytes = 9});
  CHECK(texts(by_bytes.read({})) == std::vector<std::string>{"l9", "l10"});
  CHECK(by_bytes.bytes() == 7);
  ContainerLog one_long(LogLimits{.max_lines = 10, .max_bytes = 5});
  one_long.append(t0, "abcdefgh");
  CHECK(texts(one_long.read({})) == std::vector<std::string>{"abcd"});
}

TEST_CASE("a container log keeps the right lines through many drops of its oldest ones",
          "[kubelet][kubelet-logs]") {
  // The dropped lines are erased in batches: every step must still read exactly the newest.
  ContainerLog log(LogLimits{.max_lines = 7, .max_bytes = 1 << 20});
  for (int i = 1; i <= 200; ++i) {
    log.append(t0 + std::chrono::seconds(i), "l" + std::to_string(i));
    std::vector<std::string> want;
    size_t bytes = 0;
    for (int j = std::max(1, i - 6); j <= i; ++j) {
      want.push_back("l" + std::to_string(j));
      bytes += want.back().size() + 1;
    }
    REQUIRE(log.lines() == want.size());
    REQUIRE(texts(log.read({})) == want);
    REQUIRE(log.bytes() == bytes);
    REQUIRE(texts(log.read({.after_seq = static_cast<uint64_t>(i - 1)})) ==
            std::vector<std::string>{want.back()});
  }
}

TEST_CASE("a container log splits text at newlines", "[kubelet][kubelet-logs]") {
  ContainerLog log;
  log.append(t0, "one\ntwo\n");
  log.append(t0, "three");
  CHECK(texts(log.read({})) == std::vector<std::string>{"one", "two", "three"});
  CHECK(log.last_seq() == 3);
}

TEST_CASE("a container log selects since a time, the last lines, after a line",
          "[kubelet][kubelet-logs]") {
  auto log = numbered(6);  // l1 at t0 ... l6 at t0+5s
  CHECK(texts(log.read({.since = t0 + 3s})) == std::vector<std::string>{"l4", "l5", "l6"});
  CHECK(texts(log.read({.since = t0 + 2500ms})) == std::vector<std::string>{"l4", "l5", "l6"});
  CHECK(texts(log.read({.tail_lines = 2})) == std::vector<std::string>{"l5", "l6"});
  CHECK(log.read({.tail_lines = 0}).empty());
  CHECK(texts(log.read({.tail_lines = 100})).size() == 6);
  CHECK(texts(log.read({.since = t0 + 1s, .tail_lines = 2})) ==
        std::vector<std::string>{"l5", "l6"});
  CHECK(texts(log.read({.after_seq = 4})) == std::vector<std::string>{"l5", "l6"});
  CHECK(log.read({.after_seq = 6}).empty());
  CHECK(log.read({.since = t0 + 1h}).empty());
  // After lines were dropped, a seq before them selects what is left.
  auto small = numbered(6, LogLimits{.max_lines = 2, .max_bytes = 1 << 20});
  CHECK(texts(small.read({.after_seq = 1})) == std::vector<std::string>{"l5", "l6"});
}

TEST_CASE("log lines render with RFC 3339 nanosecond timestamps and a byte limit",
          "[kubelet][kubelet-logs]") {
  ContainerLog log;
  log.append(t0 + 5ns, "hello");
  log.append(t0 + 1s, "world");
  auto lines = log.read({});
  CHECK(render_log_lines(lines, false) == "hello\nworld\n");
  const auto stamp = format_rfc3339_nano(t0 + 5ns);
  CHECK(stamp == "2025-12-18T00:00:00.000000005Z");
  CHECK(render_log_lines(lines, true) ==
        stamp + " hello\n" + format_rfc3339_nano(t0 + 1s) + " world\n");
  std::optional<int64_t> limit = 8;  // cuts the second line
  CHECK(render_log_lines(lines, false, &limit) == "hello\nwo");
  CHECK(limit == 0);
  std::optional<int64_t> roomy = 100;
  CHECK(render_log_lines(lines, false, &roomy) == "hello\nworld\n");
  CHECK(roomy == 88);
  std::optional<int64_t> none;
  CHECK(render_log_lines(lines, false, &none) == "hello\nworld\n");
  CHECK_FALSE(none.has_value());
}
