// Quantity construction, arithmetic and canonical printing (parsing is in quantity_parse.cpp).
#include "api/quantity/quantity.hpp"

#include <array>

namespace kactor::api {
namespace {

constexpr __int128 kNanosPerUnit = 1'000'000'000;
constexpr __int128 kInt128Max =
    static_cast<__int128>((static_cast<unsigned __int128>(1) << 127) - 1);
constexpr __int128 kInt128Min = -kInt128Max - 1;

std::string unsigned_text(unsigned __int128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v != 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return out;
}

std::string signed_text(__int128 v) {
  if (v >= 0) return unsigned_text(static_cast<unsigned __int128>(v));
  // Negate in unsigned arithmetic so the minimum value does not overflow.
  return "-" + unsigned_text(static_cast<unsigned __int128>(0) - static_cast<unsigned __int128>(v));
}

/// n / d rounded away from zero (upstream's rounding for Value and MilliValue).
__int128 divide_away_from_zero(__int128 n, __int128 d) {
  __int128 q = n / d;
  if (n % d != 0) q += n > 0 ? 1 : -1;
  return q;
}

int64_t clamp_to_int64(__int128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(v);
}

__int128 saturating_add(__int128 a, __int128 b) {
  __int128 r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? kInt128Max : kInt128Min;
  return r;
}

__int128 saturating_sub(__int128 a, __int128 b) {
  __int128 r;
  if (__builtin_sub_overflow(a, b, &r)) return b < 0 ? kInt128Max : kInt128Min;
  return r;
}

__int128 saturating_mul(__int128 a, __int128 b) {
  __int128 r;
  if (__builtin_mul_overflow(a, b, &r)) return (a < 0) != (b < 0) ? kInt128Min : kInt128Max;
  return r;
}

/// The DecimalSI suffix of 10^exponent, or empty when the family has none.
std::string_view decimal_si_suffix(int exponent, bool& found) {
  static constexpr std::array<std::string_view, 10> kSuffixes = {"n", "u", "m", "",  "k",
                                                                 "M", "G", "T", "P", "E"};
  found = exponent >= -9 && exponent <= 18 && exponent % 3 == 0;
  return found ? kSuffixes[static_cast<size_t>((exponent + 9) / 3)] : std::string_view{};
}

}  // namespace

Quantity Quantity::from_milli(int64_t milli, Format format) {
  return Quantity(static_cast<__int128>(milli) * 1'000'000, format);
}

Quantity Quantity::from_value(int64_t value, Format format) {
  return Quantity(static_cast<__int128>(value) * kNanosPerUnit, format);
}

Quantity Quantity::from_scaled(int64_t value, int scale) {
  __int128 nanos = value;
  if (scale >= -9) {
    for (int i = 0; i < scale + 9; ++i) nanos = saturating_mul(nanos, 10);
  } else if (value != 0) {
    // Finer than nano: keep what a nano can hold and round the rest away from zero.
    int drop = -9 - scale;
    if (drop > 20) {
      nanos = value > 0 ? 1 : -1;
    } else {
      __int128 divisor = 1;
      for (int i = 0; i < drop; ++i) divisor *= 10;
      nanos = divide_away_from_zero(nanos, divisor);
    }
  }
  return Quantity(nanos, Format::DecimalSI);
}


int64_t Quantity::value() const {
  return clamp_to_int64(divide_away_from_zero(nanos_, kNanosPerUnit));
}

int64_t Quantity::milli_value() const {
  return clamp_to_int64(divide_away_from_zero(nanos_, 1'000'000));
}

double Quantity::as_approximate_double() const {
  return static_cast<double>(nanos_) / static_cast<double>(kNanosPerUnit);
}

Quantity& Quantity::operator+=(const Quantity& other) {
  if (nanos_ == 0) format_ = other.format_;
  nanos_ = saturating_add(nanos_, other.nanos_);
  written_.clear();
  return *this;
}

Quantity& Quantity::operator-=(const Quantity& other) {
  if (nanos_ == 0) format_ = other.format_;
  nanos_ = saturating_sub(nanos_, other.nanos_);
  written_.clear();
  return *this;
}

Quantity Quantity::operator-() const {
  return Quantity(nanos_ == kInt128Min ? kInt128Max : -nanos_, format_);
}

std::string Quantity::to_string() const {
  if (!written_.empty()) return written_;
  if (nanos_ == 0) return "0";

  Format format = format_;
  if (format == Format::BinarySI) {
    // Upstream prints small or fractional binary amounts in decimal rather than round them.
    const __int128 kibi = 1024 * kNanosPerUnit;
    if ((nanos_ > -kibi && nanos_ < kibi) || nanos_ % kNanosPerUnit != 0) {
      format = Format::DecimalSI;
    }
  }

  if (format == Format::BinarySI) {
    static constexpr std::array<std::string_view, 7> kSuffixes = {"",   "Ki", "Mi", "Gi",
                                                                  "Ti", "Pi", "Ei"};
    __int128 units = nanos_ / kNanosPerUnit;
    size_t power = 0;
    while (power + 1 < kSuffixes.size() && units % 1024 == 0) {
      units /= 1024;
      ++power;
    }
    return signed_text(units) + std::string(kSuffixes[power]);
  }

  // Strip factors of ten, then step the exponent down to a multiple of three so the
  // mantissa stays integral: 1.5 (15e-1) prints as 1500m (1500e-3).
  __int128 mantissa = nanos_;
  int exponent = -9;
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  switch (exponent % 3) {
    case 1:
    case -2:
      mantissa *= 10;
      exponent -= 1;
      break;
    case 2:
    case -1:
      mantissa *= 100;
      exponent -= 2;
      break;
    default:
      break;
  }

  std::string out = signed_text(mantissa);
  if (format == Format::DecimalSI) {
    bool found = false;
    std::string_view suffix = decimal_si_suffix(exponent, found);
    if (found) return out + std::string(suffix);
    // Beyond "E" DecimalSI has no suffix: fall back to exponent notation, as upstream.
  }
  if (exponent != 0) out += "e" + std::to_string(exponent);
  return out;
}

}  // namespace kactor::api
