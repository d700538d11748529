// Embeds a one-node cluster through the installed headers and libraries only: the node
// becomes Ready and an object round-trips through the API server.
#include <cstdio>

#include "actors/client/blocking_client.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"

int main() {
  kactor::ClusterOptions options;
  options.nodes = 1;
  auto cluster = kactor::Cluster::start(options);
  if (!cluster) {
    std::fprintf(stderr, "consumer: starting the cluster: %s\n", cluster.error().message.c_str());
    return 1;
  }
  if (!(*cluster)->wait_nodes_ready(1)) {
    std::fprintf(stderr, "consumer: the node was not Ready within 30 s\n");
    return 1;
  }
  kactor::api::ConfigMap config;
  config.metadata.namespace_ = "default";
  config.metadata.name = "from-consumer";
  config.data["installed"] = "yes";
  if (auto created = (*cluster)->client().create(config); !created) {
    std::fprintf(stderr, "consumer: create: %s\n", created.error().message.c_str());
    return 1;
  }
  auto read = (*cluster)->client().get<kactor::api::ConfigMap>("default", "from-consumer");
  if (!read || (*read)->data.at("installed") != "yes") {
    std::fprintf(stderr, "consumer: the ConfigMap did not read back\n");
    return 1;
  }
  std::printf("consumer: node Ready, ConfigMap from-consumer at revision %s\n",
              (*read)->metadata.resource_version.c_str());
  return 0;
}
