#include "api/time/go_duration.hpp"

#include <charconv>

namespace kactor {

std::optional<Duration> parse_go_duration(std::string_view text) {
  if (text == "0") return Duration::zero();
  if (text.empty()) return std::nullopt;
  Duration total{};
  while (!text.empty()) {
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    // At most 9 digits: a number times its unit cannot overflow the nanosecond count.
    if (digits == 0 || digits > 9) return std::nullopt;
    int64_t n = 0;
    std::from_chars(text.data(), text.data() + digits, n);
    text.remove_prefix(digits);
    size_t letters = 0;
    while (letters < text.size() && ((text[letters] >= 'a' && text[letters] <= 'z')))
      ++letters;
    auto unit = text.substr(0, letters);
    text.remove_prefix(letters);
    if (unit == "h")
      total += std::chrono::hours(n);
    else if (unit == "m")
      total += std::chrono::minutes(n);
    else if (unit == "s")
      total += std::chrono::seconds(n);
    else if (unit == "ms")
      total += std::chrono::milliseconds(n);
    else if (unit == "us")
      total += std::chrono::microseconds(n);
    else if (unit == "ns")
      total += std::chrono::nanoseconds(n);
    else
      return std::nullopt;
  }
  return total;
}

std::string format_go_duration(Duration d) {
  using namespace std::chrono;
  if (d == Duration::zero()) return "0s";
  std::string out;
  if (d < Duration::zero()) {
    out = "-";
    d = -d;
  }
  if (d < seconds(1)) {
    if (d % milliseconds(1) == Duration::zero())
      return out + std::to_string(duration_cast<milliseconds>(d).count()) + "ms";
    if (d % microseconds(1) == Duration::zero())
      return out + std::to_string(duration_cast<microseconds>(d).count()) + "us";
    return out + std::to_string(d.count()) + "ns";
  }
  auto h = duration_cast<hours>(d);
  auto m = duration_cast<minutes>(d - h);
  auto rest = d - h - m;
  if (h.count() > 0) out += std::to_string(h.count()) + "h";
  if (h.count() > 0 || m.count() > 0) out += std::to_string(m.count()) + "m";
  auto s = duration_cast<seconds>(rest);
  auto frac = (rest - s).count();
  out += std::to_string(s.count());
  if (frac > 0) {
    auto f = std::to_string(1'000'000'000 + frac).substr(1);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "s";
}

}  // namespace kactor
