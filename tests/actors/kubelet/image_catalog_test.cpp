// The simulated registry: which images pull, and the runtime's message for those that do not.
#include <catch2/catch.hpp>

#include "actors/kubelet/image_catalog.hpp"

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
