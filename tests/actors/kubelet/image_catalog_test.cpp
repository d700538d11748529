// The simulated registry: which images pull, and the runtime's message for those that do not.
#include <catch2/catch.hpp>

#include "actors/kubelet/image_catalog.hpp"
#include "actors/kubelet/node_status.hpp"

using namespace kactor::kubelet;

TEST_CASE("image references are normalized as the runtime resolves them", "[kubelet][images]") {
  CHECK(normalize_image("nginx") == "docker.io/library/nginx:latest");
  CHECK(normalize_image("nginx:1.14.2") == "docker.io/library/nginx:1.14.2");
  CHECK(normalize_image("bitnami/nginx:1.25") == "docker.io/bitnami/nginx:1.25");
  CHECK(normalize_image("registry.k8s.io/pause:3.9") == "registry.k8s.io/pause:3.9");
  CHECK(normalize_image("localhost:5000/app") == "localhost:5000/app:latest");
  CHECK(normalize_image("nginx@sha256:abc") == "docker.io/library/nginx@sha256:abc");
}

TEST_CASE("a well-known repository has its tags, a typo does not pull", "[kubelet][images]") {
  ImageCatalog catalog;
  for (const char* image : {"nginx", "nginx:1.14.2", "nginx:1.16.1", "nginx:1.27.3-alpine",
                            "nginx:1", "nginx:stable", "busybox:1.36", "nginx@sha256:abc",
                            "example.com/team/app:v7", "pause:3.9"})
    CHECK_FALSE(catalog.pull_error(image).has_value());
  // The Deployments walkthrough's typo, and tags past the newest version.
  auto err = catalog.pull_error("nginx:1.161");
  REQUIRE(err.has_value());
  CHECK(*err ==
        "rpc error: code = NotFound desc = failed to pull and unpack image "
        "\"docker.io/library/nginx:1.161\": failed to resolve reference "
        "\"docker.io/library/nginx:1.161\": docker.io/library/nginx:1.161: not found");
  for (const char* image : {"nginx:2", "nginx:1.99", "nginx:lastest", "busybox:9.1"})
    CHECK(catalog.pull_error(image).has_value());
  // Any image can be declared missing.
  catalog.missing.insert("docker.io/library/app:v2");
  CHECK(catalog.pull_error("app:v2").has_value());
  CHECK_FALSE(catalog.pull_error("app:v1").has_value());
}

TEST_CASE("a pulled image is reported under its qualified, digest and written names",
          "[kubelet][images]") {
  auto names = reported_image_names("nginx:1.27");
  REQUIRE(names.size() == 3);
  CHECK(names[0].starts_with("docker.io/library/nginx@sha256:"));
  CHECK(names[0].size() == std::string("docker.io/library/nginx@sha256:").size() + 64);
  CHECK(names[1] == "docker.io/library/nginx:1.27");
  CHECK(names[2] == "nginx:1.27");  // what the scheduler's ImageLocality looks up
  CHECK(reported_image_names("nginx:1.27") == names);  // stable
  // Untagged: ":latest", as ImageLocality normalizes the pod's image.
  CHECK(reported_image_names("busybox").back() == "busybox:latest");
  // Already fully qualified: no duplicate name.
  auto full = reported_image_names("registry.k8s.io/pause:3.10");
  CHECK(full.size() == 2);
  CHECK(full[1] == "registry.k8s.io/pause:3.10");
}

TEST_CASE("image sizes: known repositories as listed, others stable from the name",
          "[kubelet][images]") {
  ImageCatalog catalog;
  constexpr int64_t kMiB = 1024 * 1024;
  CHECK(catalog.size_of("nginx:1.27") == 67 * kMiB);
  CHECK(catalog.size_of("registry.k8s.io/pause:3.10") == 1 * kMiB);
  auto size = catalog.size_of("example.com/team/app:v7");
  CHECK(size >= 10 * kMiB);
  CHECK(size <= 500 * kMiB);
  CHECK(ImageCatalog{}.size_of("example.com/team/app:v7") == size);
  CHECK(catalog.size_of("example.com/team/app:v8") != size);
}

TEST_CASE("status.images lists the largest images first, at most 50", "[kubelet][images]") {
  std::vector<kactor::api::ContainerImage> images;
  for (int i = 0; i < 60; ++i) images.push_back({{"img:" + std::to_string(i)}, int64_t{i} * 1000});
  auto reported = reported_images(images);
  REQUIRE(reported.size() == 50);
  CHECK(reported.front().names == std::vector<std::string>{"img:59"});
  CHECK(reported.back().names == std::vector<std::string>{"img:10"});
}
