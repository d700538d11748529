// Shared by the api tests: decoding test manifests as the API server does (strictly), and
// the JSON of a small pod.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "api/codec/object_codec.hpp"
#include "api/types/all.hpp"

namespace kactor::api::testing {

/// Decodes a JSON manifest strictly (unknown fields fail the test).
inline std::unique_ptr<Object> load(std::string_view text) {
  auto obj = decode_json(text, DecodeOptions{.strict = true});
  INFO(text);
  if (!obj) FAIL(obj.error().message);
  return std::move(*obj);
}

/// A Pod manifest with this spec (JSON) and metadata members.
inline std::string pod_json(std::string_view spec,
                            std::string_view meta = R"("name":"p","namespace":"default")") {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{)" + std::string(meta) + R"(},"spec":)" +
         std::string(spec) + "}";
}

}  // namespace kactor::api::testing
