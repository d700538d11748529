// The `kactor` command: runs kactor's roles. Until the whole cluster lands,
// `kactor demo` runs the API server in process and walks through its API.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/client/blocking_client.hpp"
#include "api/codec/object_codec.hpp"
#include "api/types/all.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/control_plane.hpp"

namespace {

constexpr const char* kDemoManifest = R"(apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: Pod
metadata:
  name: nginx
  namespace: demo
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    ports:
    - containerPort: 80
)";

int run_demo(const std::string& data_dir) {
  using namespace kactor;
  runtime::ActorSystem system;
  runtime::ControlPlaneOptions options;
  options.data_dir = data_dir;
  auto plane = runtime::ControlPlane::start(system.get(), options);
  if (!plane) {
    spdlog::error("{}", plane.error().message);
    return 1;
  }
  client::BlockingClient client(system.get(), (*plane)->apiserver());

  apiserver::WatchRequest wr;
  wr.resource = "pods";
  wr.namespace_ = "demo";
  auto watch = client.watch(wr);
  if (!watch) {
    spdlog::error("watch: {}", watch.error().message);
    return 1;
  }

  auto objects = api::load_manifest(kDemoManifest);
  if (!objects) {
    spdlog::error("manifest: {}", objects.error().message);
    return 1;
  }
  for (auto& obj : *objects) {
    auto created = client.create(*obj);
    if (created)
      spdlog::info("created {} {} at revision {}", obj->type().kind, api::object_key(**created),
                   (*created)->metadata.resource_version);
    else
      spdlog::info("{} {}: {} ({})", obj->type().kind, obj->metadata.name,
                   created.error().message, created.error().reason);
  }
  if (auto bound = client.bind("demo", "nginx", "node-1"); bound)
    spdlog::info("bound pod demo/nginx to node-1");
  auto deleted = client.remove(api::Pod::static_type(), "demo", "nginx");
  if (deleted)
    spdlog::info("deleting pod demo/nginx gracefully until {}",
                 api::encode_json(**deleted)["metadata"]["deletionTimestamp"].dump());
  for (int i = 0; i < 4; ++i) {
    auto ev = watch->next(std::chrono::seconds(2));
    if (!ev) break;
    spdlog::info("watch: {} pod {} rv={}", apiserver::to_string((*ev)->type),
                 (*ev)->object->metadata.name, (*ev)->object->metadata.resource_version);
  }
  auto pods = client.list<api::Pod>("demo");
  if (pods) {
    for (auto& p : pods->items)
      std::printf("%s\n", api::encode_json(*p).dump(2).c_str());
  }
  (*plane)->stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kactor: a Kubernetes-style control plane as an actor system"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");

  std::string data_dir;
  auto* demo = app.add_subcommand("demo", "run the API server in process and walk through its API");
  demo->add_option("--data-dir", data_dir, "store directory (default: in memory)");
  auto* version = app.add_subcommand("version", "print the version");

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));
  if (*version) {
    std::puts("kactor 0.1.0 (Kubernetes API v1.32 semantics)");
    return 0;
  }
  if (*demo) return run_demo(data_dir);
  return 0;
}
