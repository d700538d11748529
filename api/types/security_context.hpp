// Security contexts of pods and containers (upstream core/v1 PodSecurityContext,
// SecurityContext and their parts). kactor's simulated runtime applies none of them; they
// are stored, validated where upstream's checks are simple, and served back unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/describe.hpp"

namespace kactor::api {

struct Capabilities {
  std::vector<std::string> add;
  std::vector<std::string> drop;
  bool operator==(const Capabilities&) const = default;
};
template <class V>
void describe(V& v, Capabilities& x) {
  v("add", x.add);
  v("drop", x.drop);
}

struct SELinuxOptions {
  std::string user;
  std::string role;
  std::string type;
  std::string level;
  bool operator==(const SELinuxOptions&) const = default;
};
template <class V>
void describe(V& v, SELinuxOptions& x) {
  v("user", x.user);
  v("role", x.role);
  v("type", x.type);
  v("level", x.level);
}

struct WindowsSecurityContextOptions {
  std::optional<std::string> gmsa_credential_spec_name;
  std::optional<std::string> gmsa_credential_spec;
  std::optional<std::string> run_as_user_name;
  std::optional<bool> host_process;
  bool operator==(const WindowsSecurityContextOptions&) const = default;
};
template <class V>
void describe(V& v, WindowsSecurityContextOptions& x) {
  v("gmsaCredentialSpecName", x.gmsa_credential_spec_name);
  v("gmsaCredentialSpec", x.gmsa_credential_spec);
  v("runAsUserName", x.run_as_user_name);
  v("hostProcess", x.host_process);
}

/// seccompProfile and appArmorProfile share this shape: a type (RuntimeDefault, Unconfined,
/// Localhost) and, for Localhost only, the profile's name on the node.
struct SecurityProfile {
  std::string type;
  std::optional<std::string> localhost_profile;
  bool operator==(const SecurityProfile&) const = default;
};
template <class V>
void describe(V& v, SecurityProfile& x) {
  v("type", x.type, keep_zero);
  v("localhostProfile", x.localhost_profile);
}

/// A container's security context.
struct SecurityContext {
  std::optional<Capabilities> capabilities;
  std::optional<bool> privileged;
  std::optional<SELinuxOptions> se_linux_options;
  std::optional<WindowsSecurityContextOptions> windows_options;
  std::optional<int64_t> run_as_user;
  std::optional<int64_t> run_as_group;
  std::optional<bool> run_as_non_root;
  std::optional<bool> read_only_root_filesystem;
  std::optional<bool> allow_privilege_escalation;
  std::optional<std::string> proc_mount;  // Default, Unmasked
  std::optional<SecurityProfile> seccomp_profile;
  std::optional<SecurityProfile> app_armor_profile;
  bool operator==(const SecurityContext&) const = default;
};
template <class V>
void describe(V& v, SecurityContext& x) {
  v("capabilities", x.capabilities);
  v("privileged", x.privileged);
  v("seLinuxOptions", x.se_linux_options);
  v("windowsOptions", x.windows_options);
  v("runAsUser", x.run_as_user);
  v("runAsGroup", x.run_as_group);
  v("runAsNonRoot", x.run_as_non_root);
  v("readOnlyRootFilesystem", x.read_only_root_filesystem);
  v("allowPrivilegeEscalation", x.allow_privilege_escalation);
  v("procMount", x.proc_mount);
  v("seccompProfile", x.seccomp_profile);
  v("appArmorProfile", x.app_armor_profile);
}

struct Sysctl {
  std::string name;
  std::string value;
  bool operator==(const Sysctl&) const = default;
};
template <class V>
void describe(V& v, Sysctl& x) {
  v("name", x.name, keep_zero);
  v("value", x.value, keep_zero);
}

/// The pod-wide security context (defaults for every container, plus pod-only settings).
struct PodSecurityContext {
  std::optional<SELinuxOptions> se_linux_options;
  std::optional<WindowsSecurityContextOptions> windows_options;
  std::optional<int64_t> run_as_user;
  std::optional<int64_t> run_as_group;
  std::optional<bool> run_as_non_root;
  std::vector<int64_t> supplemental_groups;
  std::optional<std::string> supplemental_groups_policy;  // Merge, Strict
  std::optional<int64_t> fs_group;
  std::vector<Sysctl> sysctls;
  std::optional<std::string> fs_group_change_policy;  // OnRootMismatch, Always
  std::optional<SecurityProfile> seccomp_profile;
  std::optional<SecurityProfile> app_armor_profile;
  std::optional<std::string> se_linux_change_policy;  // MountOption, Recursive
  bool operator==(const PodSecurityContext&) const = default;
};
template <class V>
void describe(V& v, PodSecurityContext& x) {
  v("seLinuxOptions", x.se_linux_options);
  v("windowsOptions", x.windows_options);
  v("runAsUser", x.run_as_user);
  v("runAsGroup", x.run_as_group);
  v("runAsNonRoot", x.run_as_non_root);
  v("supplementalGroups", x.supplemental_groups);
  v("supplementalGroupsPolicy", x.supplemental_groups_policy);
  v("fsGroup", x.fs_group);
  v("sysctls", x.sysctls);
  v("fsGroupChangePolicy", x.fs_group_change_policy);
  v("seccompProfile", x.seccomp_profile);
  v("appArmorProfile", x.app_armor_profile);
  v("seLinuxChangePolicy", x.se_linux_change_policy);
}

}  // namespace kactor::api
