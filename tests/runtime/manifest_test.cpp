// The manifest loader of `kactor up -f` and Cluster::apply (runtime/manifest.hpp): strict by
// default, errors that name the document, size limits before parsing, directories in order.
#include "tests/support/temp_dir.hpp"
#include "runtime/manifest.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "api/types/all.hpp"
#include "api/types/autoscaling.hpp"

using namespace kactor;
using kactor::runtime::ManifestOptions;
using kactor::runtime::Validation;

namespace {

using kactor::testing::TempDir;

const char* kTwoPods = R"(apiVersion: v1
kind: Pod
metadata:
  name: first
spec:
  containers:
  - name: c
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: second
  namespace: team
spex:
  containers: []
)";


std::string pod(const std::string& name) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
         "\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
}

}  // namespace

TEST_CASE("an unknown field is an error naming the document and the field by default",
          "[runtime][manifest]") {
  auto loaded = runtime::parse_manifest(kTwoPods, "pods.yaml");
  REQUIRE_FALSE(loaded.has_value());
  CHECK(loaded.error().code == 400);
  CHECK(loaded.error().message.starts_with("pods.yaml document 2 (Pod team/second): "));
  CHECK(loaded.error().message.find("unknown field \"spex\"") != std::string::npos);
}

TEST_CASE("validation warn drops an unknown field with a warning, ignore drops it silently",
          "[runtime][manifest]") {
  ManifestOptions warn;
  warn.validation = Validation::warn;
  auto warned = runtime::parse_manifest(kTwoPods, "pods.yaml", warn);
  REQUIRE(warned.has_value());
  REQUIRE(warned->objects.size() == 2);
  REQUIRE(warned->warnings.size() == 1);
  CHECK(warned->warnings[0].find("pods.yaml document 2 (Pod team/second)") == 0);
  CHECK(warned->warnings[0].find("spex") != std::string::npos);
  CHECK(warned->objects[1].object->metadata.name == "second");

  ManifestOptions ignore;
  ignore.validation = Validation::ignore;
  auto ignored = runtime::parse_manifest(kTwoPods, "pods.yaml", ignore);
  REQUIRE(ignored.has_value());
  CHECK(ignored->objects.size() == 2);
  CHECK(ignored->warnings.empty());

  CHECK(runtime::parse_validation("strict") == Validation::strict);
  CHECK(runtime::parse_validation("false") == Validation::ignore);
  CHECK_FALSE(runtime::parse_validation("loose").has_value());
}

TEST_CASE("documents of the wrong shape are named with a short reason", "[runtime][manifest]") {
  struct Case {
    std::string text, message;
  };
  for (const auto& c : std::vector<Case>{
           {"apiVersion: v1\nkind:\nmetadata:\n  name: a\n",
            "m.yaml document 1 (object a): kind must be a string, not null"},
           {"apiVersion: v1\nkind: {}\n",
            "m.yaml document 1 (object): kind must be a string, not a map"},
           {"apiVersion: v1\nkind: []\n",
            "m.yaml document 1 (object): kind must be a string, not a list"},
           {"apiVersion: 1\nkind: Pod\nmetadata:\n  name: a\n",
            "m.yaml document 1 (Pod a): apiVersion must be a string, not a number"},
           {"apiVersion: v1\nkind: \"\"\n", "m.yaml document 1 (object): kind must not be empty"},
           {pod("ok") + "---\n- a\n- b\n",
            "m.yaml document 2 (a list): the document is a list, not an object"},
           {"just a string\n",
            "m.yaml document 1 (a string): the document is a string, not an object"},
           {"metadata:\n  name: a\n", "m.yaml document 1 (object a): apiVersion is not set"},
       }) {
    INFO(c.text);
    auto loaded = runtime::parse_manifest(c.text, "m.yaml");
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().message == c.message);
  }
}

TEST_CASE("a document over the size limit is refused before it is parsed, in a short message",
          "[runtime][manifest]") {
  ManifestOptions small;
  small.max_document_bytes = 1000;
  const std::string big = "data: " + std::string(5000, 'x') + "\n";
  auto loaded = runtime::parse_manifest(pod("a") + "---\n" + big, "m.yaml", small);
  REQUIRE_FALSE(loaded.has_value());
  CHECK(loaded.error().message.starts_with("m.yaml: document 2 is "));
  CHECK(loaded.error().message.size() < 200);
}

TEST_CASE("a List document is flattened and a bad item is named", "[runtime][manifest]") {
  const std::string list = R"({"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "dta": {}}]})";
  auto loaded = runtime::parse_manifest(list, "l.json");
  REQUIRE_FALSE(loaded.has_value());
  CHECK(loaded.error().message.starts_with("l.json document 1 item 2 (ConfigMap b): "));
  ManifestOptions ignore;
  ignore.validation = Validation::ignore;
  auto flattened = runtime::parse_manifest(list, "l.json", ignore);
  REQUIRE(flattened.has_value());
  CHECK(flattened->objects.size() == 2);
}

TEST_CASE("an autoscaling/v1 HorizontalPodAutoscaler is read as the stored autoscaling/v2 one",
          "[runtime][manifest]") {
  // The ReplicaSet page's hpa-rs.yaml, with the target's group named.
  const std::string v1 = R"(apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: frontend-scaler
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: ReplicaSet
    name: frontend
  minReplicas: 3
  maxReplicas: 10
  targetCPUUtilizationPercentage: 50
)";
  auto loaded = runtime::parse_manifest(v1, "hpa-rs.yaml");
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->objects.size() == 1);
  auto* hpa = dynamic_cast<const api::HorizontalPodAutoscaler*>(loaded->objects[0].object.get());
  REQUIRE(hpa != nullptr);
  CHECK(hpa->spec.scale_target_ref.kind == "ReplicaSet");
  CHECK(hpa->spec.min_replicas == 3);
  CHECK(hpa->spec.max_replicas == 10);
  REQUIRE(hpa->spec.metrics.size() == 1);
  REQUIRE(hpa->spec.metrics[0].resource.has_value());
  CHECK(hpa->spec.metrics[0].resource->name == "cpu");
  CHECK(hpa->spec.metrics[0].resource->target.average_utilization == 50);
  // A v1 field of the wrong type is refused naming the document, as any other.
  auto bad = runtime::parse_manifest(
      "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
      "spec: {scaleTargetRef: {kind: ReplicaSet, name: f}, maxReplicas: 3,\n"
      "  targetCPUUtilizationPercentage: fifty}\n",
      "h.yaml");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.starts_with("h.yaml document 1 (HorizontalPodAutoscaler h): "));
}

TEST_CASE("a directory applies its manifest files in name order, and only those",
          "[runtime][manifest]") {
  TempDir dir{"kactor-manifest"};
  dir.write("b.yaml", pod("from-b"));
  dir.write("a.yml", pod("from-a"));
  dir.write("c.json", R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})");
  dir.write("notes.txt", "not a manifest");
  auto loaded = runtime::read_manifests({dir.path()});
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->objects.size() == 3);
  CHECK(loaded->objects[0].object->metadata.name == "from-a");
  CHECK(loaded->objects[1].object->metadata.name == "from-b");
  CHECK(loaded->objects[2].object->metadata.name == "c");
  CHECK(loaded->objects[1].description ==
        (dir / "b.yaml").string() + " document 1 (Pod from-b)");

  TempDir empty;
  auto nothing = runtime::read_manifests({empty.path()});
  REQUIRE_FALSE(nothing.has_value());
  CHECK(nothing.error().message.find("a directory with no .yaml, .yml or .json files") !=
        std::string::npos);
}

TEST_CASE("a missing file says why, and an endless input stops at the limit",
          "[runtime][manifest]") {
  auto missing = runtime::read_manifests({"/nonexistent/kactor/pods.yaml"});
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message ==
        "cannot read /nonexistent/kactor/pods.yaml: No such file or directory");

  ManifestOptions small;
  small.max_input_bytes = 1 << 20;
  auto zero = runtime::read_manifests({"/dev/zero"}, small);
  REQUIRE_FALSE(zero.has_value());
  CHECK(zero.error().message.find("over the limit of 1048576 bytes") != std::string::npos);
}
