// Which images the simulated registry holds, so that a rollout can be broken the way users
// break real ones: a mistyped tag. The simulated runtime asks it before every container start
// (its "pull"); a missing image is refused with reason ErrImagePull and the container runtime
// daemon's message, and the kubelet reports ErrImagePull, then ImagePullBackOff
// (docs/kubelet.md, "Image pulls").
//
// The rule: a repository the catalog knows (nginx, busybox, ...) has its named tags and the
// version tags up to its newest minor version; any other tag of it is missing (nginx:1.161,
// the Deployments walkthrough's typo). Repositories it does not know pull with any tag, and
// `missing` names images that never pull, whatever the rule.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kactor::kubelet {

/// The reason of the runtime's refusal when an image cannot be pulled.
inline constexpr const char* kErrImagePull = "ErrImagePull";

/// The tags a well-known repository has: named ones, and `major.minor[.patch][-variant]`
/// versions (`1`, `1.27`, `1.27.3-alpine`) with major < max_major, or major == max_major and minor <= max_minor.
struct RepositoryTags {
  std::set<std::string> named;
  int max_major = 0;
  int max_minor = 0;
};

struct ImageCatalog {
  /// By normalized repository ("docker.io/library/nginx").
  std::map<std::string, RepositoryTags> known = default_known_repositories();
  /// Normalized references ("docker.io/library/nginx:1.27") that never pull.
  std::set<std::string> missing;

  /// Sizes in bytes by normalized repository; others get a size derived from the name.
  std::map<std::string, int64_t> sizes = default_image_sizes();

  /// Why `image` cannot be pulled (the message containerd gives), or nullopt if it can.
  std::optional<std::string> pull_error(const std::string& image) const;
  /// The size of `image` once pulled: the repository's in `sizes`, else a stable
  /// 10-500 MiB from a hash of the normalized reference (what the node reports in
  /// status.images, and ImageLocality weighs).
  int64_t size_of(const std::string& image) const;

  /// The default catalog, built once and shared by every runtime that keeps it.
  static std::shared_ptr<const ImageCatalog> shared_default();

  static std::map<std::string, RepositoryTags> default_known_repositories();
  /// Roughly the real images' compressed sizes.
  static std::map<std::string, int64_t> default_image_sizes();
};

/// The names a node reports for a pulled image (status.images[].names), as the kubelet
/// does from containerd: the fully qualified tag, a digest form, and the reference as the
/// pod wrote it (":latest" added when it has no tag), so that the scheduler's
/// ImageLocality finds it under the name pods use.
std::vector<std::string> reported_image_names(const std::string& image);

/// The fully qualified form of an image reference, as the runtime resolves it:
/// "nginx:1.14.2" → "docker.io/library/nginx:1.14.2"; no tag → ":latest"; digests kept.
std::string normalize_image(const std::string& image);

}  // namespace kactor::kubelet
