// A PATCH body of type application/strategic-merge-patch+json applied to a live Pod.
#include "tests/fuzz/patch_fuzzing.hpp"

KACTOR_FUZZ_TARGET(strategic_patch) { kactor::fuzz::fuzz_patch("application/strategic-merge-patch+json", input); }
