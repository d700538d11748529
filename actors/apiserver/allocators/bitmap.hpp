// A bitmap over [0, size) with a random-start scan, the storage behind the Service
// ClusterIP and NodePort allocators.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "api/util/random.hpp"

namespace kactor::apiserver::allocators {

/// Which items of [0, size) are taken. Dynamic allocation prefers the upper band
/// [offset, size) and falls back to the lower band [0, offset) only when the upper one is
/// full, so static requests (which usually pick low values) rarely collide with dynamic
/// ones (upstream's "static subrange").
class Bitmap {
 public:
  Bitmap(uint32_t size, uint32_t offset);

  uint32_t size() const { return size_; }
  uint32_t offset() const { return offset_; }
  uint32_t used() const { return used_; }
  bool has(uint32_t i) const;

  /// Takes item `i`; false if it is out of range or already taken.
  bool allocate(uint32_t i);
  /// Gives item `i` back (no effect if it was free or is out of range).
  void release(uint32_t i);
  /// Takes a free item: a uniformly random start in the upper band, scanning forward
  /// (wrapping within the band) to the first free item; then the same in the lower band.
  /// nullopt when everything is taken.
  std::optional<uint32_t> allocate_next(Random& random);

 private:
  /// The first free item in [from, to), if any.
  std::optional<uint32_t> find_free(uint32_t from, uint32_t to) const;
  std::optional<uint32_t> scan_band(uint32_t begin, uint32_t end, Random& random);

  uint32_t size_;
  uint32_t offset_;
  uint32_t used_ = 0;
  std::vector<uint64_t> words_;
};

}  // namespace kactor::apiserver::allocators
