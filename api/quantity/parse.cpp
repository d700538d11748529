// Quantity::parse: the upstream grammar, exact arithmetic, and upstream's canonical-text memory.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/quantity/quantity.hpp"

namespace kactor::api {
namespace {

const char* const kFormatWrong =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const char* const kNumeric = "unable to parse numeric part of quantity";
const char* const kSuffix = "unable to parse quantity's suffix";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// The pieces upstream's scanner splits a quantity into.
struct Pieces {
  bool negative = false;
  std::string_view num = "0";  // integer digits, leading zeros stripped ("0" if none)
  std::string_view denom;      // fractional digits as written
  std::string_view suffix;
};

/// Splits `str` like upstream's parseQuantityString; false when it does not match the
/// quantity regular expression.
bool scan(std::string_view str, Pieces& out) {
  size_t pos = 0;
  const size_t end = str.size();
  if (pos < end && (str[0] == '-' || str[0] == '+')) {
    out.negative = str[0] == '-';
    ++pos;
  }
  while (pos < end && str[pos] == '0') ++pos;
  if (pos >= end) return true;  // only a sign and zeros: the number is zero

  size_t start = pos;
  while (pos < end && is_digit(str[pos])) ++pos;
  if (pos > start) out.num = str.substr(start, pos - start);
  if (pos >= end) return true;

  if (str[pos] == '.') {
    start = ++pos;
    while (pos < end && is_digit(str[pos])) ++pos;
    out.denom = str.substr(start, pos - start);
    if (pos >= end) return true;
  }

  const size_t suffix_start = pos;
  while (pos < end && std::string_view("eEinumkKMGTP").find(str[pos]) != std::string_view::npos) {
    ++pos;
  }
  if (pos < end && (str[pos] == '-' || str[pos] == '+')) ++pos;
  while (pos < end && is_digit(str[pos])) ++pos;
  if (pos < end) return false;
  out.suffix = str.substr(suffix_start);
  return true;
}

struct SuffixMeaning {
  int base = 10;
  int64_t exponent = 0;
  Quantity::Format format = Quantity::Format::DecimalSI;
};

/// Go strconv.ParseInt(s, 10, 64) for the exponent of "e<n>".
bool parse_exponent(std::string_view s, int64_t& out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  unsigned __int128 v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) return false;
  }
  if (!negative && v > INT64_MAX) return false;
  out = negative ? static_cast<int64_t>(-static_cast<__int128>(v)) : static_cast<int64_t>(v);
  return true;
}

bool interpret(std::string_view suffix, SuffixMeaning& out) {
  static constexpr std::string_view kDecimal[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  static constexpr std::string_view kBinary[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  for (int i = 0; i < 10; ++i) {
    if (suffix == kDecimal[i]) {
      out = {10, -9 + 3 * i, Quantity::Format::DecimalSI};
      return true;
    }
  }
  for (int i = 0; i < 6; ++i) {
    if (suffix == kBinary[i]) {
      out = {2, 10 * (i + 1), Quantity::Format::BinarySI};
      return true;
    }
  }
  if (suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    out.base = 10;
    out.format = Quantity::Format::DecimalExponent;
    return parse_exponent(suffix.substr(1), out.exponent);
  }
  return false;
}

/// Just enough arbitrary-precision unsigned arithmetic to scale a parsed number exactly.
class BigUnsigned {
 public:
  explicit BigUnsigned(std::string_view digits) {
    for (char c : digits) {
      multiply(10);
      add(static_cast<uint32_t>(c - '0'));
    }
  }
  bool is_zero() const { return limbs_.empty(); }
  void multiply(uint32_t m) {
    uint64_t carry = 0;
    for (auto& limb : limbs_) {
      uint64_t v = static_cast<uint64_t>(limb) * m + carry;
      limb = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<uint32_t>(carry));
    trim();
  }
  void add(uint32_t a) {
    uint64_t carry = a;
    for (size_t i = 0; carry != 0; ++i) {
      if (i == limbs_.size()) limbs_.push_back(0);
      uint64_t v = static_cast<uint64_t>(limbs_[i]) + carry;
      limbs_[i] = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
  }
  /// Divides in place and returns the remainder.
  uint32_t divide(uint32_t d) {
    uint64_t rem = 0;
    for (size_t i = limbs_.size(); i-- > 0;) {
      uint64_t cur = (rem << 32) | limbs_[i];
      limbs_[i] = static_cast<uint32_t>(cur / d);
      rem = cur % d;
    }
    trim();
    return static_cast<uint32_t>(rem);
  }
  /// The value if it fits a signed 128-bit integer.
  bool to_int128(__int128& out) const {
    if (limbs_.size() > 4) return false;
    unsigned __int128 v = 0;
    for (size_t i = limbs_.size(); i-- > 0;) v = (v << 32) | limbs_[i];
    if (v >> 127) return false;
    out = static_cast<__int128>(v);
    return true;
  }

 private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::vector<uint32_t> limbs_;  // little-endian base 2^32
};

/// Upstream keeps the written text when it is already canonical; this mirrors the test its
/// int64 fast path applies, so printing echoes exactly what upstream would echo.
bool upstream_keeps_text(const Pieces& p, const SuffixMeaning& m) {
  if (m.format == Quantity::Format::BinarySI) {
    if (!p.denom.empty()) return false;
    // Upstream's precision estimate for the fast path (exponent*3/10 decimal digits).
    int64_t precision = 15 - static_cast<int64_t>(p.num.size()) - m.exponent * 3 / 10 - 1;
    if (precision < 0) return false;
    uint64_t value = 0;
    for (char c : p.num) value = value * 10 + static_cast<uint64_t>(c - '0');
    return (value & 0x07) != 0;
  }
  int64_t precision = 18 - static_cast<int64_t>(p.num.size() + p.denom.size());
  if (precision < 0 || m.exponent > INT32_MAX || m.exponent < INT32_MIN) return false;
  int64_t scale = m.exponent - static_cast<int64_t>(p.denom.size());
  if (scale < -9) return false;
  std::string shifted = std::string(p.num) + std::string(p.denom);
  bool ends_000 = shifted.size() >= 3 && shifted.ends_with("000");
  return scale % 3 == 0 && !ends_000 && shifted[0] != '0';
}

/// The exact magnitude in nano-units, rounded up to a whole nano; false when it does not fit
/// (binary amounts never fail: upstream caps them instead).
bool magnitude_in_nanos(const Pieces& p, const SuffixMeaning& m, __int128& out) {
  // Trailing fractional zeros carry no value; dropping them keeps the arithmetic small.
  std::string_view frac = p.denom;
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  // Beyond 80 fractional digits nothing can reach a nano: keep a sticky "more" bit instead.
  bool round_up = false;
  if (frac.size() > 80) {
    frac = frac.substr(0, 80);
    round_up = true;
  }
  const auto int_digits = static_cast<int64_t>(p.num == "0" ? 0 : p.num.size());
  const auto frac_digits = static_cast<int64_t>(frac.size());
  const __int128 binary_cap = static_cast<__int128>(INT64_MAX) * 1'000'000'000;

  if (int_digits == 0 && frac_digits == 0 && !round_up) {
    out = 0;
    return true;
  }
  if (m.base == 2 && int_digits > 40) {
    out = binary_cap;  // far above the cap; skip the arithmetic
    return true;
  }
  if (m.base == 10 && m.exponent > 40 - int_digits) return false;  // at least 10^41 units
  if (m.base == 10 && m.exponent < -100'000) {
    out = 1;  // non-zero but far below a nano
    return true;
  }

  BigUnsigned amount(std::string(p.num) + std::string(frac));
  if (m.base == 10) {
    int64_t shift = m.exponent - frac_digits + 9;  // power of ten that reaches nanos
    for (int64_t i = 0; i < shift; ++i) amount.multiply(10);
    for (int64_t i = 0; i < -shift && !amount.is_zero(); ++i) {
      round_up |= amount.divide(10) != 0;
    }
  } else {
    for (int64_t i = 0; i < m.exponent; ++i) amount.multiply(2);
    for (int i = 0; i < 9; ++i) amount.multiply(10);
    for (int64_t i = 0; i < frac_digits; ++i) round_up |= amount.divide(10) != 0;
  }
  // A non-zero amount finer than a nano rounds away from zero, as upstream does.
  if (round_up) amount.add(1);

  bool fits = amount.to_int128(out);
  if (m.base == 2) {
    if (!fits || out > binary_cap) out = binary_cap;  // upstream silently caps at 2^63-1 units
    return true;
  }
  return fits;
}

}  // namespace

Result<Quantity> Quantity::parse(std::string_view text) {
  if (text.empty()) return fail(bad_request(kFormatWrong));
  if (text == "0") {
    Quantity zero;
    zero.written_ = "0";
    return zero;
  }

  Pieces p;
  if (!scan(text, p)) return fail(bad_request(kFormatWrong));
  SuffixMeaning m;
  if (!interpret(p.suffix, m)) return fail(bad_request(kSuffix));
  // Upstream has no length limit; ours keeps the exact arithmetic cheap.
  if (p.num.size() > 200) return fail(bad_request(kNumeric));

  __int128 magnitude = 0;
  if (!magnitude_in_nanos(p, m, magnitude)) return fail(bad_request(kNumeric));

  Format format = m.format;
  // A non-zero binary amount below one unit is printed in decimal from then on.
  if (format == Format::BinarySI && magnitude > 0 && magnitude < 1'000'000'000) {
    format = Format::DecimalSI;
  }
  Quantity q(p.negative ? -magnitude : magnitude, format);
  if (upstream_keeps_text(p, m)) q.written_ = std::string(text);
  return q;
}

}  // namespace kactor::api
