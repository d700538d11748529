// The kubelet API's authorization attributes and the static authorizer standing in for
// upstream's default RBAC bindings (actors/http/kubelet_authz.*).
#include <catch2/catch.hpp>

#include "actors/http/kubelet_authz.hpp"
#include "actors/http/pki.hpp"

using namespace kactor::http;

TEST_CASE("kubelet API attributes: verb from the method, subresource from the path") {
  CHECK(kubelet_api_verb("GET") == "get");
  CHECK(kubelet_api_verb("HEAD") == "get");
  CHECK(kubelet_api_verb("POST") == "create");
  CHECK(kubelet_api_verb("PUT") == "update");
  CHECK(kubelet_api_verb("PATCH") == "patch");
  CHECK(kubelet_api_verb("DELETE") == "delete");
  CHECK(kubelet_api_verb("OPTIONS").empty());

  const std::vector<std::pair<const char*, const char*>> table = {
      {"/stats", "stats"},          {"/stats/summary", "stats"},
      {"/stats/", "stats"},         {"/metrics", "metrics"},
      {"/metrics/resource", "metrics"}, {"/metrics/cadvisor", "metrics"},
      {"/logs/", "log"},            {"/logs/syslog", "log"},
      {"/checkpoint/ns/p/c", "checkpoint"},
      // Everything else is proxy, pods' logs and the health check included.
      {"/pods", "proxy"},           {"/containerLogs/default/web/app", "proxy"},
      {"/healthz", "proxy"},        {"/configz", "proxy"},
      {"/spec/", "proxy"},          {"/statsfoo", "proxy"},
      {"/metricsx/resource", "proxy"}, {"/", "proxy"}};
  for (const auto& [path, subresource] : table) {
    INFO(path);
    CHECK(kubelet_api_subresource(path) == subresource);
  }

  auto a = kubelet_request_attributes({"system:node:a", {"system:nodes"}}, "DELETE",
                                      "/stats/summary", "b");
  CHECK(a == KubeletRequestAttributes{"system:node:a", "delete", "nodes", "b", "stats"});
  CHECK(kubelet_forbidden_message(a) ==
        "Forbidden (user=system:node:a, verb=delete, resource=nodes, subresource=stats)");
}

TEST_CASE("static kubelet authorizer: upstream's default bindings") {
  const UserInfo admin{"kactor-admin", {"system:masters", "system:authenticated"}};
  const UserInfo api_client{std::string(kKubeletClientCommonName), {}};
  const UserInfo node{"system:node:n1", {"system:nodes"}};
  const UserInfo scheduler{"system:kube-scheduler", {}};
  const UserInfo controller_manager{"system:kube-controller-manager", {}};
  const UserInfo stranger{"someone", {"system:authenticated"}};
  // A user named like a group is not in it.
  const UserInfo impostor{"system:masters", {}};

  auto allowed = [](const UserInfo& u, const char* method, const char* path) {
    return static_kubelet_authorizer(u, kubelet_request_attributes(u, method, path, "n1"));
  };
  for (const char* path : {"/pods", "/stats/summary", "/metrics/resource", "/logs/x",
                           "/containerLogs/default/p/c", "/checkpoint/default/p/c"}) {
    INFO(path);
    CHECK(allowed(admin, "GET", path));
    CHECK(allowed(admin, "POST", path));
    for (const auto* u : {&node, &scheduler, &controller_manager, &stranger, &impostor}) {
      INFO(u->name);
      CHECK_FALSE(allowed(*u, "GET", path));
    }
  }
  // system:kubelet-api-admin: every verb on proxy, stats, metrics, log (and spec); not
  // checkpoint.
  for (const char* path : {"/pods", "/stats/summary", "/metrics/resource", "/logs/x",
                           "/containerLogs/default/p/c", "/exec/default/p/c"}) {
    INFO(path);
    CHECK(allowed(api_client, "GET", path));
    CHECK(allowed(api_client, "POST", path));
  }
  CHECK_FALSE(allowed(api_client, "POST", "/checkpoint/default/p/c"));
  KubeletRequestAttributes spec{api_client.name, "get", "nodes", "n1", "spec"};
  CHECK(static_kubelet_authorizer(api_client, spec));
  KubeletRequestAttributes pods{api_client.name, "get", "pods", "n1", "proxy"};
  CHECK_FALSE(static_kubelet_authorizer(api_client, pods));
}
