// Builds protobuf bytes by hand, for tests that need bodies kubectl does not send (unknown
// field numbers, packed lists, zero pointers, malformed input).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kactor::http::protobuf::testing {

inline std::string varint(std::uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

/// A varint field (bool, int32, int64; a negative number as its 64-bit two's complement).
inline std::string number_field(std::uint32_t number, std::int64_t v) {
  return varint(std::uint64_t{number} << 3) + varint(static_cast<std::uint64_t>(v));
}

/// A length-delimited field: a string, bytes or an embedded message.
inline std::string bytes_field(std::uint32_t number, std::string_view bytes) {
  return varint((std::uint64_t{number} << 3) | 2) + varint(bytes.size()) + std::string(bytes);
}

/// A map<string, string> entry.
inline std::string entry(std::uint32_t number, std::string_view key, std::string_view value) {
  return bytes_field(number, bytes_field(1, key) + bytes_field(2, value));
}

/// The envelope: "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw}.
inline std::string envelope(std::string_view api_version, std::string_view kind,
                            std::string_view raw) {
  using namespace std::string_view_literals;
  return std::string("k8s\0"sv) +
         bytes_field(1, bytes_field(1, api_version) + bytes_field(2, kind)) + bytes_field(2, raw);
}

}  // namespace kactor::http::protobuf::testing
