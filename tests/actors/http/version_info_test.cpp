// `/version` (actors/http/version_info.hpp).
#include "actors/http/version_info.hpp"

#include <catch2/catch.hpp>

#include <regex>

#include <nlohmann/json.hpp>

using namespace kactor::http;

TEST_CASE("version info: every field of version.Info, as strings") {
  const auto v = version_info();
  for (const char* key : {"major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate",
                          "goVersion", "compiler", "platform"}) {
    INFO(key);
    REQUIRE(v.contains(key));
    CHECK(v.at(key).is_string());
  }
  CHECK(v.size() == 9);
  CHECK(v["major"] == "1");
  CHECK(v["minor"] == "32");
  CHECK(v["buildDate"] == "1970-01-01T00:00:00Z");
  CHECK(v["platform"].get<std::string>().find('/') != std::string::npos);
}

TEST_CASE("version info: gitVersion is semver whose major and minor are the reported ones") {
  // kubectl parses gitVersion as semver (k8s.io/apimachinery/pkg/util/version.ParseSemantic) to
  // compare with its own: "v" + semver 2.0 with an optional pre-release and build.
  static const std::regex semver(
      R"(^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))"
      R"((-(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?)"
      R"((\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$)");
  const auto v = version_info();
  const auto git = v["gitVersion"].get<std::string>();
  std::smatch m;
  REQUIRE(std::regex_match(git, m, semver));
  CHECK(m[1] == v["major"].get<std::string>());
  CHECK(m[2] == v["minor"].get<std::string>());
  CHECK(git.starts_with("v1.32.0-kactor."));
}

TEST_CASE("version info: the build's commit, tree state and date are passed through") {
  const auto v = version_info(
      {.git_commit = "abc123", .git_tree_state = "dirty", .build_date = "2025-01-02T03:04:05Z"});
  CHECK(v["gitCommit"] == "abc123");
  CHECK(v["gitTreeState"] == "dirty");
  CHECK(v["buildDate"] == "2025-01-02T03:04:05Z");
}
