// Embedding kactor's API server: start it in process, create objects, watch them.
#include <cstdio>

#include "actors/client/blocking_client.hpp"
#include "api/codec/object_codec.hpp"
#include "api/types/all.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/control_plane.hpp"

int main() {
  using namespace kactor;
  runtime::ActorSystem system;
  // An in-memory store; set options.data_dir to keep state on disk.
  auto plane = runtime::ControlPlane::start(system.get(), runtime::ControlPlaneOptions{});
  if (!plane) return 1;
  client::BlockingClient client(system.get(), (*plane)->apiserver());

  // Watch config maps in "default" from now on.
  apiserver::WatchRequest wr;
  wr.resource = "configmaps";
  wr.namespace_ = "default";
  auto watch = client.watch(wr);
  if (!watch) return 1;

  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "settings";
  cm.data["mode"] = "fast";
  auto created = client.create(cm);
  if (!created) {
    std::printf("create failed: %s\n", created.error().message.c_str());
    return 1;
  }
  // A second create is refused with a Kubernetes Status.
  auto again = client.create(cm);
  std::printf("second create: %d %s: %s\n", again.error().code, again.error().reason.c_str(),
              again.error().message.c_str());

  if (auto ev = watch->next(std::chrono::seconds(5)))
    std::printf("watch: %s %s at revision %llu\n", apiserver::to_string((*ev)->type),
                (*ev)->object->metadata.name.c_str(),
                static_cast<unsigned long long>((*ev)->revision));
  std::printf("%s\n", api::encode_json_string(**created).c_str());
  (*plane)->stop();
  return 0;
}
