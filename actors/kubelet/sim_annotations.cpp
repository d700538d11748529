#include "actors/kubelet/sim_annotations.hpp"

#include <charconv>
#include <string_view>

namespace kactor::kubelet {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<int64_t> parse_int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Calls `entry(item)` for each comma-separated item, spaces around it removed; stops
/// early if it returns false.
template <class F>
void for_each_item(std::string_view list, F entry) {
  for (;;) {
    auto comma = list.find(',');
    if (!entry(trim(list.substr(0, comma))) || comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

api::Result<std::optional<int64_t>> container_value(const Annotations& annotations, const char* key,
                                                    const std::string& container) {
  auto it = annotations.find(key);
  if (it == annotations.end()) return std::optional<int64_t>{};
  std::optional<int64_t> for_all, for_this;
  bool valid = true;
  for_each_item(it->second, [&](std::string_view item) {
    auto eq = item.find('=');
    auto value = parse_int(eq == std::string_view::npos ? item : trim(item.substr(eq + 1)));
    auto name = eq == std::string_view::npos ? std::string_view{} : trim(item.substr(0, eq));
    if (!value || (eq != std::string_view::npos && name.empty())) return valid = false;
    if (eq == std::string_view::npos)
      for_all = value;
    else if (name == container)
      for_this = value;
    return true;
  });
  if (!valid)
    return api::fail(api::bad_request(
        std::string("annotation ") + key + ": \"" + it->second +
        "\" is not an integer, nor a list of integers by container (\"5,fetch=2\")"));
  return for_this ? for_this : for_all;
}

bool names_container(const Annotations& annotations, const char* key,
                     const std::string& container) {
  auto it = annotations.find(key);
  if (it == annotations.end()) return false;
  bool found = false;
  for_each_item(it->second, [&](std::string_view item) {
    found = item == "*" || item == container;
    return !found;
  });
  return found;
}

api::Result<std::optional<PeriodicLog>> periodic_log(const Annotations& annotations,
                                                     const std::string& container) {
  auto key = std::string(kLogAnnotation) + "." + container;
  auto it = annotations.find(key);
  if (it == annotations.end()) it = annotations.find(key = kLogAnnotation);
  if (it == annotations.end()) return std::optional<PeriodicLog>{};
  auto bad = [&] {
    return api::fail(api::bad_request(
        "annotation " + key + ": \"" + it->second +
        "\" is not \"every <duration>: <text>\" with a duration of at least 100ms (\"every 5s: "
        "GET /healthz 200\")"));
  };
  std::string_view v = trim(it->second);
  constexpr std::string_view every = "every ";
  auto colon = v.find(':');
  if (!v.starts_with(every) || colon == std::string_view::npos) return bad();
  auto amount = trim(v.substr(every.size(), colon - every.size()));
  PeriodicLog out;
  auto digits = amount.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos) return bad();
  auto number = parse_int(amount.substr(0, digits));
  auto unit = amount.substr(digits);
  // Bounded so that a number times its unit cannot overflow the nanosecond count.
  if (!number || *number > 1'000'000'000) return bad();
  if (unit == "ms")
    out.every = std::chrono::milliseconds(*number);
  else if (unit == "s")
    out.every = std::chrono::seconds(*number);
  else if (unit == "m")
    out.every = std::chrono::minutes(*number);
  else
    return bad();
  if (out.every < std::chrono::milliseconds(100)) return bad();
  out.text = std::string(trim(v.substr(colon + 1)));
  return std::optional<PeriodicLog>{std::move(out)};
}

std::string periodic_log_line(const std::string& text, uint64_t n) {
  std::string out;
  const auto number = std::to_string(n);
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "{n}") == 0) {
      out += number;
      i += 3;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace kactor::kubelet
