// One fuzz target is one function over bytes, defined with KACTOR_FUZZ_TARGET(name).
//
// In the libFuzzer build (tests/fuzz/run: clang-15, -fsanitize=fuzzer,address,undefined)
// each target is its own program and the function is its LLVMFuzzerTestOneInput. In the
// normal build every target links into `fuzz_replay`, which runs a target over its corpus in
// tests/fuzz/corpus/<name>/ as a CTest entry ("fuzz: <name> corpus"), so the seeds and every
// input that once crashed stay tested on each build.
//
// A target calls the code under test and checks what must hold for any input with
// FUZZ_REQUIRE: a broken property aborts, which both drivers report as a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace kactor::fuzz {

using Target = void (*)(std::string_view input);

/// Registers a target with fuzz_replay (unused in the libFuzzer build).
bool register_target(const char* name, Target target);

/// Reports a broken property and aborts.
[[noreturn]] inline void property_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", file, line, what);
  std::abort();
}

}  // namespace kactor::fuzz

#define FUZZ_REQUIRE(cond) \
  ((cond) ? (void)0 : ::kactor::fuzz::property_failed(#cond, __FILE__, __LINE__))

#ifdef KACTOR_LIBFUZZER
#define KACTOR_FUZZ_ENTRY(name)                                                   \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) { \
    fuzz_##name(std::string_view(reinterpret_cast<const char*>(data), size));    \
    return 0;                                                                     \
  }
#else
#define KACTOR_FUZZ_ENTRY(name) \
  [[maybe_unused]] static const bool registered_##name = ::kactor::fuzz::register_target(#name, &fuzz_##name);
#endif

#define KACTOR_FUZZ_TARGET(name)                 \
  static void fuzz_##name(std::string_view input); \
  KACTOR_FUZZ_ENTRY(name)                        \
  static void fuzz_##name(std::string_view input)
