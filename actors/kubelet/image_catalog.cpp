#include "actors/kubelet/image_catalog.hpp"

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

std::string normalize_image(const std::string& image) {
  auto ref = parse(image);
  if (ref.digest) return ref.repository + image.substr(image.find('@'));
  return ref.repository + ":" + ref.tag;
}

}  // namespace kactor::kubelet
