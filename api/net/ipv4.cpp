#include "api/net/ipv4.hpp"

#include <charconv>

namespace kactor::api::net {

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  uint32_t ip = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
    // Digits only, no sign, no leading zeros (as Go's parser, which refuses "010").
    if (p == end || *p < '0' || *p > '9') return std::nullopt;
    unsigned value = 0;
    auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc{} || value > 255 || (next - p > 1 && *p == '0')) return std::nullopt;
    p = next;
    ip = (ip << 8) | value;
  }
  if (p != end) return std::nullopt;
  return ip;
}

std::string format_ipv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
         std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

bool Ipv4Cidr::contains(uint32_t ip) const {
  if (prefix == 0) return true;
  uint32_t mask = ~uint32_t{0} << (32 - prefix);
  return (ip & mask) == base;
}

std::string Ipv4Cidr::to_string() const {
  return format_ipv4(base) + "/" + std::to_string(prefix);
}

std::optional<Ipv4Cidr> parse_ipv4_network(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto ip = parse_ipv4(text.substr(0, slash));
  if (!ip) return std::nullopt;
  auto bits = text.substr(slash + 1);
  int prefix = -1;
  auto [next, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  if (ec != std::errc{} || next != bits.data() + bits.size() || prefix < 0 || prefix > 32)
    return std::nullopt;
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return Ipv4Cidr{*ip & mask, prefix};
}

std::optional<Ipv4Cidr> parse_ipv4_cidr(std::string_view text) {
  auto cidr = parse_ipv4_network(text);
  if (!cidr) return std::nullopt;
  // Host bits set: the masked base differs from the address written.
  auto written = parse_ipv4(text.substr(0, text.find('/')));
  if (*written != cidr->base) return std::nullopt;
  return cidr;
}

}  // namespace kactor::api::net
