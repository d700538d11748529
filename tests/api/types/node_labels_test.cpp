// The labels a kubelet may set on its own Node (upstream's kubelet label set and
// NodeRestriction's forbidden-label rule), with the edge cases of the namespace matching.
#include <catch2/catch.hpp>

#include "api/types/node_labels.hpp"

using namespace kactor;

TEST_CASE("node labels: the kubelet's own keys and namespaces", "[api][node-labels]") {
  CHECK(api::kubelet_labels().size() == 11);
  for (const auto& key : api::kubelet_labels()) CHECK(api::is_kubelet_label(key));
  for (auto key : {"kubelet.kubernetes.io/x", "a.kubelet.kubernetes.io/x", "node.kubernetes.io/x",
                   "a.b.node.kubernetes.io/x"})
    CHECK(api::is_kubelet_label(key));
  for (auto key :
       {"node-role.kubernetes.io/worker", "kubernetes.io/foo", "failure-domain.kubernetes.io/zone",
        "kubernetes.io/instance-type", "xnode.kubernetes.io/x", "example.com/a"})
    CHECK_FALSE(api::is_kubelet_label(key));
  CHECK(api::label_namespace("a.b/c") == "a.b");
  CHECK(api::label_namespace("plain").empty());
}

TEST_CASE("node labels: NodeRestriction forbids Kubernetes labels that are no kubelet's",
          "[api][node-labels]") {
  for (auto key : {"node-restriction.kubernetes.io/a", "x.node-restriction.kubernetes.io/b",
                   "k8s.io/a", "sub.k8s.io/a", "kubernetes.io/foo",
                   "node-role.kubernetes.io/worker", "xnode.kubernetes.io/x"})
    CHECK(api::is_forbidden_node_label(key));
  for (auto key : {"plain", "example.com/a", "notk8s.io/a", "kubernetes.io.evil.com/a",
                   "kubernetes.io/hostname", "node.kubernetes.io/instance-type",
                   "topology.kubernetes.io/zone"})
    CHECK_FALSE(api::is_forbidden_node_label(key));
  auto bad = api::forbidden_node_labels(
      {"z.example.com/a", "kubernetes.io/foo", "k8s.io/b", "kubernetes.io/hostname"});
  CHECK(api::join_labels(bad) == "k8s.io/b, kubernetes.io/foo");
}

TEST_CASE("node labels: modified labels are the added, removed and changed keys",
          "[api][node-labels]") {
  std::map<std::string, std::string> before = {{"same", "1"}, {"changed", "1"}, {"removed", "1"}};
  std::map<std::string, std::string> after = {{"same", "1"}, {"changed", "2"}, {"added", "1"}};
  CHECK(api::modified_labels(after, before) ==
        std::set<std::string>{"added", "changed", "removed"});
  CHECK(api::modified_labels(before, before).empty());
}

TEST_CASE("node labels: the kubelet refuses --node-labels it may not set with upstream's text",
          "[api][node-labels]") {
  CHECK(api::kubelet_label_error({{"topology.kubernetes.io/zone", "z"}, {"example.com/c", "y"}}) ==
        std::nullopt);
  auto e = api::kubelet_label_error(
      {{"node-role.kubernetes.io/worker", ""}, {"k8s.io/b", "x"}, {"example.com/c", "y"}});
  REQUIRE(e);
  CHECK(*e ==
        "unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: "
        "[k8s.io/b node-role.kubernetes.io/worker]\n"
        "--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix "
        "(kubelet.kubernetes.io, node.kubernetes.io) or be in the specifically allowed set "
        "(beta.kubernetes.io/arch, beta.kubernetes.io/instance-type, beta.kubernetes.io/os, "
        "failure-domain.beta.kubernetes.io/region, failure-domain.beta.kubernetes.io/zone, "
        "kubernetes.io/arch, kubernetes.io/hostname, kubernetes.io/os, "
        "node.kubernetes.io/instance-type, topology.kubernetes.io/region, "
        "topology.kubernetes.io/zone)");
}
