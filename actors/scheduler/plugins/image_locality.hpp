// ImageLocality: prefers nodes that already have the pod's images, weighted by image
// size and by how widely the image is spread (so pods do not all pile onto the one node
// that has an image). Formula: k8s-semantics §1.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "actors/scheduler/framework.hpp"

namespace kactor::scheduler::plugins {

struct ImageLocality {
  static constexpr std::string_view kName = "ImageLocality";
  static constexpr int64_t kMiB = 1024 * 1024;
  /// Below this (after spreading) an image is not worth a preference.
  static constexpr int64_t kMinThreshold = 23 * kMiB;
  /// The sum that scores 100, per container of the pod.
  static constexpr int64_t kMaxContainerThreshold = 1000 * kMiB;
};

/// "nginx" -> "nginx:latest"; names with a tag or digest stay (upstream normalizedImageName).
std::string normalized_image_name(const std::string& image);

/// The score for `sum` (the spread-scaled sizes of the pod's images on the node) and
/// the pod's number of containers: clamped to [23 MiB, 1000 MiB x containers], scaled to 0..100.
int64_t image_locality_score(int64_t sum, int64_t containers);

std::shared_ptr<Plugin> make_image_locality();

}  // namespace kactor::scheduler::plugins
