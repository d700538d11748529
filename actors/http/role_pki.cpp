#include "actors/http/role_pki.hpp"

#include <fmt/format.h>

#include "actors/http/pki_lock.hpp"
#include "api/validation/names.hpp"

namespace kactor::http {

namespace fs = std::filesystem;

std::optional<std::string> node_name_of(const UserInfo& user) {
  if (!user.name.starts_with(kNodeUserPrefix) || user.name.size() == kNodeUserPrefix.size())
    return std::nullopt;
  for (const auto& group : user.groups)
    if (group == kNodesGroup) return user.name.substr(kNodeUserPrefix.size());
  return std::nullopt;
}

fs::path certificate_path(const fs::path& dir, std::string_view stem) {
  return dir / (std::string(stem) + ".crt");
}

fs::path key_path(const fs::path& dir, std::string_view stem) {
  return dir / (std::string(stem) + ".key");
}

std::string node_stem(std::string_view name) {
  return std::string(kNodesDir) + "/" + std::string(name);
}

std::string kubelet_serving_stem(std::string_view name) {
  std::string stem(kKubeletServingDir);
  stem += '/';
  stem += name;
  return stem;
}

api::Result<std::vector<std::string>> ensure_role_pki(const fs::path& dir,
                                                      const RolePkiRequest& request,
                                                      TimePoint now) {
  // Every name is checked before anything is written: a typo leaves the directory as it was.
  for (size_t i = 0; i < request.nodes.size(); ++i) {
    if (auto errors = api::is_dns1123_subdomain(request.nodes[i]); !errors.empty())
      return api::fail(api::bad_request(
          fmt::format("nodes[{}]: Invalid value: \"{}\": {}", i, request.nodes[i], errors.front())));
  }
  if (auto hosts = serving_alt_names(request.hosts); !hosts) {  // before the lock makes `dir`
    auto status = hosts.error();
    status.message = "cluster PKI: " + status.message;  // as ensure_cluster_pki words it
    return api::fail(std::move(status));
  }
  auto lock = PkiDirLock::acquire(dir);  // for all it writes, not each file apart
  if (!lock) return api::fail(lock.error());
  auto pki = ensure_cluster_pki(dir, request.hosts, now);
  if (!pki) return api::fail(pki.error());
  std::vector<std::string> changes = std::move(pki->changes);
  auto client = [&](std::string_view stem, const std::string& user,
                    const std::vector<std::string>& groups) -> api::Result<void> {
    auto made = ensure_client_certificate(dir, certificate_path(dir, stem), key_path(dir, stem),
                                          user, groups, now);
    if (!made) return api::fail(made.error());
    changes.insert(changes.end(), made->begin(), made->end());
    return {};
  };
  if (auto ok = client(kControllerManagerStem, std::string(kControllerManagerUser), {}); !ok)
    return api::fail(ok.error());
  if (auto ok = client(kSchedulerStem, std::string(kSchedulerUser), {}); !ok)
    return api::fail(ok.error());
  for (const auto& node : request.nodes) {
    const std::string user = std::string(kNodeUserPrefix) + node;
    if (auto ok = client(node_stem(node), user, {std::string(kNodesGroup)}); !ok)
      return api::fail(ok.error());
    const auto stem = kubelet_serving_stem(node);
    auto serving = ensure_serving_certificate(dir, certificate_path(dir, stem), key_path(dir, stem),
                                              user, {std::string(kNodesGroup)}, {node}, now);
    if (!serving) return api::fail(serving.error());
    changes.insert(changes.end(), serving->begin(), serving->end());
  }
  return changes;
}

}  // namespace kactor::http
