#include "actors/apiserver/allocators/service_allocations.hpp"

#include <algorithm>
#include <map>

#include "actors/apiserver/object_tables.hpp"
#include "api/types/service.hpp"

namespace kactor::apiserver::allocators {
namespace {

bool contains(const std::vector<int32_t>& v, int32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string quote_value(const std::string& s) {
  return "\"" + s + "\"";
}

/// Why a requested port was refused, in the port allocator's words.
std::string port_refusal(AllocError err, const PortAllocator& ports) {
  return err == AllocError::already_allocated
             ? "provided port is already allocated"
             : "provided port is not in the valid range. The range of valid ports is " +
                   ports.range_string();
}

api::Status invalid_service(const api::Service& svc, api::StatusCause cause) {
  return api::invalid("Service", svc.metadata.name, {std::move(cause)});
}

}  // namespace

bool needs_cluster_ip(const api::Service& svc) {
  return svc.spec.type != "ExternalName" && svc.spec.cluster_ip != "None";
}

bool allocates_node_ports(const api::Service& svc) {
  if (svc.spec.type == "NodePort") return true;
  if (svc.spec.type == "LoadBalancer")
    return svc.spec.allocate_load_balancer_node_ports.value_or(true);
  return false;
}

bool needs_health_check_node_port(const api::Service& svc) {
  return svc.spec.type == "LoadBalancer" && svc.spec.external_traffic_policy == "Local";
}

Held held_by(const api::Service& svc) {
  Held h;
  if (needs_cluster_ip(svc)) {
    if (!svc.spec.cluster_ips.empty()) {
      for (const auto& ip : svc.spec.cluster_ips)
        if (ip != "None") h.ips.push_back(ip);
    } else if (!svc.spec.cluster_ip.empty()) {
      h.ips.push_back(svc.spec.cluster_ip);
    }
  }
  for (const auto& p : svc.spec.ports)
    if (p.node_port != 0 && !contains(h.ports, p.node_port)) h.ports.push_back(p.node_port);
  const int32_t health = svc.spec.health_check_node_port;
  if (health != 0 && !contains(h.ports, health)) h.ports.push_back(health);
  return h;
}

ServiceAllocations::ServiceAllocations(const ServiceAllocatorOptions& options, Random random)
    : random_(std::move(random)) {
  auto ips = IpAllocator::create(options.service_cidr);
  auto ports = PortAllocator::create(options.node_port_min, options.node_port_max);
  if (!ips)
    error_ = ips.error();
  else if (!ports)
    error_ = ports.error();
  else {
    ips_.emplace(std::move(*ips));
    ports_.emplace(std::move(*ports));
  }
}

std::optional<api::Status> ServiceAllocations::restore(const ObjectTables& tables) {
  if (error_) return error_;
  for (const auto& [key, stored] : tables.table(api::Service::static_type())) {
    const auto obj = stored.object();
    const auto* svc = api::as<api::Service>(*obj);
    if (!svc) continue;
    // Stored Services are trusted: an address outside the (possibly changed) range is
    // simply not tracked, as upstream's repair loop would only report it.
    Held h = held_by(*svc);
    for (const auto& ip : h.ips) ips_->allocate(ip);
    for (int32_t port : h.ports) ports_->allocate(port);
  }
  return std::nullopt;
}

std::optional<api::Status> ServiceAllocations::take_cluster_ip(api::Service& svc, Held& taken) {
  auto& spec = svc.spec;
  std::string requested = !spec.cluster_ips.empty() ? spec.cluster_ips[0] : spec.cluster_ip;
  if (spec.cluster_ips.size() > 1)
    return invalid_service(
        svc, api::field_invalid("spec.clusterIPs[1]", quote_value(spec.cluster_ips[1]),
                                "this cluster is configured for IPv4 only"));
  if (requested.empty()) {
    auto ip = ips_->allocate_next(random_);
    if (!ip) return api::internal_error("failed to allocate a serviceIP: range is full");
    requested = *ip;
  } else if (auto err = ips_->allocate(requested)) {
    std::string detail = *err == AllocError::already_allocated
                             ? "provided IP is already allocated"
                             : "provided IP is not in the valid range. The range of valid IPs is " +
                                   ips_->cidr().to_string();
    return invalid_service(
        svc, api::field_invalid("spec.clusterIPs[0]", quote_value(requested), detail));
  }
  taken.ips.push_back(requested);
  spec.cluster_ip = requested;
  spec.cluster_ips = {requested};
  return std::nullopt;
}

std::optional<api::Status> ServiceAllocations::take_node_ports(api::Service& svc,
                                                               const std::vector<int32_t>& owned,
                                                               Held& taken) {
  const bool allocate = allocates_node_ports(svc);
  // Ports with the same number (e.g. 53/TCP and 53/UDP) share one NodePort, as upstream.
  std::map<int32_t, int32_t> node_port_of;
  for (size_t i = 0; i < svc.spec.ports.size(); ++i) {
    auto& p = svc.spec.ports[i];
    if (p.node_port == 0) {
      if (!allocate) continue;  // explicit requests are honoured, nothing else is added
      if (auto it = node_port_of.find(p.port); it != node_port_of.end()) {
        p.node_port = it->second;
        continue;
      }
      // A later port of the same number may name the NodePort it wants: use that one.
      for (size_t j = i + 1; j < svc.spec.ports.size() && p.node_port == 0; ++j)
        if (svc.spec.ports[j].port == p.port && svc.spec.ports[j].node_port != 0)
          p.node_port = svc.spec.ports[j].node_port;
    }
    if (p.node_port == 0) {
      auto port = ports_->allocate_next(random_);
      if (!port) return api::internal_error("failed to allocate a nodePort: range is full");
      p.node_port = *port;
      taken.ports.push_back(*port);
    } else if (!contains(owned, p.node_port) && !contains(taken.ports, p.node_port)) {
      if (auto err = ports_->allocate(p.node_port)) {
        return invalid_service(svc,
                               api::field_invalid("spec.ports[" + std::to_string(i) + "].nodePort",
                                                  std::to_string(p.node_port),
                                                  port_refusal(*err, *ports_)));
      }
      taken.ports.push_back(p.node_port);
    }
    node_port_of.emplace(p.port, p.node_port);
  }
  return std::nullopt;
}

std::optional<api::Status> ServiceAllocations::take_health_check_node_port(
    api::Service& svc, const std::vector<int32_t>& owned, Held& taken) {
  // Upstream answers these failures as internal errors, worded as here.
  int32_t& port = svc.spec.health_check_node_port;
  if (port == 0) {
    auto next = ports_->allocate_next(random_);
    if (!next) return api::internal_error("failed to allocate a HealthCheck NodePort 0: range is full");
    port = *next;
    taken.ports.push_back(port);
    return std::nullopt;
  }
  if (contains(owned, port) || contains(taken.ports, port)) return std::nullopt;
  if (auto err = ports_->allocate(port)) {
    return api::internal_error("failed to allocate requested HealthCheck NodePort " +
                               std::to_string(port) + ": " + port_refusal(*err, *ports_));
  }
  taken.ports.push_back(port);
  return std::nullopt;
}

api::Result<Held> ServiceAllocations::on_create(api::Object& obj) {
  auto* svc = api::as<api::Service>(obj);
  if (!svc) return Held{};
  if (error_) return api::fail(api::internal_error("service allocators: " + error_->message));
  Held taken;
  if (svc->spec.type != "ExternalName") {
    // Single-stack IPv4 cluster: record the family like upstream does at allocation.
    if (svc->spec.ip_families.empty()) svc->spec.ip_families = {"IPv4"};
    if (!svc->spec.ip_family_policy) svc->spec.ip_family_policy = "SingleStack";
  }
  std::optional<api::Status> err;
  if (needs_cluster_ip(*svc)) err = take_cluster_ip(*svc, taken);
  if (!err) err = take_node_ports(*svc, {}, taken);
  if (!err && needs_health_check_node_port(*svc)) err = take_health_check_node_port(*svc, {}, taken);
  if (err) {
    release(taken);
    return api::fail(std::move(*err));
  }
  return taken;
}

void ServiceAllocations::prepare_update(api::Object& next_obj, const api::Object& old_obj) const {
  auto* next = api::as<api::Service>(next_obj);
  const auto* old = api::as<api::Service>(old_obj);
  if (!next || !old) return;
  auto& spec = next->spec;
  if (needs_cluster_ip(*old) && spec.type != "ExternalName" && spec.cluster_ip.empty() &&
      spec.cluster_ips.empty()) {
    spec.cluster_ip = old->spec.cluster_ip;
    spec.cluster_ips = old->spec.cluster_ips;
  }
  if (spec.type != "ExternalName") {
    if (spec.ip_families.empty()) spec.ip_families = old->spec.ip_families;
    if (!spec.ip_family_policy) spec.ip_family_policy = old->spec.ip_family_policy;
  }
  const bool old_needs = allocates_node_ports(*old), next_needs = allocates_node_ports(*next);
  for (auto& p : spec.ports) {
    auto match = std::find_if(old->spec.ports.begin(), old->spec.ports.end(), [&](const auto& o) {
      // Runs before defaulting: an omitted protocol is TCP.
      return o.port == p.port && o.protocol == (p.protocol.empty() ? "TCP" : p.protocol);
    });
    if (match == old->spec.ports.end()) continue;
    if (old_needs && next_needs && p.node_port == 0) p.node_port = match->node_port;
    // Leaving NodePort/LoadBalancer for ClusterIP drops the NodePorts the client carried over.
    const bool to_cluster_ip = spec.type.empty() || spec.type == "ClusterIP";
    if (old_needs && !next_needs && to_cluster_ip && p.node_port == match->node_port)
      p.node_port = 0;
  }
  // Before defaulting an omitted externalTrafficPolicy reads as not Local, which is what
  // defaulting makes of it (Cluster).
  const bool old_health = needs_health_check_node_port(*old);
  const bool next_health = needs_health_check_node_port(*next);
  if (old_health && next_health && spec.health_check_node_port == 0)
    spec.health_check_node_port = old->spec.health_check_node_port;
  if (old_health && !next_health &&
      spec.health_check_node_port == old->spec.health_check_node_port)
    spec.health_check_node_port = 0;
}

api::Result<Held> ServiceAllocations::on_update(api::Object& next_obj, const api::Object& old_obj) {
  auto* next = api::as<api::Service>(next_obj);
  const auto* old = api::as<api::Service>(old_obj);
  if (!next || !old) return Held{};
  if (error_) return api::fail(api::internal_error("service allocators: " + error_->message));
  Held owned = held_by(*old);
  Held taken;
  std::optional<api::Status> err;
  // A ClusterIP is needed anew only when none was held (e.g. ExternalName → ClusterIP);
  // validation has already refused changing a held one.
  if (needs_cluster_ip(*next) && owned.ips.empty()) err = take_cluster_ip(*next, taken);
  if (!err) err = take_node_ports(*next, owned.ports, taken);
  if (!err && needs_health_check_node_port(*next))
    err = take_health_check_node_port(*next, owned.ports, taken);
  if (err) {
    release(taken);
    return api::fail(std::move(*err));
  }
  return taken;
}

void ServiceAllocations::release_difference(const api::Object& old_obj,
                                            const api::Object& now_obj) {
  const auto* old = api::as<api::Service>(old_obj);
  const auto* now = api::as<api::Service>(now_obj);
  if (!old || !now || !ips_) return;
  Held before = held_by(*old), after = held_by(*now);
  for (const auto& ip : before.ips)
    if (std::find(after.ips.begin(), after.ips.end(), ip) == after.ips.end()) ips_->release(ip);
  for (int32_t port : before.ports)
    if (!contains(after.ports, port)) ports_->release(port);
}

void ServiceAllocations::on_removed(const api::Object& old_obj) {
  if (const auto* old = api::as<api::Service>(old_obj)) release(held_by(*old));
}

void ServiceAllocations::release(const Held& held) {
  if (!ips_) return;
  for (const auto& ip : held.ips) ips_->release(ip);
  for (int32_t port : held.ports) ports_->release(port);
}

}  // namespace kactor::apiserver::allocators
