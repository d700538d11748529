// The protobuf wire format, read without trusting it: every read is bounds-checked and a
// malformed input is a nullopt, never an exception or a read past the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kactor::http::protobuf::detail {

/// The wire types of protobuf's encoding (groups, 3 and 4, are not used by Kubernetes).
enum class WireType : std::uint8_t {
  varint = 0,
  fixed64 = 1,
  length_delimited = 2,
  start_group = 3,
  end_group = 4,
  fixed32 = 5,
};

struct Tag {
  std::uint32_t number;
  WireType type;
};

/// Reads the fields of one message's bytes front to back. `base` is where those bytes start
/// in the whole body, so errors can name an absolute offset.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes, std::size_t base = 0) : bytes_(bytes), base_(base) {}

  bool done() const { return pos_ == bytes_.size(); }
  /// Offset in the whole body of the next byte to read.
  std::size_t offset() const { return base_ + pos_; }

  /// At most 10 bytes, the last holding at most the 64th bit (as upstream's decoder).
  std::optional<std::uint64_t> varint() {
    std::uint64_t value = 0;
    for (int i = 0; i < 10; ++i) {
      if (pos_ == bytes_.size()) return std::nullopt;
      const auto byte = static_cast<std::uint8_t>(bytes_[pos_++]);
      if (i == 9 && byte > 1) return std::nullopt;
      value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
      if (byte < 0x80) return value;
    }
    return std::nullopt;
  }

  /// A field number in 1..2^29-1 and a wire type kactor knows (groups are refused).
  std::optional<Tag> tag() {
    const auto key = varint();
    if (!key) return std::nullopt;
    const auto number = *key >> 3;
    const auto type = static_cast<std::uint8_t>(*key & 7);
    if (number == 0 || number > 0x1fffffff) return std::nullopt;
    if (type != 0 && type != 1 && type != 2 && type != 5) return std::nullopt;
    return Tag{static_cast<std::uint32_t>(number), static_cast<WireType>(type)};
  }

  /// The bytes of a length-delimited value (a string, bytes, a message or a packed list).
  std::optional<std::string_view> length_delimited() {
    const auto length = varint();
    if (!length || *length > bytes_.size() - pos_) return std::nullopt;
    const auto out = bytes_.substr(pos_, static_cast<std::size_t>(*length));
    pos_ += out.size();
    return out;
  }

  /// Skips the value of a field of the given wire type; false when it does not fit.
  bool skip(WireType type) {
    switch (type) {
      case WireType::varint:
        return varint().has_value();
      case WireType::length_delimited:
        return length_delimited().has_value();
      case WireType::fixed64:
        return advance(8);
      case WireType::fixed32:
        return advance(4);
      default:
        return false;
    }
  }

 private:
  bool advance(std::size_t n) {
    if (n > bytes_.size() - pos_) return false;
    pos_ += n;
    return true;
  }

  std::string_view bytes_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

}  // namespace kactor::http::protobuf::detail
