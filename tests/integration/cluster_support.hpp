// Helpers for the in-process cluster tests: seeded options, the example manifest, and
// questions to a node's kube-proxy and kubelet. Nothing here sleeps: every wait is on a
// condition (Cluster::wait_for, or an actor's reply) with a deadline.
#pragma once

#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "actors/kubelet/kubelet.hpp"
#include "actors/proxy/messages.hpp"
#include "api/types/all.hpp"
#include "runtime/cluster.hpp"
#include "tests/support/seed.hpp"

namespace kactor::testing {

/// How long any one condition may take to hold (real time; the clusters run on a real clock).
inline constexpr auto kWait = std::chrono::seconds(30);

/// ClusterOptions with the seed of this test (KACTOR_SEED replays it), printed with the
/// test's name. Every test builds its clusters from these.
inline ClusterOptions seeded_options() {
  ClusterOptions options;
  options.seed = test_seed(Catch::getResultCapture().getCurrentTestName());
  return options;
}

/// The whole text of the file at `path` (a manifest); the test fails if it cannot be read.
inline std::string file_text(const std::string& path) {
  std::ifstream in(path);
  INFO(path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// examples/manifests/web.yaml: an RC with 3 replicas ("app: web", port named http)
/// behind a Service on port 80 — the manifest the README and the example use.
inline std::string web_manifest() { return file_text(KACTOR_EXAMPLES_DIR "/manifests/web.yaml"); }

/// The pods labelled app=`app` that run, have an IP, and are not being deleted.
inline std::vector<std::shared_ptr<const api::Pod>> running_pods(
    const std::vector<api::ObjectPtr>& objs, const std::string& app) {
  std::vector<std::shared_ptr<const api::Pod>> out;
  for (auto& o : objs) {
    auto p = api::as<api::Pod>(o);
    if (!p || p->metadata.labels.count("app") == 0 || p->metadata.labels.at("app") != app) continue;
    if (p->metadata.deletion_timestamp || p->status.phase != "Running" || p->status.pod_ip.empty())
      continue;
    out.push_back(p);
  }
  return out;
}

/// Waits until the pod namespace/name satisfies `holds` (as the API server has it).
inline bool wait_pod(Cluster& cluster, const std::string& name,
                     const std::function<bool(const api::Pod&)>& holds) {
  return cluster.wait_for(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs)
          if (auto p = api::as<api::Pod>(o); p && p->metadata.name == name) return holds(*p);
        return false;
      },
      kWait);
}

/// Asks `node`'s kube-proxy to wait until it routes ip:port/TCP to exactly `endpoints`
/// ready backends (it answers once it does). False on a deadline or an error.
inline bool proxy_sees(Cluster& cluster, const std::string& node, const std::string& ip,
                       int32_t port, uint64_t endpoints) {
  caf::scoped_actor self{cluster.system()};
  bool seen = false;
  self->request(cluster.proxy(node), kWait, proxy::proxy_await_atom::value, ip, port,
                std::string("TCP"), endpoints)
      .receive([&](bool ok) { seen = ok; },
               [&](caf::error& e) { UNSCOPED_INFO("proxy await: " << to_string(e)); });
  return seen;
}

/// Makes `conn` through `node`'s kube-proxy; nullopt if the proxy does not answer.
inline std::optional<proxy::ConnectReply> connect_through(Cluster& cluster, const std::string& node,
                                                          const proxy::Connection& conn) {
  caf::scoped_actor self{cluster.system()};
  std::optional<proxy::ConnectReply> reply;
  self->request(cluster.proxy(node), kWait, proxy::proxy_connect_atom::value, conn)
      .receive([&](proxy::ConnectReply& r) { reply = std::move(r); },
               [&](caf::error& e) { UNSCOPED_INFO("proxy connect: " << to_string(e)); });
  return reply;
}

/// What `node`'s kubelet runs now; nullopt if it does not answer.
inline std::optional<kubelet::KubeletState> kubelet_state(Cluster& cluster,
                                                          const std::string& node) {
  caf::scoped_actor self{cluster.system()};
  std::optional<kubelet::KubeletState> state;
  self->request(cluster.kubelet(node), kWait, kubelet::kubelet_state_atom::value)
      .receive([&](kubelet::KubeletState& s) { state = std::move(s); }, [](caf::error&) {});
  return state;
}

}  // namespace kactor::testing
