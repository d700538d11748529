// DefaultTolerationSeconds: pods tolerate not-ready and unreachable nodes for
// 300 s (configurable) unless they say otherwise, so a node's short outage does not evict them.
#include "actors/apiserver/admission/admission.hpp"
#include "api/types/pod.hpp"
#include "api/types/taint_util.hpp"

namespace kactor::apiserver {
namespace {

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
  explicit DefaultTolerationSeconds(const AdmissionOptions& options) : options_(options) {}

  std::string_view name() const override { return "DefaultTolerationSeconds"; }

  std::optional<api::Status> admit(AdmissionRequest& req, const ClusterView&) override {
    if (req.operation != Operation::create || req.subresource) return std::nullopt;
    auto* pod = req.object ? api::as<api::Pod>(*req.object) : nullptr;
    if (!pod) return std::nullopt;
    const std::pair<const char*, int64_t> defaults[] = {
        {api::kTaintNodeNotReady, options_.default_not_ready_toleration_seconds},
        {api::kTaintNodeUnreachable, options_.default_unreachable_toleration_seconds}};
    for (const auto& [key, seconds] : defaults) {
      if (tolerates_no_execute(pod->spec, key)) continue;
      api::Toleration t;
      t.key = key;
      t.operator_ = "Exists";
      t.effect = api::kEffectNoExecute;
      t.toleration_seconds = seconds;
      pod->spec.tolerations.push_back(std::move(t));
    }
    return std::nullopt;
  }

 private:
  AdmissionOptions options_;
};

}  // namespace

std::unique_ptr<AdmissionPlugin> make_default_toleration_seconds(const AdmissionOptions& options) {
  return std::make_unique<DefaultTolerationSeconds>(options);
}

}  // namespace kactor::apiserver
