// A whole in-process cluster with its Kubernetes API served over HTTP(S) on a free loopback
// port: what the HTTP tests and the kubectl end-to-end tests drive.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>

#include <caf/actor.hpp>
#include <catch2/catch.hpp>

#include "actors/http/serve.hpp"
#include "runtime/cluster.hpp"
#include "tests/support/teardown_watchdog.hpp"

namespace kactor::testing {

struct ServedCluster {
  std::filesystem::path dir;
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<http::ServingApi> api;
  uint16_t port = 0;

  /// `tls`: HTTPS with the cluster PKI (in a fresh directory under the build tree). `tune`
  /// adjusts the cluster's options, `tune_serve` the HTTP API's (after the defaults: the
  /// cluster's kubelets and metrics server).
  explicit ServedCluster(bool tls = false, size_t nodes = 2,
                         std::chrono::seconds read_timeout = std::chrono::seconds(30),
                         std::function<void(ClusterOptions&)> tune = {},
                         std::function<void(http::ServeOptions&)> tune_serve = {}) {
    static int counter = 0;
    dir = std::filesystem::current_path() / "http_served_cluster" /
          (std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    ClusterOptions o;
    o.nodes = nodes;
    o.threads = 2;
    http::ServeOptions s;
    s.listen = "127.0.0.1:0";
    s.insecure_http = !tls;
    s.data_dir = dir;
    if (tls) {
      // As `kactor up`: the PKI first, so the cluster publishes its CA (kube-root-ca.crt).
      auto pki = http::ensure_serving_pki(s, std::chrono::system_clock::now());
      REQUIRE(pki.has_value());
      o.root_ca_pem = pki->ca_cert_pem;
    }
    if (tune) tune(o);
    auto started = Cluster::start(o);
    REQUIRE(started.has_value());
    cluster = std::move(*started);
    REQUIRE(cluster->wait_nodes_ready(nodes));
    s.read_timeout = read_timeout;
    s.kubelet_for = [c = cluster.get()](const std::string& node) -> std::optional<caf::actor> {
      auto k = c->kubelet(node);
      if (!k) return std::nullopt;
      return k;
    };
    s.metrics = cluster->metrics();
    s.token_issuer = cluster->token_issuer();
    if (tune_serve) tune_serve(s);
    auto served = http::serve_api(cluster->system(), cluster->apiserver(), cluster->clock(), s);
    REQUIRE(served.has_value());
    api = std::move(*served);
    port = static_cast<uint16_t>(std::stoi(api->url().substr(api->url().rfind(':') + 1)));
  }
  ~ServedCluster() {
    TeardownWatchdog watchdog("ServedCluster");
    api->stop();
    api.reset();
    cluster.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace kactor::testing
