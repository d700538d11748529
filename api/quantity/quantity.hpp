// Resource quantities ("500m", "1.5Gi", "12e6") with Kubernetes' parsing and printing rules.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "api/status.hpp"

namespace kactor::api {

/// A fixed-point amount of a resource, parsed and printed exactly as Kubernetes'
/// resource.Quantity does.
///
/// The amount is kept as a signed 128-bit count of nano-units: parsing rounds any finer
/// non-zero value away from zero to the next nano (so "0.1n" is "1n", as upstream), and no
/// floating point is ever involved. The suffix family the value was written in (its Format)
/// is remembered so that printing uses the same family again. Magnitudes up to about 1.7e29
/// units are representable; larger values fail to parse (upstream accepts any magnitude).
class Quantity {
 public:
  /// The three notations a quantity can be printed in.
  enum class Format {
    DecimalSI,        ///< 12M = 12 * 10^6; suffixes n u m k M G T P E.
    BinarySI,         ///< 12Mi = 12 * 2^20; suffixes Ki Mi Gi Ti Pi Ei.
    DecimalExponent,  ///< 12e6.
  };

  /// Zero, DecimalSI.
  Quantity() = default;

  /// Parses `<sign><number><suffix>`; the error is a BadRequest Status worded as upstream's
  /// ParseQuantity errors. No surrounding whitespace is allowed.
  static Result<Quantity> parse(std::string_view text);
  /// `milli` thousandths of a unit (upstream NewMilliQuantity).
  static Quantity from_milli(int64_t milli, Format format);
  /// `value` whole units (upstream NewQuantity).
  static Quantity from_value(int64_t value, Format format);
  /// `value` * 10^`scale` units in DecimalSI (upstream NewScaledQuantity); a scale below -9
  /// rounds away from zero to whole nano-units.
  static Quantity from_scaled(int64_t value, int scale);

  /// Canonical text: no precision lost, no fractional digits, the largest suffix of the
  /// remembered family that keeps the number integral ("1.5" -> "1500m", "1.5Gi" -> "1536Mi").
  /// A parsed string that upstream considers already canonical is echoed as written
  /// (upstream caches it, e.g. "+1" stays "+1"); arithmetic drops that memory.
  std::string to_string() const;

  /// The value in whole units, rounded away from zero (upstream Value()); saturates at the
  /// int64 range where upstream would silently overflow.
  int64_t value() const;
  /// The value in thousandths, rounded away from zero (upstream MilliValue()); saturating.
  int64_t milli_value() const;
  /// The exact amount in nano-units.
  __int128 nanos() const { return nanos_; }
  /// An approximation for ratios and scores (never for storage or comparison).
  double as_approximate_double() const;

  Format format() const { return format_; }
  bool is_zero() const { return nanos_ == 0; }
  /// -1, 0 or 1.
  int sign() const { return nanos_ < 0 ? -1 : (nanos_ > 0 ? 1 : 0); }

  /// Compare amounts only; the format is presentation.
  friend bool operator==(const Quantity& a, const Quantity& b) { return a.nanos_ == b.nanos_; }
  friend std::strong_ordering operator<=>(const Quantity& a, const Quantity& b) {
    return a.nanos_ <=> b.nanos_;
  }

  /// Sum and difference keep the left operand's format, except that a zero left operand
  /// takes the right one's (as upstream Add/Sub). Results saturate instead of overflowing.
  Quantity& operator+=(const Quantity& other);
  Quantity& operator-=(const Quantity& other);
  friend Quantity operator+(Quantity a, const Quantity& b) { return a += b; }
  friend Quantity operator-(Quantity a, const Quantity& b) { return a -= b; }
  Quantity operator-() const;

 private:
  Quantity(__int128 nanos, Format format) : nanos_(nanos), format_(format) {}

  __int128 nanos_ = 0;
  Format format_ = Format::DecimalSI;
  /// The parsed text when upstream would have kept it as the canonical form.
  std::string written_;
};

/// A resource name ("cpu", "memory", ...) to amount map, as core/v1 ResourceList.
using ResourceList = std::map<std::string, Quantity>;

}  // namespace kactor::api
