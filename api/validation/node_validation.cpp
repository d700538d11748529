#include "api/validation/node_validation.hpp"

#include <arpa/inet.h>

#include <map>
#include <set>

#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"
#include "api/validation/resource_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

bool is_valid_cidr(const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos || slash + 1 >= cidr.size()) return false;
  std::string ip = cidr.substr(0, slash), bits = cidr.substr(slash + 1);
  for (char c : bits)
    if (c < '0' || c > '9') return false;
  if (bits.size() > 3) return false;
  int n = std::stoi(bits);
  unsigned char buf[16];
  if (inet_pton(AF_INET, ip.c_str(), buf) == 1) return n <= 32;
  if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) return n <= 128;
  return false;
}

std::string go_taint(const Taint& t) {
  return "core.Taint{Key:" + go_quote(t.key) + ", Value:" + go_quote(t.value) +
         ", Effect:" + go_quote(t.effect) + ", TimeAdded:<nil>}";
}

void validate_taints(const std::vector<Taint>& taints, Causes& causes) {
  std::map<std::string, std::set<std::string>> seen;  // effect -> keys
  for (size_t i = 0; i < taints.size(); ++i) {
    const auto& t = taints[i];
    std::string p = index("spec.taints", i);
    validate_qualified_name(t.key, child(p, "key"), causes);
    auto errs = is_valid_label_value(t.value);
    if (!errs.empty()) {
      std::string joined;
      for (const auto& e : errs) joined += (joined.empty() ? "" : ";") + e;
      causes.push_back(field_invalid(child(p, "value"), go_quote(t.value), joined));
    }
    if (t.effect.empty())
      causes.push_back(field_required(child(p, "effect")));
    else if (t.effect != "NoSchedule" && t.effect != "PreferNoSchedule" && t.effect != "NoExecute")
      causes.push_back(field_not_supported(child(p, "effect"), go_quote(t.effect),
                                           {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
    if (!seen[t.effect].insert(t.key).second) {
      auto c = field_duplicate(p, go_taint(t));
      c.message += ": taints must be unique by key and effect pair";
      causes.push_back(std::move(c));
    }
  }
}

void validate_resources(const ResourceList& list, const std::string& path, Causes& causes) {
  for (const auto& [name, q] : list) {
    validate_resource_name(name, key(path, name), causes);
    validate_resource_quantity(name, q, key(path, name), causes);
  }
}

}  // namespace

void validate(const Node& node, const Node* old, std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(node.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(node.metadata, false, name_is_dns_subdomain, "metadata", causes);

  validate_taints(node.spec.taints, causes);
  const auto& cidrs = node.spec.pod_cidrs;
  for (size_t i = 0; i < cidrs.size(); ++i)
    if (!is_valid_cidr(cidrs[i]))
      causes.push_back(
          field_invalid(index("spec.podCIDRs", i), go_quote(cidrs[i]), "must be a valid CIDR"));
  if (cidrs.size() > 2)
    causes.push_back(field_invalid("spec.podCIDRs", go_strings(cidrs),
                                   "may specify no more than one CIDR for each IP family"));
  std::set<std::string> unique(cidrs.begin(), cidrs.end());
  if (unique.size() != cidrs.size())
    causes.push_back(field_invalid("spec.podCIDRs", go_strings(cidrs), "duplicate entries"));
  validate_resources(node.status.capacity, "status.capacity", causes);
  validate_resources(node.status.allocatable, "status.allocatable", causes);

  if (old) {
    if (!old->spec.pod_cidrs.empty() && old->spec.pod_cidrs != node.spec.pod_cidrs)
      causes.push_back(field_forbidden(
          "spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
    if (!old->spec.provider_id.empty() && old->spec.provider_id != node.spec.provider_id)
      causes.push_back(field_forbidden(
          "spec.providerID", "node updates may not change providerID except from \"\" to valid"));
  }
}

}  // namespace kactor::api
