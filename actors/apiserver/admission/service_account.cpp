// ServiceAccount: every pod runs as a service account ("default" unless it names one), which
// must exist, and gets the account's API credentials mounted — the kube-api-access-<suffix>
// projected volume (a bound token, the cluster CA, the namespace) at
// /var/run/secrets/kubernetes.io/serviceaccount in every container — unless the pod or the
// account says automountServiceAccountToken: false (the pod's setting wins). Mirror pods (a
// kubelet's static pods) are exempt, as upstream. See docs/service-accounts.md.
#include "actors/apiserver/admission/admission.hpp"
#include "api/types/config.hpp"
#include "api/types/pod.hpp"
#include "api/util/random.hpp"

namespace kactor::apiserver {
namespace {

constexpr std::string_view kDefaultAccount = "default";
constexpr std::string_view kVolumePrefix = "kube-api-access-";
constexpr std::string_view kMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
constexpr std::string_view kMirrorAnnotation = "kubernetes.io/config.mirror";

bool automount(const api::Pod& pod, const api::ServiceAccount& sa) {
  if (pod.spec.automount_service_account_token) return *pod.spec.automount_service_account_token;
  if (sa.automount_service_account_token) return *sa.automount_service_account_token;
  return true;
}

class ServiceAccountAdmission final : public AdmissionPlugin {
 public:
  explicit ServiceAccountAdmission(uint64_t seed) : random_(seed) {}

  std::string_view name() const override { return "ServiceAccount"; }

  std::optional<api::Status> admit(AdmissionRequest& req, const ClusterView& view) override {
    if (req.operation != Operation::create || req.subresource) return std::nullopt;
    auto* pod = req.object ? api::as<api::Pod>(*req.object) : nullptr;
    if (!pod) return std::nullopt;
    if (pod->metadata.annotations.contains(std::string(kMirrorAnnotation))) {
      // A static pod is the kubelet's, reported as it was written: it gets no credentials,
      // and may not ask for any (upstream's rule).
      if (!pod->spec.service_account_name.empty())
        return api::forbidden("pods", req.name, "a mirror pod may not reference service accounts");
      return std::nullopt;
    }
    auto& spec = pod->spec;
    if (spec.service_account_name.empty()) spec.service_account_name = kDefaultAccount;
    // The deprecated spec.serviceAccount mirrors serviceAccountName, as upstream's conversion.
    spec.service_account = spec.service_account_name;

    auto found = view.find(api::ServiceAccount::static_type(), req.namespace_,
                           spec.service_account_name);
    if (!found)
      return api::forbidden("pods", req.name,
                            "error looking up service account " + req.namespace_ + "/" +
                                spec.service_account_name + ": serviceaccount \"" +
                                spec.service_account_name + "\" not found");
    const auto& sa = static_cast<const api::ServiceAccount&>(*found);
    if (automount(*pod, sa)) mount_token(spec, req.namespace_ + "/" + spec.service_account_name);
    if (spec.image_pull_secrets.empty()) spec.image_pull_secrets = sa.image_pull_secrets;
    return std::nullopt;
  }

 private:
  /// Adds the token volume and, to every container and init container that has nothing at the
  /// mount path yet, its read-only mount. A pod that already has a kube-api-access-* volume
  /// keeps it (upstream reuses it).
  void mount_token(api::PodSpec& spec, const std::string& account) {
    std::string volume;
    for (const auto& v : spec.volumes)
      if (v.name.starts_with(kVolumePrefix)) {
        volume = v.name;
        break;
      }
    const bool has_volume = !volume.empty();
    if (!has_volume) volume = volume_name(account);
    bool needed = false;
    auto mount = [&](auto& containers) {
      for (auto& c : containers) {
        bool mounted = false;
        for (const auto& m : c.volume_mounts) mounted = mounted || m.mount_path == kMountPath;
        if (mounted) continue;
        api::VolumeMount m;
        m.name = volume;
        m.read_only = true;
        m.mount_path = kMountPath;
        c.volume_mounts.push_back(std::move(m));
        needed = true;
      }
    };
    mount(spec.init_containers);
    mount(spec.containers);
    if (has_volume || !needed) return;
    api::Volume v;
    v.name = volume;
    v.opaque.projected = api::kube_api_access_projection();
    spec.volumes.push_back(std::move(v));
  }

  /// kube-api-access-<suffix>. Upstream draws the suffix at random for every pod; here it is
  /// drawn once per account (`namespace/name`) and process, so that the pods of one template
  /// stay alike and share their containers and volumes in memory (pod_spec_sharing.hpp). It
  /// cannot clash with the pod's own volumes: one with the prefix would have been reused.
  std::string volume_name(const std::string& account) const {
    return std::string(kVolumePrefix) + random_.fork(account).name_suffix(5);
  }

  Random random_;  ///< seeds the volume name suffixes
};

}  // namespace

std::unique_ptr<AdmissionPlugin> make_service_account(const AdmissionOptions& options) {
  return std::make_unique<ServiceAccountAdmission>(options.seed);
}

}  // namespace kactor::apiserver
