// Small value types shared by the API kinds: times, int-or-string and raw JSON objects.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

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
///
/// The text is immutable and shared: copying a RawJson (and so every copy of a pod that an
/// informer or a status update makes) costs a reference count, and an absent one is a null
/// pointer — a Volume has 25 of them, so their size is paid per volume of every pod. The
/// texts nearly every object carries (the kube-api-access projection the ServiceAccount
/// admission adds to every pod) are interned: one copy per process, however they were made.
class RawJson {
 public:
  RawJson() = default;
  /// `text` must be a compact JSON object (the codecs check that before they build one).
  explicit RawJson(std::string_view text);

  /// The compact JSON text; "" when absent.
  const std::string& text() const;
  bool empty() const { return text_ == nullptr; }
  /// Whether `text` is one of the interned texts (known to be a valid compact object).
  static bool interned(std::string_view text);

  bool operator==(const RawJson& o) const { return text_ == o.text_ || text() == o.text(); }

 private:
  std::shared_ptr<const std::string> text_;
};

}  // namespace kactor::api
