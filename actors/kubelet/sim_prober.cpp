#include "actors/kubelet/sim_prober.hpp"

#include "actors/kubelet/sim_annotations.hpp"

namespace kactor::kubelet {

namespace {

const char* fail_annotation(ProbeType type) {
  switch (type) {
    case ProbeType::readiness:
      return kFailReadinessAnnotation;
    case ProbeType::liveness:
      return kFailLivenessAnnotation;
    case ProbeType::startup:
      return kFailStartupAnnotation;
  }
  return kFailReadinessAnnotation;
}

/// The port a tcpSocket or httpGet handler names, if it names one by name.
const api::IntOrString* handler_port(const api::Probe& probe) {
  if (probe.tcp_socket) return &probe.tcp_socket->port;
  if (probe.http_get) return &probe.http_get->port;
  return nullptr;
}

}  // namespace

ProbeResult sim_probe(const ProbeTarget& target) {
  const auto& container = *target.container;
  if (const auto* port = handler_port(*target.probe); port && port->is_string) {
    bool declared = false;
    for (const auto& p : container.ports) declared = declared || p.name == port->string_value;
    if (!declared)
      return {false, "no port named \"" + port->string_value + "\" in container \"" +
                         container.name + "\""};
  }
  const char* fail = fail_annotation(target.type);
  if (names_container(target.pod->metadata.annotations, fail, container.name))
    return {false, std::string(to_string(target.type)) + " probe failed (" + fail + ")"};
  return {true, ""};
}

}  // namespace kactor::kubelet
