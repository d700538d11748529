// PodSpec validation (upstream ValidatePodSpec): the pod-wide fields here, the parts in
// their own files (see api/validation/detail/pod_spec_parts.hpp).
#include <set>

#include "api/validation/common.hpp"
#include "api/validation/detail/pod_spec_parts.hpp"
#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"
#include "api/validation/pod_validation.hpp"
#include "api/validation/resource_validation.hpp"

namespace kactor::api {

using namespace validation;
using namespace validation::detail;

namespace {

constexpr int64_t kMaxInt32 = 2147483647;
// upstream's limits on a pod's resolv.conf.
constexpr size_t kMaxDnsNameservers = 3;
constexpr size_t kMaxDnsSearchPaths = 32;
constexpr size_t kMaxDnsSearchListChars = 2048;

void validate_host_aliases(const std::vector<HostAlias>& aliases, const std::string& path,
                           Causes& causes) {
  for (size_t i = 0; i < aliases.size(); ++i) {
    std::string p = index(path, i);
    if (!is_valid_ip(aliases[i].ip))
      causes.push_back(
          field_invalid(child(p, "ip"), go_quote(aliases[i].ip), invalid_ip_message()));
    for (size_t j = 0; j < aliases[i].hostnames.size(); ++j)
      validate_dns1123_subdomain(aliases[i].hostnames[j], index(child(p, "hostnames"), j), causes);
  }
}

void validate_dns_config(const PodSpec& spec, const std::string& path, Causes& causes) {
  if (spec.dns_policy == "None") {
    if (!spec.dns_config) {
      causes.push_back(field_required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
      return;
    }
    if (spec.dns_config->nameservers.empty()) {
      causes.push_back(field_required(child(path, "nameservers"),
                                      "must provide at least one DNS nameserver when `dnsPolicy` "
                                      "is None"));
      return;
    }
  }
  if (!spec.dns_config) return;
  const auto& c = *spec.dns_config;
  std::string np = child(path, "nameservers");
  if (c.nameservers.size() > kMaxDnsNameservers)
    causes.push_back(
        field_invalid(np, go_strings(c.nameservers), "must not have more than 3 nameservers"));
  for (size_t i = 0; i < c.nameservers.size(); ++i)
    if (!is_valid_ip(c.nameservers[i]))
      causes.push_back(
          field_invalid(index(np, i), go_quote(c.nameservers[i]), invalid_ip_message()));
  std::string sp = child(path, "searches");
  if (c.searches.size() > kMaxDnsSearchPaths)
    causes.push_back(
        field_invalid(sp, go_strings(c.searches), "must not have more than 32 search paths"));
  size_t chars = c.searches.empty() ? 0 : c.searches.size() - 1;  // the spaces between
  for (const auto& s : c.searches) chars += s.size();
  if (chars > kMaxDnsSearchListChars)
    causes.push_back(field_invalid(sp, go_strings(c.searches),
                                   "must not have more than 2048 characters (including spaces) "
                                   "in the search list"));
  for (size_t i = 0; i < c.searches.size(); ++i) {
    std::string_view search = c.searches[i];
    if (search.ends_with('.')) search.remove_suffix(1);  // a trailing dot is fine
    validate_dns1123_subdomain(search, index(sp, i), causes);
  }
  for (size_t i = 0; i < c.options.size(); ++i)
    if (c.options[i].name.empty())
      causes.push_back(field_required(index(child(path, "options"), i), "must not be empty"));
}

void validate_os(const Boxed<PodOS>& os, const std::string& path, Causes& causes) {
  if (!os) return;
  if (os->name.empty())
    causes.push_back(field_required(child(path, "name"), "cannot be empty"));
  else if (os->name != "linux" && os->name != "windows")
    causes.push_back(field_not_supported(path, go_quote(os->name), {"linux", "windows"}));
}

void validate_scheduling_gates(const std::vector<PodSchedulingGate>& gates, const std::string& path,
                               Causes& causes) {
  std::set<std::string> seen;
  for (size_t i = 0; i < gates.size(); ++i) {
    validate_qualified_name(gates[i].name, index(path, i), causes);
    if (!seen.insert(gates[i].name).second)
      causes.push_back(field_duplicate(index(path, i), go_quote(gates[i].name)));
  }
}

void validate_pod_resource_claims(const std::vector<PodResourceClaim>& claims,
                                  const std::string& path, Causes& causes) {
  std::set<std::string> names;
  for (size_t i = 0; i < claims.size(); ++i) {
    const auto& c = claims[i];
    std::string p = index(path, i);
    if (c.name.empty())
      causes.push_back(field_required(child(p, "name")));
    else
      validate_dns1123_label(c.name, child(p, "name"), causes);
    if (!names.insert(c.name).second)
      causes.push_back(field_duplicate(child(p, "name"), go_quote(c.name)));
    if (c.resource_claim_name && c.resource_claim_template_name)
      causes.push_back(field_invalid(p, go_quote(c.name),
                                     "at most one of `resourceClaimName` or "
                                     "`resourceClaimTemplateName` may be specified"));
    else if (!c.resource_claim_name && !c.resource_claim_template_name)
      causes.push_back(field_invalid(p, go_quote(c.name),
                                     "must specify one of: `resourceClaimName`, "
                                     "`resourceClaimTemplateName`"));
    for (auto [ref, field] :
         {std::pair{&c.resource_claim_name, "resourceClaimName"},
          std::pair{&c.resource_claim_template_name, "resourceClaimTemplateName"}})
      if (*ref) validate_dns1123_subdomain(**ref, child(p, field), causes);
  }
}

}  // namespace

void validate_pod_spec(const PodSpec& spec, const std::string& path, Causes& causes) {
  auto volumes = validate_volumes(spec.volumes, child(path, "volumes"), causes);
  validate_containers(spec, volumes, path, causes);

  const auto& rp = spec.restart_policy;
  if (rp.empty())
    causes.push_back(field_required(child(path, "restartPolicy")));
  else if (rp != "Always" && rp != "OnFailure" && rp != "Never")
    causes.push_back(field_not_supported(child(path, "restartPolicy"), go_quote(rp),
                                         {"Always", "OnFailure", "Never"}));
  const auto& dns = spec.dns_policy;
  if (dns.empty())
    causes.push_back(field_required(child(path, "dnsPolicy")));
  else if (dns != "ClusterFirstWithHostNet" && dns != "ClusterFirst" && dns != "Default" &&
           dns != "None")
    causes.push_back(
        field_not_supported(child(path, "dnsPolicy"), go_quote(dns),
                            {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}));
  validate_labels(spec.node_selector, child(path, "nodeSelector"), causes);
  if (spec.affinity) validate_affinity(*spec.affinity, child(path, "affinity"), causes);
  if (!spec.service_account_name.empty())
    add_invalid(causes, child(path, "serviceAccountName"), go_quote(spec.service_account_name),
                is_dns1123_subdomain(spec.service_account_name));
  if (!spec.node_name.empty())
    add_invalid(causes, child(path, "nodeName"), go_quote(spec.node_name),
                is_dns1123_subdomain(spec.node_name));
  if (spec.active_deadline_seconds &&
      (*spec.active_deadline_seconds < 1 || *spec.active_deadline_seconds > kMaxInt32))
    causes.push_back(field_invalid(child(path, "activeDeadlineSeconds"),
                                   std::to_string(*spec.active_deadline_seconds),
                                   inclusive_range_error(1, kMaxInt32)));
  if (!spec.hostname.empty())
    validate_dns1123_label(spec.hostname, child(path, "hostname"), causes);
  if (!spec.subdomain.empty())
    validate_dns1123_label(spec.subdomain, child(path, "subdomain"), causes);
  validate_tolerations(spec.tolerations, child(path, "tolerations"), causes);
  if (!spec.priority_class_name.empty())
    add_invalid(causes, child(path, "priorityClassName"), go_quote(spec.priority_class_name),
                is_dns1123_subdomain(spec.priority_class_name));
  if (!spec.preemption_policy.empty() && spec.preemption_policy != "PreemptLowerPriority" &&
      spec.preemption_policy != "Never")
    causes.push_back(field_not_supported(child(path, "preemptionPolicy"),
                                         go_quote(spec.preemption_policy),
                                         {"PreemptLowerPriority", "Never"}));
  for (const auto& [name, q] : spec.overhead) {
    std::string p = key(child(path, "overhead"), name);
    validate_container_resource_name(name, p, causes);
    validate_resource_quantity(name, q, p, causes);
  }
  // The fields below came with the full PodSpec; their checks follow upstream's where those
  // are simple (docs/api.md lists what is stored unchecked).
  if (!spec.service_account.empty())
    add_invalid(causes, child(path, "serviceAccount"), go_quote(spec.service_account),
                is_dns1123_subdomain(spec.service_account));
  validate_pod_security_context(spec, child(path, "securityContext"), causes);
  validate_host_aliases(spec.host_aliases, child(path, "hostAliases"), causes);
  validate_dns_config(spec, child(path, "dnsConfig"), causes);
  for (size_t i = 0; i < spec.readiness_gates.size(); ++i)
    validate_qualified_name(spec.readiness_gates[i].condition_type,
                            child(index(child(path, "readinessGates"), i), "conditionType"),
                            causes);
  if (spec.runtime_class_name)
    validate_dns1123_subdomain(*spec.runtime_class_name, child(path, "runtimeClassName"), causes);
  validate_topology_spread_constraints(spec.topology_spread_constraints,
                                       child(path, "topologySpreadConstraints"), causes);
  validate_os(spec.os, child(path, "os"), causes);
  validate_scheduling_gates(spec.scheduling_gates, child(path, "schedulingGates"), causes);
  validate_pod_resource_claims(spec.resource_claims, child(path, "resourceClaims"), causes);
  if (spec.resources)
    validate_resource_requirements(*spec.resources, child(path, "resources"), causes);
}

void validate_pod_template_spec(const PodTemplateSpec& tmpl, const std::string& path,
                                Causes& causes) {
  // upstream reports template label errors at <path>.labels, not <path>.metadata.labels.
  validate_labels(tmpl.metadata.labels, child(path, "labels"), causes);
  validate_annotations(tmpl.metadata.annotations, child(path, "annotations"), causes);
  validate_pod_spec(tmpl.spec, child(path, "spec"), causes);
  if (!tmpl.spec.ephemeral_containers.empty())
    causes.push_back(field_forbidden(child(child(path, "spec"), "ephemeralContainers"),
                                     "ephemeral containers not allowed in pod template"));
}

}  // namespace kactor::api
