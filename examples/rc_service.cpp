// A 3-node cluster in one process: a ReplicationController with 3 replicas behind a
// Service, resolved a few times through a node's kube-proxy. CTest runs it, so it is a test
// too: anything that goes wrong (start, manifest, a timeout, a connection the proxy cannot
// make) prints why and exits 1.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <caf/all.hpp>

#include "actors/client/blocking_client.hpp"
#include "actors/proxy/messages.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"

namespace {

/// The Service the manifest must define, and the port clients connect to.
constexpr const char* kService = "web";
constexpr int32_t kPort = 80;
constexpr size_t kReplicas = 3;
constexpr auto kProxyDeadline = std::chrono::seconds(10);

/// Says why the example failed; main returns this.
int fail(const std::string& why) {
  std::fprintf(stderr, "rc_service failed: %s\n", why.c_str());
  return 1;
}

/// The manifest to apply: the first argument, else examples/manifests/web.yaml; nullopt if
/// it cannot be read.
std::optional<std::string> read_manifest(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : KACTOR_EXAMPLES_DIR "/manifests/web.yaml";
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Ready addresses in the Service's Endpoints.
size_t ready_endpoints(const std::vector<kactor::api::ObjectPtr>& objs) {
  for (auto& o : objs) {
    auto ep = kactor::api::as<kactor::api::Endpoints>(o);
    if (!ep || ep->metadata.name != kService) continue;
    size_t n = 0;
    for (auto& s : ep->subsets) n += s.addresses.size();
    return n;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kactor;
  auto cluster = Cluster::start(ClusterOptions{});  // 3 nodes, in-memory store, real clock
  if (!cluster) return fail("starting the cluster: " + cluster.error().message);
  auto& c = **cluster;
  if (!c.wait_nodes_ready(3)) return fail("the 3 nodes were not Ready within 30 s");
  auto manifest = read_manifest(argc, argv);
  if (!manifest) return fail(std::string("cannot read ") + (argc > 1 ? argv[1] : "web.yaml"));
  auto applied = c.apply(*manifest);
  if (!applied) return fail("apply: " + applied.error().message);

  // Wait until the Service's Endpoints list the three ready pods.
  if (!c.wait_for(api::Endpoints::static_type(),
                  [](const auto& objs) { return ready_endpoints(objs) == kReplicas; }))
    return fail("the Endpoints of Service web did not list 3 ready pods within 30 s");
  auto svc = c.client().get<api::Service>("default", kService);
  if (!svc) return fail("get Service web: " + svc.error().message);
  const auto service_ip = (*svc)->spec.cluster_ip;
  std::printf("service web: %s:%d\n", service_ip.c_str(), kPort);

  const auto node = c.node_names().front();
  auto proxy = c.proxy(node);
  caf::scoped_actor self{c.system()};
  // This node's proxy learns of the endpoints through its own watch: wait until it has.
  std::optional<std::string> failure;
  self->request(proxy, kProxyDeadline, proxy::proxy_await_atom::value, service_ip, kPort,
                std::string("TCP"), uint64_t{kReplicas})
      .receive([](bool) {},
               [&](caf::error& e) {
                 failure = "the kube-proxy of " + node + " did not route " + service_ip + ":" +
                           std::to_string(kPort) + " to 3 endpoints within 10 s (" +
                           caf::to_string(e) + ")";
               });
  if (failure) return fail(*failure);

  for (int i = 0; i < 6 && !failure; ++i) {
    proxy::Connection conn;
    conn.client_ip = "10.244.9." + std::to_string(10 + i);
    conn.service_ip = service_ip;
    conn.port = kPort;
    self->request(proxy, kProxyDeadline, proxy::proxy_connect_atom::value, conn)
        .receive(
            [&](proxy::ConnectReply& r) {
              if (!r.backend) {
                failure = "client " + conn.client_ip + ": " +
                          (r.error ? proxy::to_string(*r.error) : "no backend and no reason");
                return;
              }
              std::printf("client %s -> %s (pod on %s)\n", conn.client_ip.c_str(),
                          r.backend->to_string().c_str(), r.node.c_str());
            },
            [&](caf::error& e) {
              failure = "client " + conn.client_ip + ": the kube-proxy of " + node +
                        " did not answer (" + caf::to_string(e) + ")";
            });
  }
  c.shutdown();
  return failure ? fail(*failure) : 0;
}
