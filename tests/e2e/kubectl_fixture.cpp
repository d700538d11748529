#include "kubectl_fixture.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>

namespace kactor::testing {

std::vector<std::string> kubectls() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("KACTOR_KUBECTL"); env && *env) {
    std::string list(env);
    size_t start = 0;
    while (start <= list.size()) {
      auto end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) out.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  } else {
    if (std::filesystem::exists(KACTOR_KUBECTL_120)) out.push_back(KACTOR_KUBECTL_120);
    if (const char* path = std::getenv("PATH")) {
      std::string p(path);
      size_t start = 0;
      while (start <= p.size()) {
        auto end = p.find(':', start);
        if (end == std::string::npos) end = p.size();
        auto candidate = std::filesystem::path(p.substr(start, end - start)) / "kubectl";
        if (!p.substr(start, end - start).empty() && access(candidate.c_str(), X_OK) == 0) {
          out.push_back(candidate.string());
          break;
        }
        start = end + 1;
      }
    }
  }
  INFO("no kubectl to test with: tests/run fetches Debian's kubectl 1.20 into build/tools; or set "
       "KACTOR_KUBECTL");
  REQUIRE_FALSE(out.empty());
  return out;
}

Kubectl::Kubectl(const std::string& binary, const ServedCluster& cluster)
    : binary_(binary), kubeconfig_(cluster.api->kubeconfig()) {
  static int counter = 0;
  cache_dir_ = cluster.dir / ("kubectl-cache-" + std::to_string(counter++));
}

Kubectl::~Kubectl() = default;

std::map<std::string, std::string> Kubectl::env() const {
  // KUBECTL_EXTERNAL_DIFF cleared: `kubectl diff` prints diff -u's lines whatever the
  // caller's environment chose.
  return {{"KUBECONFIG", kubeconfig_.string()},
          {"HOME", cache_dir_.string()},
          {"KUBECTL_EXTERNAL_DIFF", ""}};
}

std::vector<std::string> Kubectl::argv(const std::vector<std::string>& args) const {
  std::vector<std::string> a{binary_, "--cache-dir", cache_dir_.string()};
  a.insert(a.end(), args.begin(), args.end());
  return a;
}

ProcessResult Kubectl::run(const std::vector<std::string>& args, const std::string& input) const {
  auto r = run_process(argv(args), env(), input, std::chrono::seconds(60));
  UNSCOPED_INFO("$ kubectl " << [&] {
    std::string s;
    for (auto& a : args) s += a + " ";
    return s;
  }() << "\n[exit " << r.exit_code << "]\n" << r.out << r.err);
  return r;
}

int Kubectl::minor() const {
  auto r = run_process({binary_, "version", "--client", "-o", "json"}, env(), "", std::chrono::seconds(30));
  auto at = r.out.find("\"minor\": \"");
  REQUIRE(at != std::string::npos);
  return std::stoi(r.out.substr(at + 10));
}

std::vector<std::string> folded_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  bool space = false;
  for (char c : text) {
    if (c == '\n') {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      lines.push_back(line);
      line.clear();
      space = false;
    } else if (c == ' ') {
      if (!space) line.push_back(' ');
      space = true;
    } else {
      line.push_back(c);
      space = false;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace kactor::testing
