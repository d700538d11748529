#include "actors/http/tables/format.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <cstdint>

namespace kactor::http::tables {

std::string human_duration(Duration d) {
  using std::chrono::duration_cast;
  // Go's int(d.Seconds()) truncates toward zero, as integer division does here.
  const int64_t seconds = duration_cast<std::chrono::seconds>(d).count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return fmt::format("{}s", seconds);

  const int64_t minutes = seconds / 60;
  if (minutes < 10) {
    const int64_t s = seconds % 60;
    return s == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m{}s", minutes, s);
  }
  if (minutes < 60 * 3) return fmt::format("{}m", minutes);

  const int64_t hours = minutes / 60;
  if (hours < 8) {
    const int64_t m = minutes % 60;
    return m == 0 ? fmt::format("{}h", hours) : fmt::format("{}h{}m", hours, m);
  }
  if (hours < 48) return fmt::format("{}h", hours);
  if (hours < 24 * 8) {
    const int64_t h = hours % 24;
    return h == 0 ? fmt::format("{}d", hours / 24) : fmt::format("{}d{}h", hours / 24, h);
  }
  if (hours < 24 * 365 * 2) return fmt::format("{}d", hours / 24);
  if (hours < 24 * 365 * 8) {
    const int64_t days = (hours / 24) % 365;
    const int64_t years = hours / 24 / 365;
    return days == 0 ? fmt::format("{}y", years) : fmt::format("{}y{}d", years, days);
  }
  return fmt::format("{}y", hours / 24 / 365);
}

std::string age(const api::Time& t, TimePoint now) {
  return t.is_set() ? human_duration(now - t.value) : "<unknown>";
}

std::string age(const api::MicroTime& t, TimePoint now) {
  return t.is_set() ? human_duration(now - t.value) : "<unknown>";
}

std::string format_labels(const std::map<std::string, std::string>& labels) {
  if (labels.empty()) return "<none>";
  std::string out;
  for (const auto& [key, value] : labels) {
    if (!out.empty()) out += ',';
    out += key + "=" + value;
  }
  return out;
}

namespace {

/// One requirement as labels.Requirement.String() prints it; values sorted, as upstream
/// keeps them in a set.
std::string requirement_string(const api::LabelSelectorRequirement& r) {
  auto values = r.values;
  std::sort(values.begin(), values.end());
  if (r.operator_ == "Exists") return r.key;
  if (r.operator_ == "DoesNotExist") return "!" + r.key;
  if (r.operator_ == "In") return r.key + " in (" + join(values, ",") + ")";
  if (r.operator_ == "NotIn") return r.key + " notin (" + join(values, ",") + ")";
  // Validation refuses other operators; show what is stored rather than hide it.
  return r.key + " " + r.operator_ + " (" + join(values, ",") + ")";
}

}  // namespace

std::string selector_string(const api::LabelSelector& selector) {
  // Upstream converts matchLabels to "=" requirements, adds matchExpressions, and sorts the
  // requirements by key (stable, so a key in both keeps matchLabels first).
  std::vector<std::pair<std::string, std::string>> requirements;
  for (const auto& [key, value] : selector.match_labels)
    requirements.emplace_back(key, key + "=" + value);
  for (const auto& r : selector.match_expressions)
    requirements.emplace_back(r.key, requirement_string(r));
  std::stable_sort(requirements.begin(), requirements.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [key, text] : requirements) {
    if (!out.empty()) out += ',';
    out += text;
  }
  return out;
}

std::string format_label_selector(const api::LabelSelector* selector) {
  if (!selector) return "<none>";
  auto text = selector_string(*selector);
  return text.empty() ? "<none>" : text;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

}  // namespace kactor::http::tables
