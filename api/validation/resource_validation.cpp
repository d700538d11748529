#include "api/validation/resource_validation.hpp"

#include <array>

#include "api/validation/names.hpp"

namespace kactor::api::validation {
namespace {

constexpr std::array<std::string_view, 19> kStandardQuotaResources = {"cpu",
                                                                      "memory",
                                                                      "ephemeral-storage",
                                                                      "requests.cpu",
                                                                      "requests.memory",
                                                                      "requests.storage",
                                                                      "requests.ephemeral-storage",
                                                                      "limits.cpu",
                                                                      "limits.memory",
                                                                      "limits.ephemeral-storage",
                                                                      "pods",
                                                                      "services",
                                                                      "replicationcontrollers",
                                                                      "resourcequotas",
                                                                      "secrets",
                                                                      "persistentvolumeclaims",
                                                                      "configmaps",
                                                                      "services.nodeports",
                                                                      "services.loadbalancers"};

/// Object counts, as upstream's integerResources.
constexpr std::array<std::string_view, 9> kIntegerResources = {"pods",
                                                               "services",
                                                               "replicationcontrollers",
                                                               "resourcequotas",
                                                               "secrets",
                                                               "configmaps",
                                                               "persistentvolumeclaims",
                                                               "services.nodeports",
                                                               "services.loadbalancers"};

bool is_hugepages(std::string_view name) {
  return name.starts_with("hugepages-");
}

bool is_extended_resource(std::string_view name) {
  if (is_native_resource(name) || name.starts_with("requests.")) return false;
  // Extended resources must also be valid as "requests.<name>" quota names.
  return is_qualified_name("requests." + std::string(name)).empty();
}

bool is_integer_resource(std::string_view name) {
  for (auto r : kIntegerResources)
    if (r == name) return true;
  return is_extended_resource(name);
}

std::string quantity_repr(const Quantity& q) {
  return go_quote(q.to_string());
}

}  // namespace

bool is_standard_container_resource(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" || is_hugepages(name);
}

bool is_native_resource(std::string_view name) {
  return name.find('/') == std::string_view::npos || name.starts_with("kubernetes.io/");
}

bool is_overcommit_allowed(std::string_view name) {
  return is_native_resource(name) && !is_hugepages(name);
}

bool is_standard_quota_resource(std::string_view name) {
  for (auto r : kStandardQuotaResources)
    if (r == name) return true;
  return is_hugepages(name) || name.starts_with("requests.hugepages-");
}

void validate_resource_name(std::string_view name, const std::string& path, Causes& causes) {
  add_invalid(causes, path, go_quote(name), is_qualified_name(name));
}

void validate_container_resource_name(std::string_view name, const std::string& path,
                                      Causes& causes) {
  validate_resource_name(name, path, causes);
  if (name.find('/') == std::string_view::npos) {
    if (!is_standard_container_resource(name))
      causes.push_back(
          field_invalid(path, go_quote(name), "must be a standard resource for containers"));
  } else if (!is_native_resource(name) && !is_extended_resource(name)) {
    causes.push_back(
        field_invalid(path, go_quote(name), "doesn't follow extended resource name standard"));
  }
}

void validate_quota_resource_name(std::string_view name, const std::string& path, Causes& causes) {
  validate_resource_name(name, path, causes);
  if (name.find('/') == std::string_view::npos && !is_standard_quota_resource(name))
    causes.push_back(field_invalid(path, go_quote(name), "must be a standard resource for quota"));
}

void validate_resource_quantity(std::string_view name, const Quantity& q, const std::string& path,
                                Causes& causes) {
  if (q.sign() < 0)
    causes.push_back(field_invalid(path, quantity_repr(q), std::string(kIsNegative)));
  if (is_integer_resource(name) && q.nanos() % 1000000000 != 0)
    causes.push_back(field_invalid(path, quantity_repr(q), "must be an integer"));
}

void validate_positive_quantity(const Quantity& q, const std::string& path, Causes& causes) {
  if (q.sign() <= 0)
    causes.push_back(field_invalid(path, quantity_repr(q), "must be greater than zero"));
}

void validate_resource_requirements(const ResourceRequirements& r, const std::string& path,
                                    Causes& causes) {
  std::string lim_path = child(path, "limits"), req_path = child(path, "requests");
  for (const auto& [name, q] : r.limits) {
    validate_container_resource_name(name, key(lim_path, name), causes);
    validate_resource_quantity(name, q, key(lim_path, name), causes);
  }
  for (const auto& [name, q] : r.requests) {
    validate_container_resource_name(name, key(req_path, name), causes);
    validate_resource_quantity(name, q, key(req_path, name), causes);
    auto lim = r.limits.find(name);
    if (lim != r.limits.end()) {
      if (q != lim->second && !is_overcommit_allowed(name))
        causes.push_back(
            field_invalid(req_path, quantity_repr(q),
                          "must be equal to " + name + " limit of " + lim->second.to_string()));
      else if (q > lim->second)
        causes.push_back(field_invalid(
            req_path, quantity_repr(q),
            "must be less than or equal to " + name + " limit of " + lim->second.to_string()));
    } else if (!is_overcommit_allowed(name)) {
      causes.push_back(
          field_required(lim_path, "Limit must be set for non overcommitable resources"));
    }
  }
}

}  // namespace kactor::api::validation
