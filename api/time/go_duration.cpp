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

namespace {

/// The digits of `frac` (of `digits` places) without trailing zeros, after a dot; "" for 0.
std::string fraction(uint64_t frac, int digits) {
  if (frac == 0) return "";
  std::string s = std::to_string(frac);
  s.insert(0, static_cast<size_t>(digits) - s.size(), '0');
  while (!s.empty() && s.back() == '0') s.pop_back();
  return "." + s;
}

}  // namespace

std::string format_go_duration(Duration d) {
  int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  // Under a second Go prints the largest fitting unit: "1.5ms", "250µs", "12ns".
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + std::to_string(u / 1000) + fraction(u % 1000, 3) + "\u00b5s";
  if (u < 1000000000) return sign + std::to_string(u / 1000000) + fraction(u % 1000000, 6) + "ms";
  const uint64_t secs = u / 1000000000, frac = u % 1000000000;
  const uint64_t h = secs / 3600, m = (secs % 3600) / 60, s = secs % 60;
  std::string out = sign;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  return out + std::to_string(s) + fraction(frac, 9) + "s";
}

}  // namespace kactor
