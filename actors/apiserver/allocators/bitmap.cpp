#include "actors/apiserver/allocators/bitmap.hpp"

#include <algorithm>
#include <bit>

namespace kactor::apiserver::allocators {

Bitmap::Bitmap(uint32_t size, uint32_t offset)
    : size_(size), offset_(std::min(offset, size)), words_((size + 63) / 64, 0) {}

bool Bitmap::has(uint32_t i) const {
  return i < size_ && (words_[i / 64] >> (i % 64)) & 1U;
}

bool Bitmap::allocate(uint32_t i) {
  if (i >= size_ || has(i)) return false;
  words_[i / 64] |= uint64_t{1} << (i % 64);
  ++used_;
  return true;
}

void Bitmap::release(uint32_t i) {
  if (!has(i)) return;
  words_[i / 64] &= ~(uint64_t{1} << (i % 64));
  --used_;
}

std::optional<uint32_t> Bitmap::find_free(uint32_t from, uint32_t to) const {
  uint32_t i = from;
  while (i < to) {
    uint64_t word = words_[i / 64];
    // Skip whole words that are full; otherwise look at the free bits from i onwards.
    uint64_t free_bits = ~word & (~uint64_t{0} << (i % 64));
    if (free_bits == 0) {
      i = (i / 64 + 1) * 64;
      continue;
    }
    uint32_t candidate = (i / 64) * 64 + static_cast<uint32_t>(std::countr_zero(free_bits));
    if (candidate >= to) return std::nullopt;
    return candidate;
  }
  return std::nullopt;
}

std::optional<uint32_t> Bitmap::scan_band(uint32_t begin, uint32_t end, Random& random) {
  if (begin >= end) return std::nullopt;
  uint32_t start = begin + static_cast<uint32_t>(random.uniform(end - begin));
  auto found = find_free(start, end);
  if (!found) found = find_free(begin, start);
  if (found) allocate(*found);
  return found;
}

std::optional<uint32_t> Bitmap::allocate_next(Random& random) {
  if (used_ >= size_) return std::nullopt;
  if (auto upper = scan_band(offset_, size_, random)) return upper;
  return scan_band(0, offset_, random);
}

}  // namespace kactor::apiserver::allocators
