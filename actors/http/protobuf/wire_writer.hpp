// The protobuf wire format, written: the few field kinds the server encodes itself (the
// /openapi/v2 document) and the tests build bodies with.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kactor::http::protobuf {

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

}  // namespace kactor::http::protobuf
