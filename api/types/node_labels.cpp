#include "api/types/node_labels.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace kactor::api {
namespace {

bool is_or_under(std::string_view ns, std::string_view domain) {
  return ns == domain || (ns.size() > domain.size() && ns.ends_with(domain) &&
                          ns[ns.size() - domain.size() - 1] == '.');
}

}  // namespace

const std::vector<std::string>& kubelet_labels() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> v = {
        "kubernetes.io/hostname",
        "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region",
        "beta.kubernetes.io/instance-type",
        "node.kubernetes.io/instance-type",
        "kubernetes.io/os",
        "kubernetes.io/arch",
        "beta.kubernetes.io/os",
        "beta.kubernetes.io/arch",
    };
    std::sort(v.begin(), v.end());
    return v;
  }();
  return keys;
}

const std::vector<std::string>& kubelet_label_namespaces() {
  static const std::vector<std::string> namespaces = {"kubelet.kubernetes.io",
                                                      "node.kubernetes.io"};
  return namespaces;
}

std::string_view label_namespace(std::string_view key) {
  auto slash = key.find('/');
  return slash == std::string_view::npos ? std::string_view{} : key.substr(0, slash);
}

bool is_kubelet_label(std::string_view key) {
  const auto& keys = kubelet_labels();
  if (std::binary_search(keys.begin(), keys.end(), key)) return true;
  auto ns = label_namespace(key);
  for (const auto& allowed : kubelet_label_namespaces())
    if (is_or_under(ns, allowed)) return true;
  return false;
}

bool is_kubernetes_label(std::string_view key) {
  auto ns = label_namespace(key);
  return is_or_under(ns, "kubernetes.io") || is_or_under(ns, "k8s.io");
}

bool is_unknown_kubelet_label(std::string_view key) {
  return is_kubernetes_label(key) && !is_kubelet_label(key);
}

bool is_forbidden_node_label(std::string_view key) {
  return is_or_under(label_namespace(key), "node-restriction.kubernetes.io") ||
         is_unknown_kubelet_label(key);
}

std::set<std::string> modified_labels(const std::map<std::string, std::string>& a,
                                      const std::map<std::string, std::string>& b) {
  std::set<std::string> keys;
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end() || it->second != v) keys.insert(k);
  }
  for (const auto& [k, v] : b)
    if (!a.contains(k)) keys.insert(k);
  return keys;
}

std::set<std::string> forbidden_node_labels(const std::set<std::string>& keys) {
  std::set<std::string> bad;
  for (const auto& k : keys)
    if (is_forbidden_node_label(k)) bad.insert(k);
  return bad;
}

std::string join_labels(const std::set<std::string>& keys) {
  return fmt::format("{}", fmt::join(keys, ", "));
}

std::optional<std::string> kubelet_label_error(const std::map<std::string, std::string>& labels) {
  std::set<std::string> unknown;
  for (const auto& [k, _] : labels)
    if (is_unknown_kubelet_label(k)) unknown.insert(k);
  if (unknown.empty()) return std::nullopt;
  return fmt::format(
      "unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [{}]\n"
      "--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix ({}) or "
      "be in the specifically allowed set ({})",
      fmt::join(unknown, " "), fmt::join(kubelet_label_namespaces(), ", "),
      fmt::join(kubelet_labels(), ", "));
}

}  // namespace kactor::api
