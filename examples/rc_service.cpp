// A 3-node cluster in one process: a ReplicationController with 3 replicas behind a
// Service, resolved a few times through a node's kube-proxy.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <caf/all.hpp>

#include "actors/client/blocking_client.hpp"
#include "actors/proxy/messages.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"

/// The manifest to apply: the first argument, else examples/manifests/web.yaml.
std::string read_manifest(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : KACTOR_EXAMPLES_DIR "/manifests/web.yaml";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) std::fprintf(stderr, "cannot read %s\n", path.c_str());
  return text.str();
}

int main(int argc, char** argv) {
  using namespace kactor;
  auto cluster = Cluster::start(ClusterOptions{});  // 3 nodes, in-memory store, real clock
  if (!cluster) return 1;
  auto& c = **cluster;
  if (!c.wait_nodes_ready(3)) return 1;
  auto manifest = read_manifest(argc, argv);
  if (manifest.empty()) return 1;
  auto applied = c.apply(manifest);
  if (!applied) {
    std::printf("apply: %s\n", applied.error().message.c_str());
    return 1;
  }
  // Wait until the Service's Endpoints list three ready pods.
  bool ready = c.wait_for(api::Endpoints::static_type(), [](const auto& objs) {
    for (auto& o : objs) {
      auto ep = api::as<api::Endpoints>(o);
      if (ep->metadata.name != "web") continue;
      size_t n = 0;
      for (auto& s : ep->subsets) n += s.addresses.size();
      return n == 3;
    }
    return false;
  });
  if (!ready) return 1;
  auto svc = c.client().get<api::Service>("default", "web");
  if (!svc) return 1;
  std::printf("service web: %s:80\n", (*svc)->spec.cluster_ip.c_str());

  auto proxy = c.proxy(c.node_names().front());
  caf::scoped_actor self{c.system()};
  // Make sure this node's proxy has seen the endpoints too.
  self->request(proxy, std::chrono::seconds(10), proxy::proxy_await_atom::value,
                (*svc)->spec.cluster_ip, int32_t{80}, std::string("TCP"), uint64_t{3})
      .receive([](bool) {}, [](caf::error&) {});
  for (int i = 0; i < 6; ++i) {
    proxy::Connection conn;
    conn.client_ip = "10.244.9." + std::to_string(10 + i);
    conn.service_ip = (*svc)->spec.cluster_ip;
    conn.port = 80;
    self->request(proxy, std::chrono::seconds(10), proxy::proxy_connect_atom::value, conn)
        .receive(
            [&](proxy::ConnectReply& r) {
              if (r.backend)
                std::printf("client %s -> %s (pod on %s)\n", conn.client_ip.c_str(),
                            r.backend->to_string().c_str(), r.node.c_str());
              else
                std::printf("client %s: %s\n", conn.client_ip.c_str(),
                            r.error ? proxy::to_string(*r.error) : "?");
            },
            [](caf::error&) {});
  }
  c.shutdown();
  return 0;
}
