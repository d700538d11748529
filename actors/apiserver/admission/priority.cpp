// Priority: resolves a pod's priorityClassName (or the global default class) into
// spec.priority and spec.preemptionPolicy, as the scheduler needs them; and keeps a single
// PriorityClass marked globalDefault.
#include <fmt/format.h>

#include "actors/apiserver/admission/admission.hpp"
#include "api/types/pod.hpp"
#include "api/types/policy.hpp"

namespace kactor::apiserver {
namespace {

/// The class pods without a priorityClassName get, if any. Upstream picks the one with the
/// lowest value should several claim it (possible only through races there).
std::shared_ptr<const api::PriorityClass> global_default_class(const ClusterView& view) {
  std::shared_ptr<const api::PriorityClass> found;
  for (const auto& o : view.list(api::PriorityClass::static_type(), "")) {
    auto c = api::as<api::PriorityClass>(o);
    if (c && c->global_default && (!found || c->value < found->value)) found = c;
  }
  return found;
}

class Priority final : public AdmissionPlugin {
 public:
  std::string_view name() const override { return "Priority"; }

  std::optional<api::Status> admit(AdmissionRequest& req, const ClusterView& view) override {
    if (req.subresource || !req.object) return std::nullopt;
    if (auto* pc = api::as<api::PriorityClass>(*req.object)) return admit_class(req, *pc, view);
    if (req.operation != Operation::create) return std::nullopt;
    auto* pod = api::as<api::Pod>(*req.object);
    if (!pod) return std::nullopt;
    const auto& pc_type = api::PriorityClass::static_type();
    std::shared_ptr<const api::PriorityClass> cls;
    if (!pod->spec.priority_class_name.empty()) {
      cls = api::as<api::PriorityClass>(view.find(pc_type, "", pod->spec.priority_class_name));
      if (!cls)
        return api::forbidden(
            "pods", req.name,
            "no PriorityClass with name " + pod->spec.priority_class_name + " was found");
    } else {
      cls = global_default_class(view);
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

 private:
  /// A class may claim globalDefault only while no other class does: creating a second
  /// default, or marking another class default, is refused (updating the default is not).
  static std::optional<api::Status> admit_class(const AdmissionRequest& req,
                                                const api::PriorityClass& pc,
                                                const ClusterView& view) {
    if (req.operation == Operation::remove || !pc.global_default) return std::nullopt;
    auto current = global_default_class(view);
    if (!current) return std::nullopt;
    if (req.operation == Operation::update && current->metadata.name == pc.metadata.name)
      return std::nullopt;
    const auto& type = api::PriorityClass::static_type();
    return api::forbidden(type.resource, req.name,
                          "PriorityClass " + current->metadata.name +
                              " is already marked as default. Only one default can exist",
                          type.group);
  }
};

}  // namespace

std::unique_ptr<AdmissionPlugin> make_priority() {
  return std::make_unique<Priority>();
}

}  // namespace kactor::apiserver
