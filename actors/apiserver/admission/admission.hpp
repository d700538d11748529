// Admission: an ordered chain of plugins that may amend (mutate) or refuse a
// write before it is validated and stored. No CAF here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/object.hpp"
#include "api/time/clock.hpp"

namespace kactor::apiserver {

enum class Operation { create, update, remove };

/// Read access to the API server's current objects, for plugins that look things up
/// (the namespace of a pod, a PriorityClass, ...).
class ClusterView {
 public:
  virtual ~ClusterView() = default;
  virtual api::ObjectPtr find(const api::TypeInfo& type, std::string_view namespace_,
                              std::string_view name) const = 0;
  virtual std::vector<api::ObjectPtr> list(const api::TypeInfo& type,
                                           std::string_view namespace_) const = 0;
};

/// What is being admitted.
struct AdmissionRequest {
  Operation operation = Operation::create;
  const api::TypeInfo& type;
  std::string namespace_;
  std::string name;
  /// The new object (create/update); plugins may change it. Null for remove.
  api::Object* object = nullptr;
  /// The current object (update/remove). Null for create.
  const api::Object* old = nullptr;
  /// The request targets a subresource (status, binding, finalize).
  bool subresource = false;
  /// The API server's clock at the request (e.g. whether a terminating pod still counts
  /// against quota).
  TimePoint now{};
};

/// Writes a validating plugin asks for beside the admitted object (the ResourceQuota plugin's
/// charged quota status): the API server stages them in the same store batch as the object,
/// each with the resourceVersion it carries as precondition, so both land or neither does.
using ExtraWrites = std::vector<std::unique_ptr<api::Object>>;

class AdmissionPlugin {
 public:
  virtual ~AdmissionPlugin() = default;
  virtual std::string_view name() const = 0;
  /// Mutating phase, before the object is validated: returns a Status to refuse the
  /// request; may modify request.object.
  virtual std::optional<api::Status> admit(AdmissionRequest& request, const ClusterView& view) = 0;
  /// Validating phase, after the object passed its kind's validation (upstream's validating
  /// admission): may refuse, may not change the object, may add writes to `extra`.
  virtual std::optional<api::Status> validate(const AdmissionRequest& /*request*/,
                                              const ClusterView& /*view*/,
                                              ExtraWrites& /*extra*/) {
    return std::nullopt;
  }
};

/// The plugins in the order they run.
class AdmissionChain {
 public:
  AdmissionChain() = default;
  explicit AdmissionChain(std::vector<std::unique_ptr<AdmissionPlugin>> plugins)
      : plugins_(std::move(plugins)) {}
  std::optional<api::Status> admit(AdmissionRequest& request, const ClusterView& view) const {
    for (const auto& p : plugins_)
      if (auto refused = p->admit(request, view)) return refused;
    return std::nullopt;
  }
  std::optional<api::Status> validate(const AdmissionRequest& request, const ClusterView& view,
                                      ExtraWrites& extra) const {
    for (const auto& p : plugins_)
      if (auto refused = p->validate(request, view, extra)) return refused;
    return std::nullopt;
  }
  const std::vector<std::unique_ptr<AdmissionPlugin>>& plugins() const { return plugins_; }

 private:
  std::vector<std::unique_ptr<AdmissionPlugin>> plugins_;
};

/// Settings of the default plugins (kube-apiserver's flags of the same names).
struct AdmissionOptions {
  /// DefaultTolerationSeconds: the tolerationSeconds given to pods for the not-ready and
  /// unreachable NoExecute taints (--default-not-ready-toleration-seconds,
  /// --default-unreachable-toleration-seconds).
  int64_t default_not_ready_toleration_seconds = 300;
  int64_t default_unreachable_toleration_seconds = 300;
  /// Seeds the plugins' randomness (ServiceAccount's kube-api-access-<random> volume names);
  /// the API server sets it from the cluster's seed.
  uint64_t seed = 0;
  /// Plugins left out of the chain (--disable-admission-plugins), by name; every name must
  /// be one of admission_plugin_names() (check_disabled_admission_plugins).
  std::vector<std::string> disabled_plugins;
};

/// The plugins of the default chain, by name, in the order they run.
const std::vector<std::string>& admission_plugin_names();

/// Upstream's error for each name that is no plugin ("disable-admission-plugins plugin
/// \"Foo\" is unknown"), joined by "; "; nullopt when all are known.
std::optional<std::string> check_disabled_admission_plugins(const std::vector<std::string>& names);

/// The default chain, in upstream order: NamespaceLifecycle, LimitRanger, ServiceAccount,
/// DefaultTolerationSeconds, Priority, ResourceQuota, less `options.disabled_plugins`. (The
/// one list of plugins lives in admission/chain.cpp.)
AdmissionChain default_admission_chain(const AdmissionOptions& options = {});

}  // namespace kactor::apiserver
