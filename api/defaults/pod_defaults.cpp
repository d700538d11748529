// Pod and PodSpec defaulting (upstream SetDefaults_Pod / _PodSpec / _Container / _Probe).
#include "api/defaults/pod_defaults.hpp"

namespace kactor::api {
namespace {

void set_probe_defaults(Boxed<Probe>& probe) {
  if (!probe) return;
  if (probe->timeout_seconds == 0) probe->timeout_seconds = 1;
  if (probe->period_seconds == 0) probe->period_seconds = 10;
  if (probe->success_threshold == 0) probe->success_threshold = 1;
  if (probe->failure_threshold == 0) probe->failure_threshold = 3;
  if (probe->http_get) {
    if (probe->http_get->path.empty()) probe->http_get->path = "/";
    if (probe->http_get->scheme.empty()) probe->http_get->scheme = "HTTP";
  }
}

void set_container_defaults(Container& c) {
  if (c.termination_message_path.empty()) c.termination_message_path = "/dev/termination-log";
  if (c.termination_message_policy.empty()) c.termination_message_policy = "File";
  if (c.image_pull_policy.empty()) c.image_pull_policy = default_image_pull_policy(c.image);
  for (auto& p : c.ports)
    if (p.protocol.empty()) p.protocol = "TCP";
  for (auto& e : c.env)
    if (e.value_from && e.value_from->field_ref && e.value_from->field_ref->api_version.empty())
      e.value_from->field_ref->api_version = "v1";
  set_probe_defaults(c.liveness_probe);
  set_probe_defaults(c.readiness_probe);
  set_probe_defaults(c.startup_probe);
}

/// Requests default to limits, for pods only (not templates), as upstream.
void default_requests_from_limits(Container& c) {
  for (const auto& [name, q] : c.resources.limits)
    if (!c.resources.requests.contains(name)) c.resources.requests[name] = q;
}

void default_host_network_ports(std::vector<Container>& containers) {
  for (auto& c : containers)
    for (auto& p : c.ports)
      if (p.host_port == 0) p.host_port = p.container_port;
}

}  // namespace

std::string default_image_pull_policy(std::string_view image) {
  // Tag parsing as the docker reference grammar: a digest ("@sha256:...") pins the image;
  // a tag is the part after the last ':' following the last '/' (so "host:5000/x" has none).
  auto at = image.find('@');
  bool has_digest = at != std::string_view::npos;
  std::string_view name = has_digest ? image.substr(0, at) : image;
  auto slash = name.rfind('/');
  auto colon = name.rfind(':');
  std::string_view tag;
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash))
    tag = name.substr(colon + 1);
  if (tag.empty() && !has_digest) tag = "latest";
  return tag == "latest" ? "Always" : "IfNotPresent";
}

void set_pod_spec_defaults(PodSpec& spec) {
  if (spec.dns_policy.empty()) spec.dns_policy = "ClusterFirst";
  if (spec.restart_policy.empty()) spec.restart_policy = "Always";
  if (!spec.termination_grace_period_seconds) spec.termination_grace_period_seconds = 30;
  if (spec.scheduler_name.empty()) spec.scheduler_name = "default-scheduler";
  // The deprecated alias names the service account when the real field does not (upstream
  // converts it so); it is kept as given.
  if (spec.service_account_name.empty()) spec.service_account_name = spec.service_account;
  for (auto& v : spec.volumes)
    if (volume_sources(v).empty()) v.empty_dir.emplace();
  for (auto& c : spec.init_containers) set_container_defaults(c);
  for (auto& c : spec.containers) set_container_defaults(c);
  for (auto& e : spec.ephemeral_containers) set_container_defaults(e.container);
}

void set_defaults(Pod& pod) {
  set_pod_spec_defaults(pod.spec);
  for (auto& c : pod.spec.containers) default_requests_from_limits(c);
  for (auto& c : pod.spec.init_containers) default_requests_from_limits(c);
  if (pod.spec.host_network) {
    default_host_network_ports(pod.spec.containers.mut());
    default_host_network_ports(pod.spec.init_containers);
  }
  if (pod.status.phase.empty()) pod.status.phase = "Pending";
}

}  // namespace kactor::api
