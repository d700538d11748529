#include "actors/kubelet/image_catalog.hpp"

#include <fmt/format.h>

#include <charconv>

namespace kactor::kubelet {

namespace {

struct Reference {
  std::string repository;  // normalized
  std::string tag;         // empty with a digest
  bool digest = false;
};

Reference parse(const std::string& image) {
  Reference ref;
  std::string name = image;
  if (auto at = name.find('@'); at != std::string::npos) {
    ref.digest = true;
    name = name.substr(0, at);
  } else {
    auto slash = name.rfind('/');
    auto colon = name.rfind(':');
    // A colon after the last slash separates the tag (one before it is a registry port).
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      ref.tag = name.substr(colon + 1);
      name = name.substr(0, colon);
    } else {
      ref.tag = "latest";
    }
  }
  auto slash = name.find('/');
  std::string first = slash == std::string::npos ? "" : name.substr(0, slash);
  bool has_registry = first.find('.') != std::string::npos ||
                      first.find(':') != std::string::npos || first == "localhost";
  if (!has_registry) name = (slash == std::string::npos ? "docker.io/library/" : "docker.io/") + name;
  ref.repository = name;
  return ref;
}

/// `major[.minor[.patch]][-variant]` → (major, minor); nullopt for other tags.
std::optional<std::pair<int, int>> version_of(const std::string& tag) {
  auto end = tag.find('-');
  std::string v = tag.substr(0, end);
  int parts[3] = {0, 0, 0};
  int n = 0;
  const char* p = v.data();
  const char* last = v.data() + v.size();
  while (p < last && n < 3) {
    auto [next, ec] = std::from_chars(p, last, parts[n]);
    if (ec != std::errc() || next == p) return std::nullopt;
    ++n;
    p = next;
    if (p == last) break;
    if (*p != '.') return std::nullopt;
    ++p;
    if (p == last) return std::nullopt;
  }
  if (p != last || n < 1) return std::nullopt;
  return std::pair{parts[0], parts[1]};
}

}  // namespace

std::shared_ptr<const ImageCatalog> ImageCatalog::shared_default() {
  static const auto catalog = std::make_shared<const ImageCatalog>();
  return catalog;
}

std::map<std::string, RepositoryTags> ImageCatalog::default_known_repositories() {
  return {
      {"docker.io/library/nginx",
       {{"latest", "stable", "mainline", "alpine", "alpine-slim", "perl", "bookworm"}, 1, 27}},
      {"docker.io/library/busybox",
       {{"latest", "stable", "musl", "glibc", "uclibc"}, 1, 37}},
      {"docker.io/library/httpd", {{"latest", "alpine"}, 2, 4}},
      {"docker.io/library/redis", {{"latest", "alpine"}, 7, 4}},
      {"registry.k8s.io/pause", {{"latest"}, 3, 10}},
  };
}

std::optional<std::string> ImageCatalog::pull_error(const std::string& image) const {
  auto ref = parse(image);
  std::string full = normalize_image(image);
  bool found = true;
  if (missing.contains(full)) {
    found = false;
  } else if (auto it = known.find(ref.repository); it != known.end() && !ref.digest) {
    const auto& tags = it->second;
    if (!tags.named.contains(ref.tag)) {
      auto v = version_of(ref.tag);
      found = v && (v->first < tags.max_major ||
                    (v->first == tags.max_major && v->second <= tags.max_minor));
    }
  }
  if (found) return std::nullopt;
  return "rpc error: code = NotFound desc = failed to pull and unpack image \"" + full +
         "\": failed to resolve reference \"" + full + "\": " + full + ": not found";
}

std::map<std::string, int64_t> ImageCatalog::default_image_sizes() {
  constexpr int64_t kMiB = 1024 * 1024;
  return {
      {"docker.io/library/nginx", 67 * kMiB},
      {"docker.io/library/busybox", 4 * kMiB},
      {"docker.io/library/httpd", 58 * kMiB},
      {"docker.io/library/redis", 45 * kMiB},
      {"registry.k8s.io/pause", 1 * kMiB},
  };
}

int64_t ImageCatalog::size_of(const std::string& image) const {
  auto ref = parse(image);
  if (auto it = sizes.find(ref.repository); it != sizes.end()) return it->second;
  // FNV-1a: the same on every run and every node.
  uint64_t h = 1469598103934665603ull;
  for (char c : normalize_image(image)) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  constexpr int64_t kMiB = 1024 * 1024;
  return (10 + static_cast<int64_t>(h % 491)) * kMiB;
}

std::vector<std::string> reported_image_names(const std::string& image) {
  auto full = normalize_image(image);
  auto ref = parse(image);
  std::vector<std::string> names;
  if (ref.digest) {
    names.push_back(full);
  } else {
    // A stable, made-up digest (the simulated registry has no content to hash).
    uint64_t h = 1469598103934665603ull;
    for (char c : full) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    names.push_back(fmt::format("{}@sha256:{:016x}{:016x}{:016x}{:016x}", ref.repository, h,
                                h ^ 0x9e3779b97f4a7c15ull, h * 3, h * 7));
    names.push_back(full);
  }
  // The name as pods write it: the scheduler adds ":latest" to untagged names only.
  auto colon = image.rfind(':');
  auto slash = image.rfind('/');
  bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  auto as_written = tagged ? image : image + ":latest";
  if (as_written != full) names.push_back(as_written);
  return names;
}

std::string normalize_image(const std::string& image) {
  auto ref = parse(image);
  if (ref.digest) return ref.repository + image.substr(image.find('@'));
  return ref.repository + ":" + ref.tag;
}

}  // namespace kactor::kubelet
