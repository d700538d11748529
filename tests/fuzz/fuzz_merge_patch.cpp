// A PATCH body of type application/merge-patch+json applied to a live Pod.
#include "tests/fuzz/patch_fuzzing.hpp"

KACTOR_FUZZ_TARGET(merge_patch) { kactor::fuzz::fuzz_patch("application/merge-patch+json", input); }
