#include "runtime/cli/certs.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "actors/http/role_pki.hpp"

namespace kactor::cli {

int run_certs(const std::string& dir, const std::vector<std::string>& hosts,
              const std::vector<std::string>& nodes) {
  http::RolePkiRequest request{hosts, nodes};
  auto changes = http::ensure_role_pki(dir, request, std::chrono::system_clock::now());
  if (!changes) {
    spdlog::error("kactor certs --dir {}: {}", dir, changes.error().message);
    return 1;
  }
  for (const auto& line : *changes) std::printf("%s\n", line.c_str());
  std::printf("certs ready: %s: ca, apiserver, admin, controller-manager, scheduler, %zu nodes "
              "with their kubelets' serving certificates (%zu files created or re-issued)\n",
              dir.c_str(), nodes.size(), changes->size());
  return 0;
}

}  // namespace kactor::cli
