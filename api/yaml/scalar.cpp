#include "api/yaml/detail/scalar.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <unordered_map>

namespace kactor::api::yaml::detail {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// The fixed words go-yaml v2 types without parsing (YAML 1.1 bools, nulls, special floats).
const std::unordered_map<std::string_view, PlainValue>& words() {
  static const auto* table = [] {
    auto* m = new std::unordered_map<std::string_view, PlainValue>;
    for (std::string_view w :
         {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
      m->emplace(w, true);
    for (std::string_view w :
         {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
      m->emplace(w, false);
    for (std::string_view w : {"", "~", "null", "Null", "NULL"}) m->emplace(w, YamlNull{});
    const double inf = std::numeric_limits<double>::infinity();
    for (std::string_view w : {".nan", ".NaN", ".NAN"})
      m->emplace(w, std::numeric_limits<double>::quiet_NaN());
    for (std::string_view w : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
      m->emplace(w, inf);
    for (std::string_view w : {"-.inf", "-.Inf", "-.INF"}) m->emplace(w, -inf);
    return m;
  }();
  return *table;
}

/// Go's strconv.ParseUint(s, 0, 64) on an unsigned digit string (base from a 0x/0o/0b/0
/// prefix). nullopt on a syntax error or overflow.
std::optional<uint64_t> parse_go_uint(std::string_view s) {
  if (s.empty()) return std::nullopt;
  unsigned base = 10;
  if (s[0] == '0') {
    const char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : '\0';
    if (p == 'b' || p == 'o' || p == 'x') {
      base = p == 'b' ? 2 : p == 'o' ? 8 : 16;
      s.remove_prefix(2);
    } else {
      base = 8;  // the YAML 1.1 octal that makes "0755" mean 493
      s.remove_prefix(1);
    }
  }
  uint64_t value = 0;
  for (char c : s) {
    unsigned d;
    if (is_digit(c)) {
      d = static_cast<unsigned>(c - '0');
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      d = static_cast<unsigned>((c | 0x20) - 'a' + 10);
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    if (value > (std::numeric_limits<uint64_t>::max() - d) / base) return std::nullopt;
    value = value * base + d;
  }
  return value;
}

/// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  } else {
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

/// Go's ParseFloat on an already syntax-checked decimal: fails only on overflow (underflow
/// quietly gives 0 or a subnormal, as in Go).
std::optional<double> parse_decimal_float(std::string_view s) {
  const std::string text(s);
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  if (errno == ERANGE && std::isinf(v)) return std::nullopt;
  return v;
}

bool looks_like_timestamp(std::string_view s) {
  return s.size() > 4 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
         s[4] == '-';
}

}  // namespace

PlainValue resolve_plain(std::string_view in) {
  // go-yaml only tries non-string types when the first character hints at one.
  const char first = in.empty() ? '\0' : in[0];
  const bool hinted = in.empty() || is_digit(first) || first == '+' || first == '-' ||
                      first == '.' ||
                      std::string_view("yYnNtTfFoO~").find(first) != std::string_view::npos;
  if (!hinted) return std::string(in);
  if (const auto it = words().find(in); it != words().end()) return it->second;

  if (first == '.') {
    // Go's ParseFloat on the raw text: ".5", ".5e3" (no underscores allowed here).
    if (yaml_style_float(in)) {
      if (const auto f = parse_decimal_float(in)) return *f;
    }
    return std::string(in);
  }
  if (!is_digit(first) && first != '+' && first != '-') return std::string(in);

  std::string plain;
  plain.reserve(in.size());
  for (char c : in)
    if (c != '_') plain.push_back(c);
  std::string_view p = plain;

  // ParseInt(plain, 0, 64): optional sign, then the unsigned parse.
  {
    std::string_view body = p;
    const bool negative = !body.empty() && body[0] == '-';
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
    if (const auto u = parse_go_uint(body)) {
      constexpr uint64_t kLimit = uint64_t{1} << 63;
      if (!negative && *u < kLimit) return static_cast<int64_t>(*u);
      if (negative && *u <= kLimit) return static_cast<int64_t>(0 - *u);
      // ParseUint takes no sign at all: only an unsigned literal becomes a uint64.
      if (p[0] != '+' && p[0] != '-') return *u;
    }
  }
  if (yaml_style_float(p)) {
    if (const auto f = parse_decimal_float(p)) return *f;
  }
  return std::string(in);
}

bool plain_safe(std::string_view s) {
  if (s.empty()) return false;
  if (!std::holds_alternative<std::string>(resolve_plain(s))) return false;
  if (looks_like_timestamp(s) || s == "<<") return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@` \t").find(s[0]) != std::string_view::npos) {
    return false;
  }
  if (s.starts_with("...")) return false;
  const char last = s.back();
  if (last == ' ' || last == '\t' || last == ':') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
    if (c == '#' && s[i - 1] == ' ') return false;  // i > 0: s[0] is never '#' here
    if (special_unicode_at(s, i) != 0) return false;
  }
  return true;
}

size_t special_unicode_at(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  if (byte(0) == 0xc2 && byte(1) == 0x85) return 2;
  if (byte(0) == 0xe2 && byte(1) == 0x80 && (byte(2) == 0xa8 || byte(2) == 0xa9)) return 3;
  if (byte(0) == 0xef && byte(1) == 0xbb && byte(2) == 0xbf) return 3;
  return 0;
}

size_t utf8_sequence_at(std::string_view s, size_t i) {
  auto byte = [&](size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100;
  };
  auto cont = [&](size_t k) { return (byte(k) & 0xc0) == 0x80; };  // 0x100: past the end
  const unsigned b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  // Second-byte ranges exclude overlong forms, surrogates and code points above U+10FFFF.
  unsigned lo = 0x80, hi = 0xbf;
  size_t n = 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 == 0xe0) lo = 0xa0;
    if (b0 == 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 == 0xf0) lo = 0x90;
    if (b0 == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (!cont(k)) return 0;
  return n;
}

size_t invalid_utf8_offset(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_sequence_at(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string float_key_string(double f) {
  if (std::isnan(f)) return ".nan";
  // Beyond float32's range Go's FormatFloat prints "+Inf"/"-Inf", which sigs.k8s.io/yaml
  // writes as YAML's infinities.
  if (std::isinf(static_cast<float>(f))) return f > 0 ? ".inf" : "-.inf";
  // Shortest float32 digits, then Go's %g layout for shortest formatting: exponent form when
  // the decimal exponent is < -4 or >= 6 (with at least two exponent digits).
  char buf[64];
  const auto r =
      std::to_chars(buf, buf + sizeof buf, static_cast<float>(f), std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));  // like "-1.25e+07"
  const bool negative = !sci.empty() && sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  int exp = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();

  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    return out + ebuf;
  }
  if (exp < 0) return out + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  const auto int_len = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_len) return out + digits + std::string(int_len - digits.size(), '0');
  return out + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

}  // namespace kactor::api::yaml::detail
