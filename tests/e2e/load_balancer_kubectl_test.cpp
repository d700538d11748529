// The Kubernetes docs' "Create an External Load Balancer" task with the real kubectl: its
// manifest unchanged (tests/e2e/manifests/cloud/), and `kubectl expose rc ... --type=
// LoadBalancer`; the simulated cloud gives each Service an EXTERNAL-IP, and deleting one
// waits for the service controller to release it.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "api/types/all.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string manifest(const std::string& name) {
  return read(std::filesystem::path(KACTOR_E2E_MANIFESTS_DIR) / "cloud" / name);
}

std::string folded(const std::string& text) {
  std::string out;
  for (const auto& l : folded_lines(text)) out += l + "\n";
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Waits until Service `name` reports an ingress address; returns it ("" on the deadline).
std::string wait_external_ip(const ServedCluster& c, const std::string& name) {
  std::string ip;
  c.cluster->wait_for(kactor::api::Service::static_type(), [&](const auto& objs) {
    for (auto& o : objs)
      if (auto s = kactor::api::as<kactor::api::Service>(o);
          s && s->metadata.name == name && !s->status.load_balancer.ingress.empty()) {
        ip = s->status.load_balancer.ingress[0].ip;
        return true;
      }
    return false;
  });
  return ip;
}

const std::string kExampleRc = R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: example
spec:
  replicas: 1
  selector:
    app: example
  template:
    metadata:
      labels:
        app: example
    spec:
      containers:
      - name: app
        image: registry.k8s.io/echoserver:1.10
        ports:
        - containerPort: 9376
)";

}  // namespace

TEST_CASE("kubectl: a LoadBalancer Service from the docs gets an EXTERNAL-IP") {
  for (const auto& bin : kubectls()) {
    ServedCluster c(true, 2, std::chrono::seconds(30), [](kactor::ClusterOptions& o) {
      o.simulated_cloud.latency = std::chrono::milliseconds(100);
    });
    Kubectl k(bin, c);
    auto created = k.run({"apply", "-f", "-"}, manifest("example-service.yaml"));
    REQUIRE(created.exit_code == 0);
    CHECK(created.out == "service/example-service created\n");
    REQUIRE(wait_external_ip(c, "example-service") == "172.18.255.1");

    auto get = k.run({"get", "svc", "example-service"});
    REQUIRE(get.exit_code == 0);
    auto lines = folded_lines(get.out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE");
    INFO(lines[1]);
    CHECK(lines[1].starts_with("example-service LoadBalancer 10."));
    CHECK(contains(lines[1], " 172.18.255.1 8765:3"));
    CHECK(contains(lines[1], "/TCP "));

    auto described = k.run({"describe", "services", "example-service"});
    REQUIRE(described.exit_code == 0);
    auto text = folded(described.out);
    CHECK(contains(text, "LoadBalancer Ingress: 172.18.255.1"));
    CHECK(contains(text, "EnsuringLoadBalancer"));
    CHECK(contains(text, "EnsuredLoadBalancer"));
    CHECK(k.run({"get", "svc", "example-service", "-o", "jsonpath={.metadata.finalizers}"}).out ==
          "[\"service.kubernetes.io/load-balancer-cleanup\"]");

    // The page's other way: kubectl expose, with the selector of the RC it names.
    REQUIRE(k.run({"apply", "-f", "-"}, kExampleRc).exit_code == 0);
    auto exposed = k.run({"expose", "rc", "example", "--port=8765", "--target-port=9376",
                          "--name=example-service-2", "--type=LoadBalancer"});
    REQUIRE(exposed.exit_code == 0);
    CHECK(exposed.out == "service/example-service-2 exposed\n");
    CHECK(wait_external_ip(c, "example-service-2") == "172.18.255.2");

    // kubectl waits for the Service to be gone: the controller deletes the load balancer
    // and removes its finalizer.
    auto deleted = k.run({"delete", "svc", "example-service"});
    REQUIRE(deleted.exit_code == 0);
    CHECK(deleted.out == "service \"example-service\" deleted\n");
    auto gone = k.run({"get", "svc", "example-service"});
    CHECK(gone.exit_code != 0);
    CHECK(contains(gone.err, "services \"example-service\" not found"));
  }
}
