// The bounds on untrusted input that every decoder and patch engine applies, in one place.
//
// The numbers are upstream's: Go's JSON decoder and go-yaml refuse nesting deeper than 10,000
// levels, kube-apiserver refuses request bodies over 3 MiB, JSON patches with more than 10,000
// operations and JSON patches that copy more than 3 MiB in total.
#pragma once

#include <cstddef>

namespace kactor::api::limits {

/// Deepest nesting of arrays and objects (YAML sequences and mappings) any decoder or patch
/// engine accepts: `[]` is one level, `[[]]` two. Code that recurses over decoded values relies
/// on it; everything at this depth fits in a 2 MiB thread stack (a CAF worker's smallest).
inline constexpr int kMaxDepth = 10'000;

/// Largest request body (upstream's MaxRequestBodyBytes).
inline constexpr std::size_t kMaxRequestBodyBytes = 3 * 1024 * 1024;

/// Most operations in one JSON patch (upstream's maxJSONPatchOperations).
inline constexpr std::size_t kMaxJsonPatchOperations = 10'000;

/// Most bytes the `copy` operations of one JSON patch may copy in total, measured as the
/// copied values' JSON text (upstream's JSONPatchMaxCopyBytes).
inline constexpr std::size_t kMaxJsonPatchCopyBytes = 3 * 1024 * 1024;

/// Longest excerpt of an input an error message quotes.
inline constexpr std::size_t kMaxQuotedBytes = 200;

}  // namespace kactor::api::limits
