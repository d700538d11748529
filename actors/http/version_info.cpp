#include "actors/http/version_info.hpp"

#include <nlohmann/json.hpp>

#include "api/version.hpp"

namespace kactor::http {
namespace {

/// Where Go says "gc", the compiler that built this server.
constexpr const char* compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

/// GOOS/GOARCH spelling, as upstream reports its platform.
constexpr const char* platform() {
#if defined(__linux__) && defined(__x86_64__)
  return "linux/amd64";
#elif defined(__linux__) && defined(__aarch64__)
  return "linux/arm64";
#elif defined(__APPLE__) && defined(__aarch64__)
  return "darwin/arm64";
#elif defined(__APPLE__) && defined(__x86_64__)
  return "darwin/amd64";
#else
  return "unknown";
#endif
}

}  // namespace

nlohmann::json version_info(const BuildInfo& build) {
  return {{"major", kKubernetesMajor},
          {"minor", kKubernetesMinor},
          {"gitVersion", kKubernetesVersion},
          {"gitCommit", build.git_commit},
          {"gitTreeState", build.git_tree_state},
          {"buildDate", build.build_date},
          // Printed by `kubectl version -o yaml`, parsed by nobody: say plainly there is no Go.
          {"goVersion", "n/a (C++)"},
          {"compiler", compiler()},
          {"platform", platform()}};
}

}  // namespace kactor::http
