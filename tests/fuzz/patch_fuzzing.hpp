// What the three patch targets share: a live Pod to patch, and the check that a patch either
// answers a Status or gives a document the API server can decode (or refuse) as a Pod.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"
#include "api/patch/patch.hpp"
#include "api/types/all.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace kactor::fuzz {

inline const nlohmann::json& live_pod() {
  static const nlohmann::json pod = nlohmann::json::parse(R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "p", "namespace": "default", "labels": {"app": "web"},
                 "finalizers": ["a.example.com/x", "b.example.com/y"]},
    "spec": {"containers": [
               {"name": "web", "image": "nginx:1.25", "args": ["--x"],
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
               {"name": "side", "image": "busybox:1"}],
             "volumes": [{"name": "data", "emptyDir": {}}],
             "tolerations": [{"key": "k1", "operator": "Exists"}]},
    "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}]}})");
  return pod;
}

/// Applies `body` as a PATCH of `content_type` to live_pod(), as the API server does.
inline void fuzz_patch(std::string_view content_type, std::string_view body) {
  auto patched = api::patch::apply_patch(content_type, live_pod(), body, "Pod");
  if (!patched) {
    FUZZ_REQUIRE(patched.error().code >= 400 && patched.error().code < 500);
    return;
  }
  FUZZ_REQUIRE(patched->is_object());
  auto pod = api::decode_json(*patched, {}, &api::Pod::static_type());
  if (pod) FUZZ_REQUIRE(api::encode_json(**pod).is_object());
}

}  // namespace kactor::fuzz
