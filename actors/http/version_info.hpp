// `/version`: the version.Info document `kubectl version` prints and client-go parses.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace kactor::http {

/// What the build knows about itself; defaults are upstream's for a build without git data.
struct BuildInfo {
  std::string git_commit;
  /// "clean" or "dirty"; empty when unknown.
  std::string git_tree_state;
  /// RFC 3339, UTC.
  std::string build_date = "1970-01-01T00:00:00Z";
};

/// {major: "1", minor: "32", gitVersion: "v1.32.0-kactor.<kactor version>", gitCommit,
/// gitTreeState, buildDate, goVersion, compiler, platform}. gitVersion is semver (kubectl parses
/// it to warn about version skew): v1.32.0 with kactor's release as the pre-release part.
nlohmann::json version_info(const BuildInfo& build = {});

}  // namespace kactor::http
