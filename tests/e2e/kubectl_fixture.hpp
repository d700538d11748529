// The real kubectl against a served in-process cluster: each kubectl found (Debian's 1.20 that
// tests/run fetches, and the kubectl on PATH, e.g. 1.32) runs every test, each with a fresh
// discovery cache and the cluster's kubeconfig.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "tests/support/served_cluster.hpp"

namespace kactor::testing {

/// The kubectl binaries to test with: $KACTOR_KUBECTL (colon-separated paths), else the one
/// tests/run fetched (build/tools/kubectl-1.20) and `kubectl` on PATH. Fails the test when none.
std::vector<std::string> kubectls();

class Kubectl {
 public:
  Kubectl(const std::string& binary, const ServedCluster& cluster);
  ~Kubectl();
  /// kubectl <args> with `input` on stdin; at most 60 s.
  ProcessResult run(const std::vector<std::string>& args, const std::string& input = "") const;
  /// Its argv for a long-running command (get -w).
  std::vector<std::string> argv(const std::vector<std::string>& args) const;
  const std::string& binary() const { return binary_; }
  /// The client's minor version (20 for Debian's 1.20, 32 for 1.32).
  int minor() const;
  std::map<std::string, std::string> env() const;

 private:
  std::string binary_;
  std::filesystem::path kubeconfig_;
  std::filesystem::path cache_dir_;
};

/// Lines of `text` split on '\n', each with runs of spaces folded into one (columns are padded).
std::vector<std::string> folded_lines(const std::string& text);

}  // namespace kactor::testing
