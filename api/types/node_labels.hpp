// Which labels a kubelet may put on its own Node: upstream's kubelet label set
// (k8s.io/kubelet/pkg/apis/well_known_labels.go, release-1.32) and the rule built on it, which
// both NodeRestriction admission (the gate refuses a node's write that adds, removes or changes
// any other kubernetes.io / k8s.io label) and the kubelet's --node-labels validation use. One
// home, so the kubelet never registers a label the gate would refuse.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kactor::api {

/// The label keys a kubelet may set on its own Node (sorted): upstream's KubeletLabels().
const std::vector<std::string>& kubelet_labels();

/// The label namespaces (and their subdomains) a kubelet may set: KubeletLabelNamespaces().
const std::vector<std::string>& kubelet_label_namespaces();

/// The text before the first '/', "" without one (a label key's prefix).
std::string_view label_namespace(std::string_view key);

/// The key is one a kubelet may set: listed, or in (a subdomain of) a kubelet namespace.
bool is_kubelet_label(std::string_view key);

/// The key's namespace is kubernetes.io or k8s.io, or a subdomain of either.
bool is_kubernetes_label(std::string_view key);

/// A Kubernetes label that is no kubelet label: what a kubelet may not set (the kubelet's
/// --node-labels validation).
bool is_unknown_kubelet_label(std::string_view key);

/// NodeRestriction's rule for one key: node-restriction.kubernetes.io (and its subdomains),
/// or a Kubernetes label that is not a kubelet label.
bool is_forbidden_node_label(std::string_view key);

/// Keys added, removed or whose value changed between `a` and `b`, sorted.
std::set<std::string> modified_labels(const std::map<std::string, std::string>& a,
                                      const std::map<std::string, std::string>& b);

/// The forbidden ones among `keys`, sorted bytewise (as upstream's sets.List()).
std::set<std::string> forbidden_node_labels(const std::set<std::string>& keys);

/// "a, b".
std::string join_labels(const std::set<std::string>& keys);

/// nullopt, or the kubelet's error for --node-labels it may not set (upstream's
/// ValidateKubeletFlags text: the offending keys, then the prefixes and keys that are allowed).
std::optional<std::string> kubelet_label_error(const std::map<std::string, std::string>& labels);

}  // namespace kactor::api
