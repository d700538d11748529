#include "actors/scheduler/plugins/image_locality.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace kactor::scheduler::plugins {

std::string normalized_image_name(const std::string& image) {
  auto colon = image.rfind(':');
  auto slash = image.rfind('/');
  // No ':' after the last '/': no tag (a ':' before it is a registry port).
  bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  return has_tag ? image : image + ":latest";
}

int64_t image_locality_score(int64_t sum, int64_t containers) {
  const int64_t max_threshold = ImageLocality::kMaxContainerThreshold * containers;
  if (max_threshold <= ImageLocality::kMinThreshold) return 0;
  sum = std::clamp(sum, ImageLocality::kMinThreshold, max_threshold);
  return kMaxNodeScore * (sum - ImageLocality::kMinThreshold) /
         (max_threshold - ImageLocality::kMinThreshold);
}

namespace {

/// What PreScore works out once per pod: its images that some node has, normalized,
/// with their spread (nodes having it / all nodes), and the pod's container count.
struct PodImages {
  std::vector<std::pair<std::string, double>> spread;
  int64_t containers = 0;
};
const StateKey kStateKey{"PreScoreImageLocality"};

class ImageLocalityPlugin final : public PreScorePlugin, public ScorePlugin {
 public:
  std::string_view name() const override { return ImageLocality::kName; }
  std::vector<ClusterEventWithHint> events_to_register() const override { return {}; }

  PluginResult pre_score(CycleState& state, const api::Pod& pod,
                         const std::vector<const NodeInfo*>&) override {
    PodImages images;
    images.containers =
        static_cast<int64_t>(pod.spec.init_containers.size() + pod.spec.containers.size());
    if (state.snapshot && !state.snapshot->empty()) {
      const auto total = static_cast<double>(state.snapshot->size());
      auto add = [&](const api::Container& c) {
        auto image = normalized_image_name(c.image);
        if (auto n = state.snapshot->nodes_with_image(image); n > 0)
          images.spread.emplace_back(std::move(image), n / total);
      };
      for (auto& c : pod.spec.init_containers) add(c);
      for (auto& c : pod.spec.containers) add(c);
    }
    // No node has any of its images: every node would score 0.
    if (images.spread.empty()) return PluginResult::skip();
    state.write(kStateKey, std::move(images));
    return PluginResult::success();
  }

  int64_t score(const CycleState& state, const api::Pod&, const NodeInfo& node) const override {
    if (!node.image_sizes || node.image_sizes->empty()) return 0;
    auto* images = state.read<PodImages>(kStateKey);
    if (!images || images->spread.empty()) return 0;
    int64_t sum = 0;
    for (auto& [image, spread] : images->spread) {
      auto it = node.image_sizes->find(image);
      // Scaled by the fraction of nodes that have the image.
      if (it != node.image_sizes->end())
        sum += static_cast<int64_t>(static_cast<double>(it->second) * spread);
    }
    return image_locality_score(sum, images->containers);
  }
};

}  // namespace

std::shared_ptr<Plugin> make_image_locality() {
  return std::make_shared<ImageLocalityPlugin>();
}

}  // namespace kactor::scheduler::plugins
