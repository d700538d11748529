// Kubelets of other processes as actors, for in-process components that ask kubelets over CAF
// (the metrics server's (kubelet_summary_atom) → Summary): each stub answers for one node
// through a KubeletBackend (over HTTPS: https_kubelet_backend.hpp). What the controller
// manager's metrics server scrapes when the nodes run in `kactor node` processes.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/http/kubelet_backend.hpp"

namespace kactor::http {

/// An actor that answers (kubelet_summary_atom) → Summary for `node` by asking `kubelets`;
/// a failure is an error answer (the metrics server leaves the node out of that round).
caf::actor spawn_kubelet_stub(caf::actor_system& system, std::shared_ptr<KubeletBackend> kubelets,
                              std::string node);

/// One stub per node, made on first use; a lookup for the metrics server's kubelet_for.
class KubeletStubs {
 public:
  /// `exists`: whether the node exists (e.g. in the Node informer); a node that does not gets
  /// no stub (nullopt, as a stopped kubelet).
  KubeletStubs(caf::actor_system& system, std::shared_ptr<KubeletBackend> kubelets,
               std::function<bool(const std::string&)> exists);
  ~KubeletStubs();
  std::optional<caf::actor> operator()(const std::string& node);
  /// Ends every stub.
  void stop();

 private:
  caf::actor_system& system_;
  std::shared_ptr<KubeletBackend> kubelets_;
  std::function<bool(const std::string&)> exists_;
  std::mutex mutex_;
  std::map<std::string, caf::actor> stubs_;
};

}  // namespace kactor::http
