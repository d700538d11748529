#include "store/codec.hpp"

namespace kactor::store::codec {
namespace {

void append_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

/// Reads big-endian integers off the front of a byte view; any short read poisons it.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  uint64_t be(int bytes) {
    if (!ok_ || rest_.size() < static_cast<size_t>(bytes)) {
      ok_ = false;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(rest_[i]);
    rest_.remove_prefix(bytes);
    return v;
  }

  /// A non-negative signed 64-bit number (revisions, times since the epoch).
  int64_t i64() {
    uint64_t v = be(8);
    if (v > static_cast<uint64_t>(INT64_MAX)) ok_ = false;
    return static_cast<int64_t>(v);
  }

  /// Any signed 64-bit number in two's complement (the writer's clock may be anything).
  int64_t any_i64() { return static_cast<int64_t>(be(8)); }

  std::string_view take(size_t n) {
    if (!ok_ || rest_.size() < n) {
      ok_ = false;
      return {};
    }
    std::string_view v = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return v;
  }

  std::string_view rest() const { return rest_; }
  bool ok() const { return ok_; }

 private:
  std::string_view rest_;
  bool ok_ = true;
};

}  // namespace

std::string encode_revision(int64_t revision) {
  std::string out;
  out.reserve(8);
  append_be(out, static_cast<uint64_t>(revision), 8);
  return out;
}

std::optional<int64_t> decode_revision(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  Reader r(bytes);
  int64_t v = r.i64();
  if (!r.ok()) return std::nullopt;
  return v;
}

std::string encode_object(int64_t create_revision, int64_t mod_revision, std::string_view value) {
  std::string out;
  out.reserve(17 + value.size());
  out.push_back(static_cast<char>(format_version));
  append_be(out, static_cast<uint64_t>(create_revision), 8);
  append_be(out, static_cast<uint64_t>(mod_revision), 8);
  out.append(value);
  return out;
}

std::optional<ObjectView> decode_object(std::string_view bytes) {
  Reader r(bytes);
  if (r.be(1) != format_version) return std::nullopt;
  ObjectView o;
  o.create_revision = r.i64();
  o.mod_revision = r.i64();
  if (!r.ok()) return std::nullopt;
  o.value = r.rest();
  return o;
}

std::string encode_event(const Event& event) {
  std::string out;
  out.reserve(30 + event.key.size() + event.value.size());
  out.push_back(static_cast<char>(format_version));
  out.push_back(static_cast<char>(event.type));
  append_be(out, static_cast<uint64_t>(event.create_revision), 8);
  append_be(out, static_cast<uint64_t>(event.prev_mod_revision), 8);
  append_be(out, static_cast<uint64_t>(event.time_ms), 8);
  append_be(out, event.key.size(), 4);
  out.append(event.key);
  out.append(event.value);
  return out;
}

std::optional<Event> decode_event(int64_t revision, std::string_view bytes) {
  Reader r(bytes);
  if (r.be(1) != format_version) return std::nullopt;
  uint64_t type = r.be(1);
  if (type < static_cast<uint64_t>(EventType::created) ||
      type > static_cast<uint64_t>(EventType::deleted)) {
    return std::nullopt;
  }
  Event e;
  e.revision = revision;
  e.type = static_cast<EventType>(type);
  e.create_revision = r.i64();
  e.prev_mod_revision = r.i64();
  e.time_ms = r.any_i64();
  size_t key_size = r.be(4);
  e.key = std::string(r.take(key_size));
  if (!r.ok()) return std::nullopt;
  e.value = std::string(r.rest());
  return e;
}

}  // namespace kactor::store::codec
