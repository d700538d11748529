#include "api/quota/resource_lists.hpp"

namespace kactor::api::quota {

ResourceNames names_of(const ResourceList& list) {
  ResourceNames out;
  for (const auto& [name, q] : list) out.insert(name);
  return out;
}

ResourceList add(const ResourceList& a, const ResourceList& b) {
  ResourceList out = a;
  for (const auto& [name, q] : b) {
    auto [it, fresh] = out.try_emplace(name, q);
    if (!fresh) it->second += q;
  }
  return out;
}

ResourceList subtract_non_negative(const ResourceList& a, const ResourceList& b) {
  ResourceList out = a;
  for (const auto& [name, q] : b) {
    auto it = out.find(name);
    if (it == out.end()) continue;
    it->second -= q;
    if (it->second.sign() < 0) it->second = Quantity::from_value(0, it->second.format());
  }
  return out;
}

ResourceList mask(const ResourceList& list, const ResourceNames& names) {
  ResourceList out;
  for (const auto& [name, q] : list)
    if (names.contains(name)) out.emplace(name, q);
  return out;
}

ResourceList remove_zeros(const ResourceList& list) {
  ResourceList out;
  for (const auto& [name, q] : list)
    if (!q.is_zero()) out.emplace(name, q);
  return out;
}

ResourceNames exceeded(const ResourceList& used, const ResourceList& hard) {
  ResourceNames out;
  for (const auto& [name, q] : used) {
    auto it = hard.find(name);
    if (it != hard.end() && q > it->second) out.insert(name);
  }
  return out;
}

ResourceNames negative(const ResourceList& list) {
  ResourceNames out;
  for (const auto& [name, q] : list)
    if (q.sign() < 0) out.insert(name);
  return out;
}

bool equal(const ResourceList& a, const ResourceList& b) {
  return a == b;  // std::map equality compares names and Quantity amounts
}

std::string pretty(const ResourceList& list) {
  std::string out;
  for (const auto& [name, q] : list) {  // std::map: already sorted
    if (!out.empty()) out += ',';
    out += name + "=" + q.to_string();
  }
  return out;
}

std::string pretty(const ResourceNames& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

}  // namespace kactor::api::quota
