#include "runtime/roles.hpp"

#include <fmt/format.h>

#include <filesystem>

#include <caf/all.hpp>

#include "actors/client/informer.hpp"
#include "actors/metrics/metrics_server.hpp"
#include "actors/proxy/proxy.hpp"
#include "actors/scheduler/scheduler.hpp"
#include "runtime/actor_system.hpp"
#include "runtime/real_clock.hpp"

namespace kactor::runtime {

void stop_actor(caf::actor_system& sys, const caf::actor& a) {
  if (!a) return;
  caf::scoped_actor self{sys};
  self->monitor(a);
  self->send_exit(a, caf::exit_reason::user_shutdown);
  self->receive([](caf::down_msg&) {}, caf::after(std::chrono::seconds(10)) >> [] {});
}

api::Result<std::shared_ptr<tokens::TokenIssuer>> token_issuer_for(const std::string& data_dir) {
  if (data_dir.empty()) return std::make_shared<tokens::TokenIssuer>();
  auto key = tokens::SigningKey::load_or_create(std::filesystem::path(data_dir) / "pki" /
                                                tokens::kSigningKeyFile);
  if (!key) return api::fail(key.error());
  return std::make_shared<tokens::TokenIssuer>(std::move(*key));
}

void ControllerManagerRole::stop(caf::actor_system& system) {
  stop_actor(system, metrics);
  for (auto& [name, a] : controllers.controllers) stop_actor(system, a);
  controllers.controllers.clear();
  stop_actor(system, controllers.cloud);
  stop_actor(system, given_cloud);
}

api::Result<ControllerManagerRole> start_controller_manager(
    const actors::Context& ctx, const ClusterOptions& options,
    std::function<std::optional<caf::actor>(const std::string&)> kubelet_for) {
  ControllerManagerRole role;
  auto metrics_options = options.metrics;
  if (!metrics_options.kubelet_for) {
    if (kubelet_for)
      metrics_options.kubelet_for = std::move(kubelet_for);
    else
      metrics_options.kubelet_for = [](const std::string&) -> std::optional<caf::actor> {
        return std::nullopt;
      };
  }
  auto& system = *ctx.system;
  role.metrics = actors::supervise(
      system, *ctx.clock, "metrics-server",
      [ctx, metrics_options] { return metrics::spawn_metrics_server(ctx, metrics_options); },
      options.supervision);

  actors::controllers::ControllerManagerOptions cm;
  cm.controllers = options.controllers;
  cm.hpa = options.hpa;
  cm.metrics_server = role.metrics;
  cm.node_lifecycle = options.node_lifecycle;
  cm.resource_quota_sync_period = options.resource_quota_sync_period;
  cm.cluster_cidr = options.cluster_cidr;
  cm.supervision = options.supervision;
  cm.simulated_cloud = options.simulated_cloud;
  if (options.cloud_provider) cm.cloud = role.given_cloud = options.cloud_provider(ctx);
  cm.token_issuer = options.apiserver.tokens.issuer;
  cm.root_ca_pem = options.root_ca_pem;
  auto controllers = actors::controllers::spawn_controller_manager(ctx, cm);
  if (!controllers) {
    if (role.given_cloud) caf::anon_send_exit(role.given_cloud, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(role.metrics, caf::exit_reason::user_shutdown);
    return api::fail(controllers.error());
  }
  role.controllers = std::move(*controllers);
  return role;
}

caf::actor start_scheduler(const actors::Context& ctx, const ClusterOptions& options) {
  return actors::supervise(
      *ctx.system, *ctx.clock, "scheduler",
      [ctx, config = options.scheduler_config] {
        scheduler::SchedulerOptions opts;
        opts.configuration = config;
        return scheduler::spawn_scheduler(ctx, std::move(opts));
      },
      options.supervision);
}

api::Result<kubelet::KubeletOptions> kubelet_options_for(const ClusterOptions& options,
                                                         const NodeOptions& node, int index) {
  kubelet::KubeletOptions ko;
  ko.usage.request_fraction = node.usage_fraction.value_or(options.usage_fraction);
  ko.node_name = node.name;
  ko.capacity = node.capacity.empty() ? options.node_capacity : node.capacity;
  ko.labels = node.labels;
  ko.taints = node.taints;
  ko.node_index = index;
  ko.lease_interval = options.node_lease_interval;
  if (node.runtime) ko.runtime = node.runtime;
  if (auto valid = kubelet::validate_kubelet_options(ko); !valid) {
    auto e = valid.error();
    e.message = fmt::format("node {}: {}", node.name, e.message);
    return api::fail(e);
  }
  return ko;
}

NodeRole start_node(const actors::Context& ctx, const kubelet::KubeletOptions& ko,
                    const actors::SupervisorOptions& supervision) {
  NodeRole n;
  n.kubelet = actors::supervise(
      *ctx.system, *ctx.clock, "kubelet/" + ko.node_name,
      [ctx, ko] { return kubelet::spawn_kubelet(ctx, ko); }, supervision);
  n.proxy = actors::supervise(
      *ctx.system, *ctx.clock, "proxy/" + ko.node_name,
      [ctx, name = ko.node_name] { return proxy::spawn_proxy(ctx, proxy::ProxyOptions{name}); },
      supervision);
  return n;
}

struct RemoteHost::Impl {
  std::unique_ptr<TlsActorSystem> system;
  RealClock clock;
  caf::actor apiserver;
  std::unique_ptr<client::InformerFactory> informers;
  bool stopped = false;
};

RemoteHost::RemoteHost() : impl_(std::make_unique<Impl>()) {}

std::unique_ptr<RemoteHost> RemoteHost::start(Options options) {
  std::unique_ptr<RemoteHost> host(new RemoteHost());
  auto& im = *host->impl_;
  im.system = std::make_unique<TlsActorSystem>(options.threads, options.tls, options.heartbeats);
  im.apiserver = remote::spawn_remote_apiserver(im.system->get(), im.clock, options.server);
  im.informers =
      std::make_unique<client::InformerFactory>(im.system->get(), im.apiserver, im.clock);
  host->ctx_.system = &im.system->get();
  host->ctx_.apiserver = &im.apiserver;
  host->ctx_.clock = &im.clock;
  host->ctx_.informers = im.informers.get();
  host->ctx_.seed = options.seed;
  return host;
}

RemoteHost::~RemoteHost() { shutdown(); }

caf::actor_system& RemoteHost::system() { return impl_->system->get(); }
Clock& RemoteHost::clock() { return impl_->clock; }

bool RemoteHost::wait_connected(std::chrono::milliseconds deadline) {
  return remote::wait_connected(system(), impl_->apiserver, deadline);
}

void RemoteHost::shutdown() {
  auto& im = *impl_;
  if (im.stopped) return;
  im.stopped = true;
  im.informers->shutdown();
  stop_actor(system(), im.apiserver);
}

}  // namespace kactor::runtime
