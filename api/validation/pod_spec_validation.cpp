// PodSpec validation (upstream ValidatePodSpec and the container, volume, probe,
// toleration and affinity checks it is made of).
#include <set>

#include "api/validation/common.hpp"
#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"
#include "api/validation/pod_validation.hpp"
#include "api/validation/resource_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

constexpr int64_t kMaxInt32 = 2147483647;

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

// -- volumes ---------------------------------------------------------------------------

std::set<std::string> validate_volumes(const std::vector<Volume>& volumes, const std::string& path,
                                       Causes& causes) {
  std::set<std::string> names;
  for (size_t i = 0; i < volumes.size(); ++i) {
    const auto& v = volumes[i];
    std::string p = index(path, i);
    int sources = 0;
    auto source = [&](bool present, const char* name) {
      if (!present) return false;
      if (sources++ > 0) {
        causes.push_back(
            field_forbidden(child(p, name), "may not specify more than 1 volume type"));
        return false;
      }
      return true;
    };
    if (source(v.empty_dir.has_value(), "emptyDir") && v.empty_dir->size_limit &&
        v.empty_dir->size_limit->sign() < 0)
      causes.push_back(field_forbidden(child(child(p, "emptyDir"), "sizeLimit"),
                                       "SizeLimit field must be a valid resource quantity"));
    if (source(v.host_path.has_value(), "hostPath") && v.host_path->path.empty())
      causes.push_back(field_required(child(child(p, "hostPath"), "path")));
    if (source(v.secret.has_value(), "secret") && v.secret->secret_name.empty())
      causes.push_back(field_required(child(child(p, "secret"), "secretName")));
    if (source(v.persistent_volume_claim.has_value(), "persistentVolumeClaim") &&
        v.persistent_volume_claim->claim_name.empty())
      causes.push_back(field_required(child(child(p, "persistentVolumeClaim"), "claimName")));
    if (source(v.config_map.has_value(), "configMap") && v.config_map->name.empty())
      causes.push_back(field_required(child(child(p, "configMap"), "name")));
    if (sources == 0) causes.push_back(field_required(p, "must specify a volume type"));

    std::string name_path = child(p, "name");
    if (v.name.empty())
      causes.push_back(field_required(name_path));
    else
      validate_dns1123_label(v.name, name_path, causes);
    if (names.contains(v.name)) causes.push_back(field_duplicate(name_path, go_quote(v.name)));
    names.insert(v.name);
  }
  return names;
}

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
      causes.push_back(field_invalid(child(p, "mountPath"), go_quote(m.mount_path), "must be unique"));
    mount_points.insert(m.mount_path);
    if (!m.sub_path.empty() &&
        (m.sub_path.starts_with('/') || m.sub_path == ".." || m.sub_path.starts_with("../") ||
         m.sub_path.find("/../") != std::string::npos || m.sub_path.ends_with("/..")))
      causes.push_back(field_invalid(
          child(path, "subPath"), go_quote(m.sub_path),
          m.sub_path.starts_with('/') ? "must be a relative path" : "must not contain '..'"));
  }
}

// -- containers ------------------------------------------------------------------------

void validate_probe(const std::optional<Probe>& probe, const std::string& path, bool success_one,
                    Causes& causes) {
  if (!probe) return;
  int handlers = 0;
  auto handler = [&](bool present, const char* name) {
    if (!present) return false;
    if (handlers++ > 0) {
      causes.push_back(
          field_forbidden(child(path, name), "may not specify more than 1 handler type"));
      return false;
    }
    return true;
  };
  if (handler(probe->exec.has_value(), "exec") && probe->exec->command.empty())
    causes.push_back(field_required(child(child(path, "exec"), "command")));
  if (handler(probe->http_get.has_value(), "httpGet")) {
    const auto& h = *probe->http_get;
    std::string hp = child(path, "httpGet");
    if (h.path.empty()) causes.push_back(field_required(child(hp, "path")));
    validate_port_num_or_name(h.port, child(hp, "port"), causes);
    if (h.scheme != "HTTP" && h.scheme != "HTTPS")
      causes.push_back(
          field_not_supported(child(hp, "scheme"), go_quote(h.scheme), {"HTTP", "HTTPS"}));
  }
  if (handler(probe->tcp_socket.has_value(), "tcpSocket"))
    validate_port_num_or_name(probe->tcp_socket->port, child(child(path, "tcpSocket"), "port"),
                              causes);
  if (handlers == 0) causes.push_back(field_required(path, "must specify a handler type"));
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

void validate_env(const std::vector<EnvVar>& env, const std::string& path, Causes& causes) {
  for (size_t i = 0; i < env.size(); ++i) {
    std::string p = child(index(path, i), "name");
    if (env[i].name.empty())
      causes.push_back(field_required(p));
    else
      add_invalid(causes, p, go_quote(env[i].name), is_env_var_name(env[i].name));
  }
}

void validate_container_common(const Container& c, const std::set<std::string>& volumes,
                               const std::string& path, Causes& causes) {
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
  validate_volume_mounts(c.volume_mounts, volumes, child(path, "volumeMounts"), causes);
  const auto& pull = c.image_pull_policy;
  if (pull.empty())
    causes.push_back(field_required(child(path, "imagePullPolicy")));
  else if (pull != "Always" && pull != "IfNotPresent" && pull != "Never")
    causes.push_back(field_not_supported(child(path, "imagePullPolicy"), go_quote(pull),
                                         {"Always", "IfNotPresent", "Never"}));
  validate_resource_requirements(c.resources, child(path, "resources"), causes);
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
      validate_container_common(c, volumes, p, causes);
      if (!names.insert(c.name).second)
        causes.push_back(field_duplicate(child(p, "name"), go_quote(c.name)));
      validate_probe(c.liveness_probe, child(p, "livenessProbe"), true, causes);
      validate_probe(c.readiness_probe, child(p, "readinessProbe"), false, causes);
      validate_probe(c.startup_probe, child(p, "startupProbe"), true, causes);
      if (!c.restart_policy.empty())
        causes.push_back(
            field_forbidden(child(p, "restartPolicy"), "may not be set for non-init containers"));
    }
    validate_host_port_conflicts(spec.containers, cpath, causes);
  }
  std::string ipath = child(path, "initContainers");
  std::set<std::string> names;
  for (const auto& c : spec.containers) names.insert(c.name);
  for (size_t i = 0; i < spec.init_containers.size(); ++i) {
    const auto& c = spec.init_containers[i];
    std::string p = index(ipath, i);
    validate_container_common(c, volumes, p, causes);
    if (!names.insert(c.name).second)
      causes.push_back(field_duplicate(child(p, "name"), go_quote(c.name)));
    if (c.restart_policy == "Always") {  // a sidecar: probed like an app container
      validate_probe(c.liveness_probe, child(p, "livenessProbe"), true, causes);
      validate_probe(c.readiness_probe, child(p, "readinessProbe"), false, causes);
      validate_probe(c.startup_probe, child(p, "startupProbe"), true, causes);
      continue;
    }
    if (!c.restart_policy.empty())
      causes.push_back(field_not_supported(child(p, "restartPolicy"), go_quote(c.restart_policy),
                                           {"Always"}));
    for (auto [probe, name] : {std::pair{&c.liveness_probe, "livenessProbe"},
                               std::pair{&c.readiness_probe, "readinessProbe"},
                               std::pair{&c.startup_probe, "startupProbe"}})
      if (probe->has_value())
        causes.push_back(field_forbidden(child(p, name),
                                         "may not be set for init containers without "
                                         "restartPolicy=Always"));
  }
  if (!spec.init_containers.empty())
    validate_host_port_conflicts(spec.init_containers, ipath, causes);
}

// -- scheduling ------------------------------------------------------------------------

void validate_taint_effect(const std::string& effect, bool allow_empty, const std::string& path,
                           Causes& causes) {
  if (!allow_empty && effect.empty()) {
    causes.push_back(field_required(path));
    return;
  }
  if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute")
    causes.push_back(
        field_not_supported(path, go_quote(effect), {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
}

void validate_tolerations(const std::vector<Toleration>& tolerations, const std::string& path,
                          Causes& causes) {
  for (size_t i = 0; i < tolerations.size(); ++i) {
    const auto& t = tolerations[i];
    std::string p = index(path, i);
    if (!t.key.empty()) validate_qualified_name(t.key, child(p, "key"), causes);
    if (t.key.empty() && t.operator_ != "Exists")
      causes.push_back(field_invalid(child(p, "operator"), go_quote(t.operator_),
                                     "operator must be Exists when `key` is empty, which means "
                                     "\"match all values and all keys\""));
    if (t.toleration_seconds && t.effect != "NoExecute")
      causes.push_back(field_invalid(child(p, "effect"), go_quote(t.effect),
                                     "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (t.operator_.empty() || t.operator_ == "Equal") {
      auto errs = is_valid_label_value(t.value);
      if (!errs.empty()) {
        std::string joined;
        for (const auto& e : errs) joined += (joined.empty() ? "" : ";") + e;
        causes.push_back(field_invalid(child(p, "operator"), go_quote(t.value), joined));
      }
    } else if (t.operator_ == "Exists") {
      if (!t.value.empty())
        causes.push_back(field_invalid(child(p, "operator"), go_quote(t.value),
                                       "value must be empty when `operator` is 'Exists'"));
    } else {
      causes.push_back(
          field_not_supported(child(p, "operator"), go_quote(t.operator_), {"Equal", "Exists"}));
    }
    if (!t.effect.empty()) validate_taint_effect(t.effect, true, child(p, "effect"), causes);
  }
}

void validate_node_selector_term(const NodeSelectorTerm& term, const std::string& path,
                                 Causes& causes) {
  for (size_t j = 0; j < term.match_expressions.size(); ++j) {
    const auto& r = term.match_expressions[j];
    std::string p = index(child(path, "matchExpressions"), j);
    if (r.operator_ == "In" || r.operator_ == "NotIn") {
      if (r.values.empty())
        causes.push_back(field_required(child(p, "values"),
                                        "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (r.operator_ == "Exists" || r.operator_ == "DoesNotExist") {
      if (!r.values.empty())
        causes.push_back(
            field_forbidden(child(p, "values"),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else if (r.operator_ == "Gt" || r.operator_ == "Lt") {
      if (r.values.size() != 1)
        causes.push_back(field_required(
            child(p, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
    } else {
      causes.push_back(field_not_supported(child(p, "operator"), go_quote(r.operator_),
                                           {"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"}));
    }
    validate_qualified_name(r.key, child(p, "key"), causes);
  }
  for (size_t j = 0; j < term.match_fields.size(); ++j) {
    const auto& r = term.match_fields[j];
    std::string p = index(child(path, "matchFields"), j);
    if (r.operator_ == "In" || r.operator_ == "NotIn") {
      if (r.values.size() != 1)
        causes.push_back(field_required(child(p, "values"),
                                        "must be only one value when `operator` is 'In' or "
                                        "'NotIn' for node field selector"));
    } else {
      causes.push_back(
          field_invalid(child(p, "operator"), go_quote(r.operator_), "not a valid selector operator"));
    }
    if (r.key != "metadata.name") {
      causes.push_back(
          field_invalid(child(p, "key"), go_quote(r.key), "not a valid field selector key"));
    } else {
      for (size_t k = 0; k < r.values.size(); ++k)
        add_invalid(causes, index(child(p, "values"), k), go_quote(r.values[k]),
                    is_dns1123_subdomain(r.values[k]));
    }
  }
}

void validate_pod_affinity_term(const PodAffinityTerm& term, const std::string& path,
                                Causes& causes) {
  if (term.label_selector)
    validate_label_selector(*term.label_selector, child(path, "labelSelector"), causes);
  if (term.namespace_selector)
    validate_label_selector(*term.namespace_selector, child(path, "namespaceSelector"), causes);
  for (const auto& ns : term.namespaces)
    add_invalid(causes, child(path, "namespace"), go_quote(ns), is_dns1123_label(ns));
  if (term.topology_key.empty())
    causes.push_back(field_required(child(path, "topologyKey"), "can not be empty"));
  validate_qualified_name(term.topology_key, child(path, "topologyKey"), causes);
}

void validate_pod_affinity(const PodAffinity& a, const std::string& path, Causes& causes) {
  std::string req = child(path, "requiredDuringSchedulingIgnoredDuringExecution");
  for (size_t i = 0; i < a.required_during_scheduling_ignored_during_execution.size(); ++i)
    validate_pod_affinity_term(a.required_during_scheduling_ignored_during_execution[i],
                               index(req, i), causes);
  std::string pref = child(path, "preferredDuringSchedulingIgnoredDuringExecution");
  for (size_t i = 0; i < a.preferred_during_scheduling_ignored_during_execution.size(); ++i) {
    const auto& w = a.preferred_during_scheduling_ignored_during_execution[i];
    if (w.weight <= 0 || w.weight > 100)
      causes.push_back(field_invalid(child(index(pref, i), "weight"), std::to_string(w.weight),
                                     "must be in the range 1-100"));
    validate_pod_affinity_term(w.pod_affinity_term, child(index(pref, i), "podAffinityTerm"),
                               causes);
  }
}

void validate_affinity(const Affinity& a, const std::string& path, Causes& causes) {
  if (a.node_affinity) {
    std::string np = child(path, "nodeAffinity");
    const auto& na = *a.node_affinity;
    if (na.required_during_scheduling_ignored_during_execution) {
      std::string terms =
          child(child(np, "requiredDuringSchedulingIgnoredDuringExecution"), "nodeSelectorTerms");
      const auto& sel = *na.required_during_scheduling_ignored_during_execution;
      if (sel.node_selector_terms.empty())
        causes.push_back(field_required(terms, "must have at least one node selector term"));
      for (size_t i = 0; i < sel.node_selector_terms.size(); ++i)
        validate_node_selector_term(sel.node_selector_terms[i], index(terms, i), causes);
    }
    std::string pref = child(np, "preferredDuringSchedulingIgnoredDuringExecution");
    for (size_t i = 0; i < na.preferred_during_scheduling_ignored_during_execution.size(); ++i) {
      const auto& t = na.preferred_during_scheduling_ignored_during_execution[i];
      if (t.weight <= 0 || t.weight > 100)
        causes.push_back(field_invalid(child(index(pref, i), "weight"), std::to_string(t.weight),
                                       "must be in the range 1-100"));
      validate_node_selector_term(t.preference, child(index(pref, i), "preference"), causes);
    }
  }
  if (a.pod_affinity) validate_pod_affinity(*a.pod_affinity, child(path, "podAffinity"), causes);
  if (a.pod_anti_affinity)
    validate_pod_affinity(*a.pod_anti_affinity, child(path, "podAntiAffinity"), causes);
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
}

void validate_pod_template_spec(const PodTemplateSpec& tmpl, const std::string& path,
                                Causes& causes) {
  // upstream reports template label errors at <path>.labels, not <path>.metadata.labels.
  validate_labels(tmpl.metadata.labels, child(path, "labels"), causes);
  validate_annotations(tmpl.metadata.annotations, child(path, "annotations"), causes);
  validate_pod_spec(tmpl.spec, child(path, "spec"), causes);
}

}  // namespace kactor::api
