// fuzz_replay: runs fuzz targets over files without libFuzzer (see fuzz_target.hpp).
//   usage: fuzz_replay <target> <file or directory>...
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "tests/fuzz/fuzz_target.hpp"

namespace kactor::fuzz {

namespace {

std::map<std::string, Target>& targets() {
  static std::map<std::string, Target> all;
  return all;
}

void run_file(Target target, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  target(input);
}

}  // namespace

bool register_target(const char* name, Target target) {
  targets()[name] = target;
  return true;
}

}  // namespace kactor::fuzz

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const auto& all = kactor::fuzz::targets();
  const auto found = argc >= 2 ? all.find(argv[1]) : all.end();
  if (found == all.end()) {
    std::fprintf(stderr, "usage: fuzz_replay <target> <file or directory>...\ntargets:");
    for (const auto& [name, target] : all) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  size_t inputs = 0;
  for (int i = 2; i < argc; ++i) {
    const fs::path path(argv[i]);
    if (fs::is_directory(path)) {
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        if (!entry.is_regular_file()) continue;
        std::fprintf(stderr, "%s\n", entry.path().c_str());  // the last one named crashed
        kactor::fuzz::run_file(found->second, entry.path());
        ++inputs;
      }
    } else {
      kactor::fuzz::run_file(found->second, path);
      ++inputs;
    }
  }
  if (inputs == 0) {
    std::fprintf(stderr, "fuzz_replay %s: no inputs\n", argv[1]);
    return 1;
  }
  std::printf("fuzz_replay %s: %zu inputs, no finding\n", argv[1], inputs);
  return 0;
}
