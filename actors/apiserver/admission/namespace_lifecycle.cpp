// NamespaceLifecycle: no new content in a missing or Terminating namespace, and
// the namespaces the system relies on cannot be deleted.
#include <array>

#include "actors/apiserver/admission/admission.hpp"
#include "api/types/namespace.hpp"

namespace kactor::apiserver {
namespace {

constexpr std::array<std::string_view, 4> kImmortalNamespaces = {"default", "kube-system",
                                                                  "kube-public", "kube-node-lease"};

class NamespaceLifecycle final : public AdmissionPlugin {
 public:
  std::string_view name() const override { return "NamespaceLifecycle"; }

  std::optional<api::Status> admit(AdmissionRequest& req, const ClusterView& view) override {
    if (&req.type == &api::Namespace::static_type()) {
      if (req.operation != Operation::remove) return std::nullopt;
      for (auto immortal : kImmortalNamespaces)
        if (req.name == immortal)
          return api::forbidden("namespaces", req.name, "this namespace may not be deleted");
      return std::nullopt;
    }
    // Updates and deletes inside a Terminating namespace stay allowed, so that its
    // content can wind down.
    if (!req.type.namespaced || req.operation != Operation::create || req.subresource)
      return std::nullopt;
    auto ns = view.find(api::Namespace::static_type(), "", req.namespace_);
    if (!ns) return api::not_found("namespaces", req.namespace_);
    const auto& n = static_cast<const api::Namespace&>(*ns);
    if (n.metadata.deletion_timestamp || n.status.phase == "Terminating") {
      auto s = api::forbidden(req.type.resource, req.name,
                              "unable to create new content in namespace " + req.namespace_ +
                                  " because it is being terminated",
                              req.type.group);
      s.details.causes.push_back({"NamespaceTerminating",
                                  "namespace " + req.namespace_ + " is being terminated",
                                  "metadata.namespace"});
      return s;
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<AdmissionPlugin> make_namespace_lifecycle() {
  return std::make_unique<NamespaceLifecycle>();
}

}  // namespace kactor::apiserver
