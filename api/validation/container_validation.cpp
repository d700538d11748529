// Container validation (upstream validateContainers / validateInitContainers and the
// port, environment, mount, device, probe, lifecycle and resource checks they are made of).
#include <algorithm>
#include <cctype>
#include <set>

#include "api/validation/detail/pod_spec_parts.hpp"
#include "api/validation/names.hpp"
#include "api/validation/resource_validation.hpp"

namespace kactor::api::validation::detail {
namespace {

constexpr std::string_view kInitWithoutRestartAlways =
    "may not be set for init containers without restartPolicy=Always";

void validate_port_num_or_name(const IntOrString& port, const std::string& path, Causes& causes) {
  if (port.is_string)
    add_invalid(causes, path, go_quote(port.string_value), is_valid_port_name(port.string_value));
  else
    add_invalid(causes, path, std::to_string(port.int_value), is_valid_port_num(port.int_value));
}

void validate_protocol(const std::string& protocol, const std::string& path, Causes& causes) {
  if (protocol.empty())
    causes.push_back(field_required(path));
  else if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP")
    causes.push_back(field_not_supported(path, go_quote(protocol), {"SCTP", "TCP", "UDP"}));
}

// -- mounts and devices ------------------------------------------------------------------

void validate_volume_mounts(const std::vector<VolumeMount>& mounts,
                            const std::set<std::string>& volumes, const std::string& path,
                            Causes& causes) {
  std::set<std::string> mount_points;
  for (size_t i = 0; i < mounts.size(); ++i) {
    const auto& m = mounts[i];
    std::string p = index(path, i);
    if (m.name.empty()) causes.push_back(field_required(child(p, "name")));
    if (!volumes.contains(m.name))
      causes.push_back(field_not_found(child(p, "name"), go_quote(m.name)));
    if (m.mount_path.empty()) causes.push_back(field_required(child(p, "mountPath")));
    if (mount_points.contains(m.mount_path))
      causes.push_back(
          field_invalid(child(p, "mountPath"), go_quote(m.mount_path), "must be unique"));
    mount_points.insert(m.mount_path);
    if (!m.sub_path.empty())
      validate_local_descending_path(m.sub_path, child(p, "subPath"), causes);
    if (!m.sub_path_expr.empty()) {
      if (!m.sub_path.empty())
        causes.push_back(field_invalid(child(p, "subPathExpr"), go_quote(m.sub_path_expr),
                                       "subPathExpr and subPath are mutually exclusive"));
      validate_local_descending_path(m.sub_path_expr, child(p, "subPathExpr"), causes);
    }
    if (m.mount_propagation && *m.mount_propagation != "None" &&
        *m.mount_propagation != "HostToContainer" && *m.mount_propagation != "Bidirectional")
      causes.push_back(field_not_supported(child(p, "mountPropagation"),
                                           go_quote(*m.mount_propagation),
                                           {"Bidirectional", "HostToContainer", "None"}));
    if (m.recursive_read_only && *m.recursive_read_only != "Disabled" &&
        *m.recursive_read_only != "IfPossible" && *m.recursive_read_only != "Enabled")
      causes.push_back(field_not_supported(child(p, "recursiveReadOnly"),
                                           go_quote(*m.recursive_read_only),
                                           {"Disabled", "IfPossible", "Enabled"}));
  }
}

void validate_volume_devices(const std::vector<VolumeDevice>& devices,
                             const std::set<std::string>& volumes, const std::string& path,
                             Causes& causes) {
  std::set<std::string> device_paths;
  for (size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    std::string p = index(path, i);
    if (d.name.empty())
      causes.push_back(field_required(child(p, "name")));
    else if (!volumes.contains(d.name))
      causes.push_back(field_not_found(child(p, "name"), go_quote(d.name)));
    if (d.device_path.empty()) {
      causes.push_back(field_required(child(p, "devicePath")));
    } else if (!device_paths.insert(d.device_path).second) {
      causes.push_back(
          field_invalid(child(p, "devicePath"), go_quote(d.device_path), "must be unique"));
    }
  }
}

// -- handlers: probes and lifecycle hooks ----------------------------------------------------

void validate_http_get(const HTTPGetAction& h, const std::string& path, Causes& causes) {
  if (h.path.empty()) causes.push_back(field_required(child(path, "path")));
  validate_port_num_or_name(h.port, child(path, "port"), causes);
  if (h.scheme != "HTTP" && h.scheme != "HTTPS")
    causes.push_back(
        field_not_supported(child(path, "scheme"), go_quote(h.scheme), {"HTTP", "HTTPS"}));
  for (const auto& header : h.http_headers) {
    bool valid = !header.name.empty();
    for (char ch : header.name)
      valid = valid && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-');
    if (!valid)
      causes.push_back(
          field_invalid(child(path, "httpHeaders"), go_quote(header.name),
                        "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
                        "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
  }
}

/// Counts the handlers set; every one after the first is reported at its own path.
class HandlerCount {
 public:
  HandlerCount(const std::string& path, Causes& causes) : path_(path), causes_(causes) {}
  /// True if the handler is set and is the first: the caller then validates it.
  bool first(bool present, const char* name) {
    if (!present) return false;
    if (count_++ > 0) {
      causes_.push_back(
          field_forbidden(child(path_, name), "may not specify more than 1 handler type"));
      return false;
    }
    return true;
  }
  void require_one() {
    if (count_ == 0) causes_.push_back(field_required(path_, "must specify a handler type"));
  }

 private:
  const std::string& path_;
  Causes& causes_;
  int count_ = 0;
};

void validate_probe(const Boxed<Probe>& probe, const std::string& path, bool success_one,
                    Causes& causes) {
  if (!probe) return;
  HandlerCount handlers(path, causes);
  if (handlers.first(probe->exec.has_value(), "exec") && probe->exec->command.empty())
    causes.push_back(field_required(child(child(path, "exec"), "command")));
  if (handlers.first(probe->http_get.has_value(), "httpGet"))
    validate_http_get(*probe->http_get, child(path, "httpGet"), causes);
  if (handlers.first(probe->tcp_socket.has_value(), "tcpSocket"))
    validate_port_num_or_name(probe->tcp_socket->port, child(child(path, "tcpSocket"), "port"),
                              causes);
  if (handlers.first(probe->grpc.has_value(), "grpc"))
    validate_port_num_or_name(IntOrString::from_int(probe->grpc->port),
                              child(child(path, "grpc"), "port"), causes);
  handlers.require_one();
  validate_nonnegative(probe->initial_delay_seconds, child(path, "initialDelaySeconds"), causes);
  validate_nonnegative(probe->timeout_seconds, child(path, "timeoutSeconds"), causes);
  validate_nonnegative(probe->period_seconds, child(path, "periodSeconds"), causes);
  validate_nonnegative(probe->success_threshold, child(path, "successThreshold"), causes);
  validate_nonnegative(probe->failure_threshold, child(path, "failureThreshold"), causes);
  if (probe->termination_grace_period_seconds && *probe->termination_grace_period_seconds <= 0)
    causes.push_back(field_invalid(child(path, "terminationGracePeriodSeconds"),
                                   std::to_string(*probe->termination_grace_period_seconds),
                                   "must be greater than 0"));
  if (success_one && probe->success_threshold != 1)
    causes.push_back(field_invalid(child(path, "successThreshold"),
                                   std::to_string(probe->success_threshold), "must be 1"));
}

void validate_lifecycle_handler(const LifecycleHandler& h, std::optional<int64_t> grace_period,
                                const std::string& path, Causes& causes) {
  HandlerCount handlers(path, causes);
  if (handlers.first(h.exec.has_value(), "exec") && h.exec->command.empty())
    causes.push_back(field_required(child(child(path, "exec"), "command")));
  if (handlers.first(h.http_get.has_value(), "httpGet"))
    validate_http_get(*h.http_get, child(path, "httpGet"), causes);
  if (handlers.first(h.tcp_socket.has_value(), "tcpSocket"))
    validate_port_num_or_name(h.tcp_socket->port, child(child(path, "tcpSocket"), "port"), causes);
  if (handlers.first(h.sleep.has_value(), "sleep") && grace_period &&
      (h.sleep->seconds <= 0 || h.sleep->seconds > *grace_period))
    causes.push_back(
        field_invalid(child(path, "sleep"), std::to_string(h.sleep->seconds),
                      "must be greater than 0 and less than terminationGracePeriodSeconds (" +
                          std::to_string(*grace_period) + ")"));
  handlers.require_one();
}

void validate_lifecycle(const Lifecycle& l, std::optional<int64_t> grace_period,
                        const std::string& path, Causes& causes) {
  if (l.post_start)
    validate_lifecycle_handler(*l.post_start, grace_period, child(path, "postStart"), causes);
  if (l.pre_stop)
    validate_lifecycle_handler(*l.pre_stop, grace_period, child(path, "preStop"), causes);
}

// -- ports, environment, resources -------------------------------------------------------------

void validate_container_ports(const std::vector<ContainerPort>& ports, const std::string& path,
                              Causes& causes) {
  std::set<std::string> names;
  for (size_t i = 0; i < ports.size(); ++i) {
    const auto& p = ports[i];
    std::string ip = index(path, i);
    if (!p.name.empty()) {
      auto msgs = is_valid_port_name(p.name);
      if (!msgs.empty())
        add_invalid(causes, child(ip, "name"), go_quote(p.name), msgs);
      else if (names.contains(p.name))
        causes.push_back(field_duplicate(child(ip, "name"), go_quote(p.name)));
      else
        names.insert(p.name);
    }
    if (p.container_port == 0)
      causes.push_back(field_required(child(ip, "containerPort")));
    else
      add_invalid(causes, child(ip, "containerPort"), std::to_string(p.container_port),
                  is_valid_port_num(p.container_port));
    if (p.host_port != 0)
      add_invalid(causes, child(ip, "hostPort"), std::to_string(p.host_port),
                  is_valid_port_num(p.host_port));
    validate_protocol(p.protocol, child(ip, "protocol"), causes);
  }
}

void validate_key_selector(const KeySelector& s, const std::string& path, Causes& causes) {
  add_invalid(causes, child(path, "name"), go_quote(s.name), is_dns1123_subdomain(s.name));
  if (s.key.empty())
    causes.push_back(field_required(child(path, "key")));
  else
    add_invalid(causes, child(path, "key"), go_quote(s.key), is_config_map_key(s.key));
}

/// The pod fields a fieldRef may name (upstream validEnvDownwardAPIFieldPathExpressions),
/// besides metadata.labels['<key>'] and metadata.annotations['<key>'].
const std::vector<std::string>& env_field_paths() {
  static const std::vector<std::string> paths = {"metadata.annotations",
                                                 "metadata.labels",
                                                 "metadata.name",
                                                 "metadata.namespace",
                                                 "metadata.uid",
                                                 "spec.nodeName",
                                                 "spec.serviceAccountName",
                                                 "status.hostIP",
                                                 "status.hostIPs",
                                                 "status.podIP",
                                                 "status.podIPs"};
  return paths;
}

void validate_field_ref(const ObjectFieldSelector& f, const std::string& path, Causes& causes) {
  if (f.api_version.empty()) causes.push_back(field_required(child(path, "apiVersion")));
  std::string fp = child(path, "fieldPath");
  if (f.field_path.empty()) {
    causes.push_back(field_required(fp));
    return;
  }
  // A subscripted label or annotation names one key; the bare maps are not allowed.
  for (std::string_view map : {"metadata.labels['", "metadata.annotations['"})
    if (f.field_path.starts_with(map) && f.field_path.ends_with("']") &&
        f.field_path.size() > map.size() + 2)
      return;
  const auto& paths = env_field_paths();
  bool bare_map = f.field_path == "metadata.labels" || f.field_path == "metadata.annotations";
  if (bare_map || std::find(paths.begin(), paths.end(), f.field_path) == paths.end()) {
    std::vector<std::string> supported;
    for (const auto& p : paths)
      if (p != "metadata.labels" && p != "metadata.annotations") supported.push_back(p);
    causes.push_back(field_not_supported(fp, go_quote(f.field_path), supported));
  }
}

void validate_resource_field_ref(const ResourceFieldSelector& r, const std::string& path,
                                 Causes& causes) {
  static const std::vector<std::string> resources = {
      "limits.cpu",   "limits.ephemeral-storage",   "limits.memory",
      "requests.cpu", "requests.ephemeral-storage", "requests.memory"};
  std::string rp = child(path, "resource");
  if (r.resource.empty())
    causes.push_back(field_required(rp));
  else if (std::find(resources.begin(), resources.end(), r.resource) == resources.end() &&
           !r.resource.starts_with("limits.hugepages-") &&
           !r.resource.starts_with("requests.hugepages-"))
    causes.push_back(field_not_supported(rp, go_quote(r.resource), resources));
}

void validate_env(const std::vector<EnvVar>& env, const std::string& path, Causes& causes) {
  for (size_t i = 0; i < env.size(); ++i) {
    const auto& e = env[i];
    std::string p = index(path, i);
    if (e.name.empty())
      causes.push_back(field_required(child(p, "name")));
    else
      add_invalid(causes, child(p, "name"), go_quote(e.name), is_env_var_name(e.name));
    if (!e.value_from) continue;
    const auto& from = *e.value_from;
    std::string fp = child(p, "valueFrom");
    int sources = 0;
    if (from.field_ref) {
      ++sources;
      validate_field_ref(*from.field_ref, child(fp, "fieldRef"), causes);
    }
    if (from.resource_field_ref) {
      ++sources;
      validate_resource_field_ref(*from.resource_field_ref, child(fp, "resourceFieldRef"), causes);
    }
    if (from.config_map_key_ref) {
      ++sources;
      validate_key_selector(*from.config_map_key_ref, child(fp, "configMapKeyRef"), causes);
    }
    if (from.secret_key_ref) {
      ++sources;
      validate_key_selector(*from.secret_key_ref, child(fp, "secretKeyRef"), causes);
    }
    if (sources == 0)
      causes.push_back(field_invalid(fp, "\"\"",
                                     "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                     "`configMapKeyRef` or `secretKeyRef`"));
    else if (!e.value.empty())
      causes.push_back(field_invalid(fp, "\"\"", "may not be specified when `value` is not empty"));
    else if (sources > 1)
      causes.push_back(
          field_invalid(fp, "\"\"", "may not have more than one field specified at a time"));
  }
}

void validate_env_from(const std::vector<EnvFromSource>& env_from, const std::string& path,
                       Causes& causes) {
  for (size_t i = 0; i < env_from.size(); ++i) {
    const auto& e = env_from[i];
    std::string p = index(path, i);
    if (!e.prefix.empty())
      add_invalid(causes, child(p, "prefix"), go_quote(e.prefix), is_env_var_name(e.prefix));
    int sources = 0;
    for (auto [ref, name] :
         {std::pair{&e.config_map_ref, "configMapRef"}, std::pair{&e.secret_ref, "secretRef"}}) {
      if (!*ref) continue;
      ++sources;
      add_invalid(causes, child(child(p, name), "name"), go_quote((*ref)->name),
                  is_dns1123_subdomain((*ref)->name));
    }
    if (sources == 0)
      causes.push_back(
          field_invalid(p, "\"\"", "must specify one of: `configMapRef` or `secretRef`"));
    else if (sources > 1)
      causes.push_back(
          field_invalid(p, "\"\"", "may not have more than one field specified at a time"));
  }
}

void validate_resize_policy(const std::vector<ContainerResizePolicy>& policies,
                            const std::string& path, Causes& causes) {
  std::set<std::string> seen;
  for (size_t i = 0; i < policies.size(); ++i) {
    const auto& p = policies[i];
    if (!seen.insert(p.resource_name).second)
      causes.push_back(field_duplicate(index(path, i), go_quote(p.resource_name)));
    if (p.resource_name.empty())
      causes.push_back(field_required(path));
    else if (p.resource_name != "cpu" && p.resource_name != "memory")
      causes.push_back(field_not_supported(path, go_quote(p.resource_name), {"cpu", "memory"}));
    if (p.restart_policy.empty())
      causes.push_back(field_required(path));
    else if (p.restart_policy != "NotRequired" && p.restart_policy != "RestartContainer")
      causes.push_back(field_not_supported(path, go_quote(p.restart_policy),
                                           {"NotRequired", "RestartContainer"}));
  }
}

/// A container's resources.claims must name the pod's spec.resourceClaims, once each.
void validate_resource_claim_names(const std::vector<ResourceClaim>& claims,
                                   const std::vector<PodResourceClaim>& pod_claims,
                                   const std::string& path, Causes& causes) {
  std::set<std::string> seen;
  for (size_t i = 0; i < claims.size(); ++i) {
    const auto& name = claims[i].name;
    std::string p = index(path, i);
    if (name.empty()) {
      causes.push_back(field_required(p));
      continue;
    }
    if (!seen.insert(name + "/" + claims[i].request).second)
      causes.push_back(field_duplicate(p, go_quote(name)));
    bool known = false;
    std::string names;
    for (const auto& c : pod_claims) {
      known = known || c.name == name;
      names += (names.empty() ? "" : ", ") + c.name;
    }
    if (!known) {
      auto cause = field_not_found(p, go_quote(name));
      cause.message += names.empty()
                           ? ": must be one of the names in pod.spec.resourceClaims which is empty"
                           : ": must be one of the names in pod.spec.resourceClaims: " + names;
      causes.push_back(std::move(cause));
    }
  }
}

// -- containers ------------------------------------------------------------------------------

void validate_container_common(const Container& c, const PodSpec& spec,
                               const std::set<std::string>& volumes, const std::string& path,
                               Causes& causes) {
  std::string name_path = child(path, "name");
  if (c.name.empty())
    causes.push_back(field_required(name_path));
  else
    validate_dns1123_label(c.name, name_path, causes);
  if (c.image.empty()) causes.push_back(field_required(child(path, "image")));
  const auto& tmp = c.termination_message_policy;
  if (tmp.empty())
    causes.push_back(field_required(child(path, "terminationMessagePolicy")));
  else if (tmp != "File" && tmp != "FallbackToLogsOnError")
    causes.push_back(field_not_supported(child(path, "terminationMessagePolicy"), go_quote(tmp),
                                         {"File", "FallbackToLogsOnError"}));
  validate_container_ports(c.ports, child(path, "ports"), causes);
  validate_env(c.env, child(path, "env"), causes);
  validate_env_from(c.env_from, child(path, "envFrom"), causes);
  validate_volume_mounts(c.volume_mounts, volumes, child(path, "volumeMounts"), causes);
  validate_volume_devices(c.volume_devices, volumes, child(path, "volumeDevices"), causes);
  const auto& pull = c.image_pull_policy;
  if (pull.empty())
    causes.push_back(field_required(child(path, "imagePullPolicy")));
  else if (pull != "Always" && pull != "IfNotPresent" && pull != "Never")
    causes.push_back(field_not_supported(child(path, "imagePullPolicy"), go_quote(pull),
                                         {"Always", "IfNotPresent", "Never"}));
  validate_resource_requirements(c.resources, child(path, "resources"), causes);
  validate_resource_claim_names(c.resources.claims, spec.resource_claims,
                                child(child(path, "resources"), "claims"), causes);
  validate_resize_policy(c.resize_policy, child(path, "resizePolicy"), causes);
  if (c.security_context)
    validate_security_context(*c.security_context, child(path, "securityContext"), causes);
}

void validate_host_port_conflicts(const std::vector<Container>& containers, const std::string& path,
                                  Causes& causes) {
  std::set<std::string> seen;
  for (size_t ci = 0; ci < containers.size(); ++ci) {
    const auto& ports = containers[ci].ports;
    for (size_t pi = 0; pi < ports.size(); ++pi) {
      if (ports[pi].host_port == 0) continue;
      std::string key =
          ports[pi].host_ip + "/" + ports[pi].protocol + "/" + std::to_string(ports[pi].host_port);
      if (!seen.insert(key).second)
        causes.push_back(field_duplicate(
            child(index(child(index(path, ci), "ports"), pi), "hostPort"), go_quote(key)));
    }
  }
}

/// An app container's probes, hooks and restart policy (none: only init containers have one).
void validate_app_container(const Container& c, const PodSpec& spec, const std::string& p,
                            Causes& causes) {
  validate_probe(c.liveness_probe, child(p, "livenessProbe"), true, causes);
  validate_probe(c.readiness_probe, child(p, "readinessProbe"), false, causes);
  validate_probe(c.startup_probe, child(p, "startupProbe"), true, causes);
  if (c.lifecycle)
    validate_lifecycle(*c.lifecycle, spec.termination_grace_period_seconds, child(p, "lifecycle"),
                       causes);
  if (c.restart_policy)
    causes.push_back(
        field_forbidden(child(p, "restartPolicy"), "may not be set for non-init containers"));
}

/// An init container runs to completion, unless it is a sidecar (restartPolicy Always),
/// which may have probes and hooks like an app container.
void validate_init_container(const Container& c, const PodSpec& spec, const std::string& p,
                             Causes& causes) {
  if (c.restart_policy && !c.is_sidecar())
    causes.push_back(
        field_not_supported(child(p, "restartPolicy"), go_quote(*c.restart_policy), {"Always"}));
  if (c.is_sidecar()) {
    validate_probe(c.liveness_probe, child(p, "livenessProbe"), true, causes);
    validate_probe(c.readiness_probe, child(p, "readinessProbe"), false, causes);
    validate_probe(c.startup_probe, child(p, "startupProbe"), true, causes);
    if (c.lifecycle)
      validate_lifecycle(*c.lifecycle, spec.termination_grace_period_seconds, child(p, "lifecycle"),
                         causes);
    return;
  }
  for (auto [probe, name] : {std::pair{&c.liveness_probe, "livenessProbe"},
                             std::pair{&c.readiness_probe, "readinessProbe"},
                             std::pair{&c.startup_probe, "startupProbe"}})
    if (probe->has_value())
      causes.push_back(field_forbidden(child(p, name), std::string(kInitWithoutRestartAlways)));
  if (c.lifecycle)
    causes.push_back(
        field_forbidden(child(p, "lifecycle"), std::string(kInitWithoutRestartAlways)));
}

}  // namespace

void validate_containers(const PodSpec& spec, const std::set<std::string>& volumes,
                         const std::string& path, Causes& causes) {
  std::string cpath = child(path, "containers");
  if (spec.containers.empty()) {
    causes.push_back(field_required(cpath));
  } else {
    std::set<std::string> names;
    for (size_t i = 0; i < spec.containers.size(); ++i) {
      const auto& c = spec.containers[i];
      std::string p = index(cpath, i);
      validate_container_common(c, spec, volumes, p, causes);
      if (!names.insert(c.name).second)
        causes.push_back(field_duplicate(child(p, "name"), go_quote(c.name)));
      validate_app_container(c, spec, p, causes);
    }
    validate_host_port_conflicts(spec.containers, cpath, causes);
  }
  std::string ipath = child(path, "initContainers");
  std::set<std::string> names;
  for (const auto& c : spec.containers) names.insert(c.name);
  for (size_t i = 0; i < spec.init_containers.size(); ++i) {
    const auto& c = spec.init_containers[i];
    std::string p = index(ipath, i);
    validate_container_common(c, spec, volumes, p, causes);
    if (!names.insert(c.name).second)
      causes.push_back(field_duplicate(child(p, "name"), go_quote(c.name)));
    validate_init_container(c, spec, p, causes);
  }
  if (!spec.init_containers.empty())
    validate_host_port_conflicts(spec.init_containers, ipath, causes);
}

}  // namespace kactor::api::validation::detail
