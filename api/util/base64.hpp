// Standard base64 (RFC 4648 with padding), as Go's encoding/json uses for []byte
// fields (Secret data, ConfigMap binaryData).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kactor::api {

std::string base64_encode(std::string_view bytes);
/// The decoded bytes, or nullopt when `text` is not valid padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace kactor::api
