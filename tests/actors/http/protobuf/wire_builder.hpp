// Builds protobuf bytes by hand, for tests that need bodies kubectl does not send (unknown
// field numbers, packed lists, zero pointers, malformed input).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "actors/http/protobuf/wire_writer.hpp"

namespace kactor::http::protobuf::testing {

using protobuf::bytes_field;
using protobuf::number_field;
using protobuf::varint;

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
