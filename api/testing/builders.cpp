#include "api/testing/builders.hpp"

#include <stdexcept>

namespace kactor::api::testing {

Quantity qty(std::string_view text) {
  auto q = Quantity::parse(text);
  if (!q) throw std::invalid_argument("bad quantity in a test: " + std::string(text));
  return *q;
}

Pod make_pod(const std::string& ns, const std::string& name, Labels labels) {
  Pod p;
  p.metadata.namespace_ = ns;
  p.metadata.name = name;
  p.metadata.labels = std::move(labels);
  Container c;
  c.name = "app";
  c.image = "nginx:1.25";
  p.spec.containers.push_back(std::move(c));
  return p;
}

Pod make_pod_requesting(const std::string& ns, const std::string& name, const char* cpu,
                        const char* memory) {
  Pod p = make_pod(ns, name);
  auto& requests = p.spec.containers.front().resources.requests;
  if (cpu) requests["cpu"] = qty(cpu);
  if (memory) requests["memory"] = qty(memory);
  return p;
}

Node make_node(const std::string& name, const char* cpu, const char* memory, const char* pods) {
  Node n;
  n.metadata.name = name;
  n.status.allocatable = {{"cpu", qty(cpu)}, {"memory", qty(memory)}, {"pods", qty(pods)}};
  n.status.capacity = n.status.allocatable;
  NodeCondition ready;
  ready.type = "Ready";
  ready.status = "True";
  n.status.conditions.push_back(std::move(ready));
  return n;
}

Namespace make_namespace(const std::string& name) {
  Namespace n;
  n.metadata.name = name;
  return n;
}

Service make_service(const std::string& ns, const std::string& name, Labels selector,
                     int32_t port, int32_t target_port) {
  Service s;
  s.metadata.namespace_ = ns;
  s.metadata.name = name;
  s.spec.selector = std::move(selector);
  ServicePort p;
  p.protocol = "TCP";
  p.port = port;
  p.target_port = IntOrString::from_int(target_port);
  s.spec.ports.push_back(std::move(p));
  return s;
}

ReplicationController make_replication_controller(const std::string& ns, const std::string& name,
                                                  int32_t replicas, Labels labels) {
  ReplicationController rc;
  rc.metadata.namespace_ = ns;
  rc.metadata.name = name;
  rc.spec.replicas = replicas;
  rc.spec.selector = labels;
  PodTemplateSpec tmpl;
  tmpl.metadata.labels = std::move(labels);
  tmpl.spec = make_pod(ns, name).spec;
  rc.spec.template_ = std::move(tmpl);
  return rc;
}

ConfigMap make_config_map(const std::string& ns, const std::string& name) {
  ConfigMap cm;
  cm.metadata.namespace_ = ns;
  cm.metadata.name = name;
  return cm;
}

}  // namespace kactor::api::testing
