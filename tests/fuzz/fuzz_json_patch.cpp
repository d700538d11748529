// A PATCH body of type application/json-patch+json applied to a live Pod.
#include "tests/fuzz/patch_fuzzing.hpp"

KACTOR_FUZZ_TARGET(json_patch) { kactor::fuzz::fuzz_patch("application/json-patch+json", input); }
