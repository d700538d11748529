#include "actors/kubelet/container_log.hpp"

#include <algorithm>

#include "api/time/rfc3339.hpp"

namespace kactor::kubelet {

void ContainerLog::append(TimePoint at, std::string_view text) {
  for (;;) {
    auto nl = text.find('\n');
    append_one(at, text.substr(0, nl));
    if (nl == std::string_view::npos) return;
    text.remove_prefix(nl + 1);
    if (text.empty()) return;  // "a\n" is one line, not two
  }
}

void ContainerLog::append_one(TimePoint at, std::string_view text) {
  // A line's cost is its text and its newline.
  if (text.size() + 1 > limits_.max_bytes) text = text.substr(0, limits_.max_bytes - 1);
  lines_.push_back(LogLine{next_seq_++, at, std::string(text)});
  bytes_ += text.size() + 1;
  while (lines() > 0 && (lines() > limits_.max_lines || bytes_ > limits_.max_bytes)) {
    auto& dropped = lines_[head_++].text;
    bytes_ -= dropped.size() + 1;
    dropped.clear();
    dropped.shrink_to_fit();  // its bytes go now, not when the line is erased
  }
  if (head_ > 0 && head_ >= lines_.size() / 2) {
    lines_.erase(lines_.begin(), lines_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

std::vector<LogLine> ContainerLog::read(const LogSelection& selection) const {
  // Lines are in seq and time order: the first selected one is found by binary search.
  auto kept = lines_.begin() + static_cast<std::ptrdiff_t>(head_);
  auto first = std::partition_point(kept, lines_.end(), [&](const LogLine& l) {
    return l.seq <= selection.after_seq || (selection.since && l.at < *selection.since);
  });
  if (selection.tail_lines) {
    auto want = static_cast<size_t>(std::max<int64_t>(*selection.tail_lines, 0));
    auto have = static_cast<size_t>(lines_.end() - first);
    if (have > want) first += static_cast<std::ptrdiff_t>(have - want);
  }
  return {first, lines_.end()};
}

std::string render_log_lines(const std::vector<LogLine>& lines, bool timestamps,
                             std::optional<int64_t>* limit_bytes) {
  std::string out;
  for (const auto& l : lines) {
    if (timestamps) {
      out += format_rfc3339_nano(l.at);
      out += ' ';
    }
    out += l.text;
    out += '\n';
    if (limit_bytes && *limit_bytes && static_cast<int64_t>(out.size()) >= **limit_bytes) break;
  }
  if (limit_bytes && *limit_bytes) {
    auto budget = static_cast<size_t>(std::max<int64_t>(**limit_bytes, 0));
    if (out.size() > budget) out.resize(budget);
    **limit_bytes -= static_cast<int64_t>(out.size());
  }
  return out;
}

}  // namespace kactor::kubelet
