// base64url without padding (RFC 7515 §2), the encoding of a JWT's three parts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kactor::tokens {

std::string base64url_encode(std::string_view bytes);
/// nullopt for a character outside the alphabet, padding, or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace kactor::tokens
