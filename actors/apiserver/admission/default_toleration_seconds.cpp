// DefaultTolerationSeconds: pods tolerate not-ready and unreachable nodes for
// 300 s unless they say otherwise, so a node's short outage does not evict them.
#include "actors/apiserver/admission/admission.hpp"
#include "api/types/pod.hpp"

namespace kactor::apiserver {
namespace {

constexpr int64_t kDefaultTolerationSeconds = 300;

bool tolerates_no_execute(const api::PodSpec& spec, const std::string& key) {
  for (const auto& t : spec.tolerations) {
    bool key_matches = t.key == key || (t.key.empty() && t.operator_ == "Exists");
    bool effect_matches = t.effect.empty() || t.effect == "NoExecute";
    if (key_matches && effect_matches) return true;
  }
  return false;
}

class DefaultTolerationSeconds final : public AdmissionPlugin {
 public:
  std::string_view name() const override { return "DefaultTolerationSeconds"; }

  std::optional<api::Status> admit(AdmissionRequest& req, const ClusterView&) override {
    if (req.operation != Operation::create || req.subresource) return std::nullopt;
    auto* pod = req.object ? api::as<api::Pod>(*req.object) : nullptr;
    if (!pod) return std::nullopt;
    for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
      if (tolerates_no_execute(pod->spec, key)) continue;
      api::Toleration t;
      t.key = key;
      t.operator_ = "Exists";
      t.effect = "NoExecute";
      t.toleration_seconds = kDefaultTolerationSeconds;
      pod->spec.tolerations.push_back(std::move(t));
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<AdmissionPlugin> make_default_toleration_seconds() {
  return std::make_unique<DefaultTolerationSeconds>();
}

}  // namespace kactor::apiserver
