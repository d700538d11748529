// Priority: resolves a pod's priorityClassName (or the global default class) into
// spec.priority and spec.preemptionPolicy, as the scheduler needs them.
#include <fmt/format.h>

#include "actors/apiserver/admission/admission.hpp"
#include "api/types/policy.hpp"
#include "api/types/pod.hpp"

namespace kactor::apiserver {
namespace {

class Priority final : public AdmissionPlugin {
 public:
  std::string_view name() const override { return "Priority"; }

  std::optional<api::Status> admit(AdmissionRequest& req, const ClusterView& view) override {
    if (req.operation != Operation::create || req.subresource) return std::nullopt;
    auto* pod = req.object ? api::as<api::Pod>(*req.object) : nullptr;
    if (!pod) return std::nullopt;
    const auto& pc_type = api::PriorityClass::static_type();
    std::shared_ptr<const api::PriorityClass> cls;
    if (!pod->spec.priority_class_name.empty()) {
      cls = api::as<api::PriorityClass>(view.find(pc_type, "", pod->spec.priority_class_name));
      if (!cls)
        return api::forbidden("pods", req.name,
                              "no PriorityClass with name " + pod->spec.priority_class_name +
                                  " was found");
    } else {
      for (const auto& o : view.list(pc_type, "")) {
        auto c = api::as<api::PriorityClass>(o);
        // Upstream picks the default class with the lowest value if several claim it.
        if (c && c->global_default && (!cls || c->value < cls->value)) cls = c;
      }
    }
    int32_t priority = cls ? cls->value : 0;
    if (pod->spec.priority && *pod->spec.priority != priority)
      return api::forbidden(
          "pods", req.name,
          fmt::format("the integer value of priority ({}) must not be provided in pod spec; "
                      "priority admission controller computed {} from the given PriorityClass "
                      "name",
                      *pod->spec.priority, priority));
    pod->spec.priority = priority;
    if (cls) pod->spec.priority_class_name = cls->metadata.name;
    if (pod->spec.preemption_policy.empty())
      pod->spec.preemption_policy =
          cls && cls->preemption_policy ? *cls->preemption_policy : "PreemptLowerPriority";
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<AdmissionPlugin> make_priority() { return std::make_unique<Priority>(); }

}  // namespace kactor::apiserver
