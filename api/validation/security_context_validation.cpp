// Security context validation (upstream validatePodSpecSecurityContext and
// ValidateSecurityContext): user and group ids, the enumerated policies and profiles, and
// the combinations upstream refuses. Sysctl names and SELinux/Windows options are stored
// unchecked.
#include <algorithm>

#include "api/validation/detail/pod_spec_parts.hpp"
#include "api/validation/names.hpp"

namespace kactor::api::validation::detail {
namespace {

constexpr int64_t kMaxId = 2147483647;

void validate_id(const std::optional<int64_t>& id, const std::string& path, Causes& causes) {
  if (id && (*id < 0 || *id > kMaxId))
    causes.push_back(field_invalid(path, std::to_string(*id), inclusive_range_error(0, kMaxId)));
}

void validate_one_of(const std::optional<std::string>& value, const std::string& path,
                     const std::vector<std::string>& supported, Causes& causes) {
  if (value && std::find(supported.begin(), supported.end(), *value) == supported.end())
    causes.push_back(field_not_supported(path, go_quote(*value), supported));
}

/// seccompProfile / appArmorProfile: a known type, and a localhost profile exactly when the
/// type is Localhost. `what` is how upstream names it in messages ("seccomp", "AppArmor").
void validate_profile(const std::optional<SecurityProfile>& profile, std::string_view field,
                      const std::string& what, const std::string& path, Causes& causes) {
  if (!profile) return;
  std::string p = child(path, field);
  const auto& type = profile->type;
  if (type.empty())
    causes.push_back(field_required(child(p, "type"),
                                    "type is required when " + std::string(field) + " is set"));
  else if (type != "Localhost" && type != "RuntimeDefault" && type != "Unconfined")
    causes.push_back(field_not_supported(child(p, "type"), go_quote(type),
                                         {"Localhost", "RuntimeDefault", "Unconfined"}));
  std::string lp = child(p, "localhostProfile");
  if (type == "Localhost") {
    if (!profile->localhost_profile || profile->localhost_profile->empty())
      causes.push_back(field_required(lp, "must be set when " + what + " type is Localhost"));
    else
      validate_local_descending_path(*profile->localhost_profile, lp, causes);
  } else if (profile->localhost_profile) {
    causes.push_back(field_invalid(lp, go_quote(*profile->localhost_profile),
                                   "can only be set when " + what + " type is Localhost"));
  }
}

}  // namespace

void validate_pod_security_context(const PodSpec& spec, const std::string& path, Causes& causes) {
  // Upstream keeps hostPID and shareProcessNamespace in the internal PodSecurityContext,
  // so its error names the field there.
  if (spec.share_process_namespace.value_or(false) && spec.host_pid)
    causes.push_back(field_invalid(child(path, "shareProcessNamespace"), "true",
                                   "ShareProcessNamespace and HostPID cannot both be enabled"));
  if (!spec.security_context) return;
  const auto& sc = *spec.security_context;
  validate_id(sc.run_as_user, child(path, "runAsUser"), causes);
  validate_id(sc.run_as_group, child(path, "runAsGroup"), causes);
  validate_id(sc.fs_group, child(path, "fsGroup"), causes);
  for (size_t i = 0; i < sc.supplemental_groups.size(); ++i)
    validate_id(sc.supplemental_groups[i], index(child(path, "supplementalGroups"), i), causes);
  validate_one_of(sc.fs_group_change_policy, child(path, "fsGroupChangePolicy"),
                  {"Always", "OnRootMismatch"}, causes);
  validate_one_of(sc.supplemental_groups_policy, child(path, "supplementalGroupsPolicy"),
                  {"Merge", "Strict"}, causes);
  validate_one_of(sc.se_linux_change_policy, child(path, "seLinuxChangePolicy"),
                  {"MountOption", "Recursive"}, causes);
  validate_profile(sc.seccomp_profile, "seccompProfile", "seccomp", path, causes);
  validate_profile(sc.app_armor_profile, "appArmorProfile", "AppArmor", path, causes);
}

void validate_security_context(const SecurityContext& sc, const std::string& path, Causes& causes) {
  validate_id(sc.run_as_user, child(path, "runAsUser"), causes);
  validate_id(sc.run_as_group, child(path, "runAsGroup"), causes);
  validate_one_of(sc.proc_mount, child(path, "procMount"), {"Default", "Unmasked"}, causes);
  validate_profile(sc.seccomp_profile, "seccompProfile", "seccomp", path, causes);
  validate_profile(sc.app_armor_profile, "appArmorProfile", "AppArmor", path, causes);
  if (sc.allow_privilege_escalation == false) {
    if (sc.privileged.value_or(false))
      causes.push_back(field_invalid(path, "\"\"",
                                     "cannot set `allowPrivilegeEscalation` to false and "
                                     "`privileged` to true"));
    if (sc.capabilities) {
      const auto& add = sc.capabilities->add;
      if (std::find(add.begin(), add.end(), "CAP_SYS_ADMIN") != add.end() ||
          std::find(add.begin(), add.end(), "SYS_ADMIN") != add.end())
        causes.push_back(field_invalid(path, "\"\"",
                                       "cannot set `allowPrivilegeEscalation` to false and "
                                       "`capabilities.Add` CAP_SYS_ADMIN"));
    }
  }
}

}  // namespace kactor::api::validation::detail
