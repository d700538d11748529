// Small value types shared by the API kinds: times, int-or-string and raw JSON objects.
#pragma once

#include <cstdint>
#include <string>

#include "api/time/clock.hpp"

namespace kactor::api {

/// metav1.Time: RFC 3339 with second precision on the wire. Unset = epoch.
struct Time {
  TimePoint value{};
  bool is_set() const { return value.time_since_epoch().count() != 0; }
  bool operator==(const Time&) const = default;
  auto operator<=>(const Time&) const = default;
};

/// metav1.MicroTime: RFC 3339 with microsecond precision on the wire.
struct MicroTime {
  TimePoint value{};
  bool is_set() const { return value.time_since_epoch().count() != 0; }
  bool operator==(const MicroTime&) const = default;
  auto operator<=>(const MicroTime&) const = default;
};

/// intstr.IntOrString: a port number or a port name, a count or a percentage.
struct IntOrString {
  bool is_string = false;
  int32_t int_value = 0;
  std::string string_value;

  static IntOrString from_int(int32_t v) { return {false, v, {}}; }
  static IntOrString from_string(std::string s) { return {true, 0, std::move(s)}; }
  bool empty() const { return !is_string && int_value == 0; }
  std::string to_string() const { return is_string ? string_value : std::to_string(int_value); }
  bool operator==(const IntOrString&) const = default;
};

/// A JSON object carried as given, for sub-objects kactor stores and serves but never
/// interprets (the volume sources of storage systems it has no driver for: nfs, csi,
/// projected, ...). Holding the compact text (keys sorted, as nlohmann::json dumps an
/// object) keeps this header free of the JSON library and makes equality textual. The JSON
/// codec accepts only an object here; the msgpack codec stores the text.
struct RawJson {
  std::string text;  ///< compact JSON object; empty = absent
  bool empty() const { return text.empty(); }
  bool operator==(const RawJson&) const = default;
};

}  // namespace kactor::api
