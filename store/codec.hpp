// Internal: the byte layout of what the store keeps in RocksDB. Not part of the public API.
//
// Column family "objects":  key                → [u8 format][be64 create][be64 mod][value...]
// Column family "events":   be64(revision)     → [u8 format][u8 type][be64 create]
//                                                 [be64 prev_mod][be64 time_ms][be32 key size]
//                                                 [key][value...]
// Default column family:    "revision", "compacted_revision", "open_count" → be64;
//                           "format" → u8.
//
// Revisions are big-endian so RocksDB's bytewise order is revision order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/types.hpp"

namespace kactor::store::codec {

/// Version byte leading every stored value, so the layout can evolve.
inline constexpr uint8_t format_version = 1;

inline constexpr std::string_view meta_revision_key = "revision";
inline constexpr std::string_view meta_compacted_key = "compacted_revision";
inline constexpr std::string_view meta_format_key = "format";
inline constexpr std::string_view meta_open_count_key = "open_count";

/// 8 bytes, big-endian (revisions are never negative).
std::string encode_revision(int64_t revision);
/// nullopt unless exactly 8 bytes encoding a non-negative number.
std::optional<int64_t> decode_revision(std::string_view bytes);

std::string encode_object(int64_t create_revision, int64_t mod_revision, std::string_view value);

/// A decoded object value; `value` views into the decoded bytes.
struct ObjectView {
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  std::string_view value;
};
std::optional<ObjectView> decode_object(std::string_view bytes);

/// The event's revision is the RocksDB key, so it is not repeated in the value.
std::string encode_event(const Event& event);
std::optional<Event> decode_event(int64_t revision, std::string_view bytes);

}  // namespace kactor::store::codec
