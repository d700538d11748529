#include "api/validation/service_validation.hpp"

#include <set>

#include "api/types/service_util.hpp"
#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

constexpr int32_t kKubeletPort = 10250;
constexpr int32_t kMaxClientIPTimeout = 86400;

void validate_protocol(const std::string& protocol, const std::string& path, Causes& causes) {
  if (protocol.empty())
    causes.push_back(field_required(path));
  else if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP")
    causes.push_back(field_not_supported(path, go_quote(protocol), {"SCTP", "TCP", "UDP"}));
}

void validate_service_port(const ServicePort& sp, bool require_name, std::set<std::string>& names,
                           const std::string& path, Causes& causes) {
  if (require_name && sp.name.empty()) {
    causes.push_back(field_required(child(path, "name")));
  } else if (!sp.name.empty()) {
    validate_dns1123_label(sp.name, child(path, "name"), causes);
    if (!names.insert(sp.name).second)
      causes.push_back(field_duplicate(child(path, "name"), go_quote(sp.name)));
  }
  add_invalid(causes, child(path, "port"), std::to_string(sp.port), is_valid_port_num(sp.port));
  validate_protocol(sp.protocol, child(path, "protocol"), causes);
  const auto& tp = sp.target_port;
  if (tp.is_string)
    add_invalid(causes, child(path, "targetPort"), go_quote(tp.string_value),
                is_valid_port_name(tp.string_value));
  else
    add_invalid(causes, child(path, "targetPort"), std::to_string(tp.int_value),
                is_valid_port_num(tp.int_value));
  if (sp.app_protocol)
    validate_qualified_name(*sp.app_protocol, child(path, "appProtocol"), causes);
}

void validate_cluster_ips(const Service& s, Causes& causes) {
  const auto& ips = s.spec.cluster_ips;
  if (s.spec.type == "ExternalName") return;
  // clusterIP and clusterIPs are kept in sync by defaulting; a user can still break that.
  if (!s.spec.cluster_ip.empty()) {
    if (ips.empty())
      causes.push_back(field_required("spec.clusterIPs"));
    else if (ips[0] != s.spec.cluster_ip)
      causes.push_back(
          field_invalid("spec.clusterIPs", go_strings(ips), "first value must match `clusterIP`"));
  } else if (!ips.empty()) {
    causes.push_back(field_invalid("spec.clusterIPs", go_strings(ips),
                                   "must be empty when `clusterIP` is not specified"));
  }
  for (size_t i = 0; i < ips.size(); ++i) {
    if (i == 0 && ips[i] == "None") {
      if (ips.size() > 1)
        causes.push_back(field_invalid("spec.clusterIPs", go_strings(ips),
                                       "'None' must be the first and only value"));
      continue;
    }
    if (!is_valid_ip(ips[i]))
      causes.push_back(
          field_invalid(index("spec.clusterIPs", i), go_quote(ips[i]), invalid_ip_message()));
  }
  if (ips.size() > 2)
    causes.push_back(
        field_invalid("spec.clusterIPs", go_strings(ips), "may only hold up to 2 values"));
  for (size_t i = 0; i < s.spec.ip_families.size(); ++i) {
    const auto& f = s.spec.ip_families[i];
    if (f != "IPv4" && f != "IPv6")
      causes.push_back(
          field_not_supported(index("spec.ipFamilies", i), go_quote(f), {"IPv4", "IPv6"}));
  }
  if (s.spec.ip_family_policy) {
    const auto& p = *s.spec.ip_family_policy;
    if (p != "SingleStack" && p != "PreferDualStack" && p != "RequireDualStack")
      causes.push_back(field_not_supported("spec.ipFamilyPolicy", go_quote(p),
                                           {"PreferDualStack", "RequireDualStack", "SingleStack"}));
  }
}

void validate_service_spec(const Service& s, Causes& causes) {
  const auto& spec = s.spec;
  if (spec.ports.empty() && !is_headless(s) && spec.type != "ExternalName")
    causes.push_back(field_required("spec.ports"));
  if (spec.type == "LoadBalancer" || spec.type == "NodePort") {
    if (is_headless(s))
      causes.push_back(field_invalid("spec.clusterIPs[0]", go_quote("None"),
                                     "may not be set to 'None' for " + spec.type + " services"));
  }
  if (spec.type == "LoadBalancer") {
    for (size_t i = 0; i < spec.ports.size(); ++i)
      if (spec.ports[i].port == kKubeletPort)
        causes.push_back(field_invalid(index("spec.ports", i), std::to_string(kKubeletPort),
                                       "may not expose port 10250 externally since it is used by "
                                       "kubelet"));
  }
  if (spec.type == "ExternalName") {
    if (!spec.cluster_ip.empty())
      causes.push_back(
          field_forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
    if (!spec.ip_families.empty())
      causes.push_back(
          field_forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
    if (spec.ip_family_policy)
      causes.push_back(
          field_forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
    std::string cname = spec.external_name;
    if (cname.ends_with('.')) cname.pop_back();
    if (cname.empty())
      causes.push_back(field_required("spec.externalName"));
    else
      validate_dns1123_subdomain(cname, "spec.externalName", causes);
  }

  std::set<std::string> names;
  for (size_t i = 0; i < spec.ports.size(); ++i)
    validate_service_port(spec.ports[i], spec.ports.size() > 1, names, index("spec.ports", i),
                          causes);
  validate_labels(spec.selector, "spec.selector", causes);

  const auto& aff = spec.session_affinity;
  if (aff.empty())
    causes.push_back(field_required("spec.sessionAffinity"));
  else if (aff != "ClientIP" && aff != "None")
    causes.push_back(field_not_supported("spec.sessionAffinity", go_quote(aff), {"ClientIP", "None"}));
  if (aff == "ClientIP") {
    const auto& cfg = spec.session_affinity_config;
    if (!cfg || !cfg->client_ip || !cfg->client_ip->timeout_seconds) {
      causes.push_back(field_required("spec.sessionAffinityConfig.clientIP.timeoutSeconds"));
    } else {
      int32_t t = *cfg->client_ip->timeout_seconds;
      if (t <= 0 || t > kMaxClientIPTimeout)
        causes.push_back(field_invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                                       std::to_string(t),
                                       "must be greater than 0 and less than 86400"));
    }
  } else if (aff == "None" && spec.session_affinity_config) {
    causes.push_back(field_forbidden("spec.sessionAffinityConfig",
                                     "must not be set when session affinity is None"));
  }

  validate_cluster_ips(s, causes);
  for (size_t i = 0; i < spec.external_ips.size(); ++i)
    if (!is_valid_ip(spec.external_ips[i]))
      causes.push_back(field_invalid(index("spec.externalIPs", i), go_quote(spec.external_ips[i]),
                                     invalid_ip_message()));

  if (spec.type.empty())
    causes.push_back(field_required("spec.type"));
  else if (spec.type != "ClusterIP" && spec.type != "NodePort" && spec.type != "LoadBalancer" &&
           spec.type != "ExternalName")
    causes.push_back(field_not_supported(
        "spec.type", go_quote(spec.type), {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}));
  if (spec.type == "ClusterIP")
    for (size_t i = 0; i < spec.ports.size(); ++i)
      if (spec.ports[i].node_port != 0)
        causes.push_back(field_forbidden(child(index("spec.ports", i), "nodePort"),
                                         "may not be used when `type` is 'ClusterIP'"));

  std::set<std::pair<std::string, int32_t>> node_ports, ports;
  for (size_t i = 0; i < spec.ports.size(); ++i) {
    const auto& p = spec.ports[i];
    if (p.node_port != 0 && !node_ports.insert({p.protocol, p.node_port}).second)
      causes.push_back(
          field_duplicate(child(index("spec.ports", i), "nodePort"), std::to_string(p.node_port)));
    if (!ports.insert({p.protocol, p.port}).second)
      causes.push_back(field_duplicate(index("spec.ports", i),
                                       go_quote(std::to_string(p.port) + "/" + p.protocol)));
  }

  const auto& etp = spec.external_traffic_policy;
  if (!etp.empty() && etp != "Cluster" && etp != "Local")
    causes.push_back(
        field_not_supported("spec.externalTrafficPolicy", go_quote(etp), {"Cluster", "Local"}));
  if (!etp.empty() && !externally_accessible(s))
    causes.push_back(field_invalid("spec.externalTrafficPolicy", go_quote(etp),
                                   "may only be set for externally-accessible services"));
  if (spec.internal_traffic_policy) {
    const auto& itp = *spec.internal_traffic_policy;
    if (itp != "Cluster" && itp != "Local")
      causes.push_back(
          field_not_supported("spec.internalTrafficPolicy", go_quote(itp), {"Cluster", "Local"}));
  }
  if (spec.health_check_node_port != 0 && (spec.type != "LoadBalancer" || etp != "Local"))
    causes.push_back(field_invalid("spec.healthCheckNodePort",
                                   std::to_string(spec.health_check_node_port),
                                   "may only be set when `type` is 'LoadBalancer' and "
                                   "`externalTrafficPolicy` is 'Local'"));
}

// Upstream forbids the class outside type LoadBalancer and drops it (its strategy's
// dropTypeDependentFields) when the type changes away; kactor has no such strategy hook, so
// a class carried unchanged through that type change is accepted instead of dropped.
void validate_load_balancer_class(const Service& s, const Service* old, Causes& causes) {
  const auto& cls = s.spec.load_balancer_class;
  const std::string path = "spec.loadBalancerClass";
  if (cls) validate_qualified_name(*cls, path, causes);
  const bool unchanged = old && old->spec.load_balancer_class == cls;
  if (cls && s.spec.type != "LoadBalancer" && !unchanged)
    causes.push_back(field_forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
  if (old && old->spec.type == "LoadBalancer" && s.spec.type == "LoadBalancer" && !unchanged)
    causes.push_back(field_invalid(path, cls ? go_quote(*cls) : "null", "may not change once set"));
}

void validate_cluster_ip_update(const Service& s, const Service& old, Causes& causes) {
  if (old.spec.type == "ExternalName" || s.spec.type == "ExternalName") return;
  const auto& now_ips = s.spec.cluster_ips;
  const auto& old_ips = old.spec.cluster_ips;
  if (!old_ips.empty() && !now_ips.empty() && old_ips[0] != now_ips[0])
    causes.push_back(
        field_invalid("spec.clusterIPs[0]", go_strings(now_ips), "may not change once set"));
  if (!old_ips.empty() && now_ips.empty())
    causes.push_back(field_invalid("spec.clusterIPs[0]", go_strings(now_ips),
                                   "primary clusterIP can not be unset"));
}

}  // namespace

void validate(const Service& svc, const Service* old, std::vector<StatusCause>& causes) {
  if (old) {
    validate_object_meta_update(svc.metadata, old->metadata, "metadata", causes);
    validate_cluster_ip_update(svc, *old, causes);
  } else {
    validate_object_meta(svc.metadata, true, name_is_dns1035_label, "metadata", causes);
  }
  validate_service_spec(svc, causes);
  validate_load_balancer_class(svc, old, causes);
}

// -- Endpoints --------------------------------------------------------------------------

namespace {

void validate_endpoint_address(const EndpointAddress& a, const std::string& path, Causes& causes) {
  if (!is_valid_ip(a.ip))
    causes.push_back(field_invalid(child(path, "ip"), go_quote(a.ip), invalid_ip_message()));
  if (!a.hostname.empty()) validate_dns1123_label(a.hostname, child(path, "hostname"), causes);
  if (a.node_name)
    add_invalid(causes, child(path, "nodeName"), go_quote(*a.node_name),
                is_dns1123_subdomain(*a.node_name));
}

}  // namespace

void validate(const Endpoints& ep, const Endpoints* old, std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(ep.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(ep.metadata, true, name_is_dns_subdomain, "metadata", causes);
  for (size_t i = 0; i < ep.subsets.size(); ++i) {
    const auto& ss = ep.subsets[i];
    std::string p = index("subsets", i);
    if (ss.addresses.empty() && ss.not_ready_addresses.empty())
      causes.push_back(field_required(p, "must specify `addresses` or `notReadyAddresses`"));
    for (size_t j = 0; j < ss.addresses.size(); ++j)
      validate_endpoint_address(ss.addresses[j], index(child(p, "addresses"), j), causes);
    for (size_t j = 0; j < ss.not_ready_addresses.size(); ++j)
      validate_endpoint_address(ss.not_ready_addresses[j], index(child(p, "notReadyAddresses"), j),
                                causes);
    std::set<std::string> names;
    for (size_t j = 0; j < ss.ports.size(); ++j) {
      const auto& port = ss.ports[j];
      std::string pp = index(child(p, "ports"), j);
      if (ss.ports.size() > 1 && port.name.empty()) {
        causes.push_back(field_required(child(pp, "name")));
      } else if (!port.name.empty()) {
        validate_dns1123_label(port.name, child(pp, "name"), causes);
        if (!names.insert(port.name).second)
          causes.push_back(field_duplicate(child(pp, "name"), go_quote(port.name)));
      }
      add_invalid(causes, child(pp, "port"), std::to_string(port.port),
                  is_valid_port_num(port.port));
      validate_protocol(port.protocol, child(pp, "protocol"), causes);
    }
  }
}

}  // namespace kactor::api
