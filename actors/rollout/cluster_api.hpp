// What a rolling update needs of the cluster, as an interface: the same updater runs in process
// (InProcessApi, over a BlockingClient) and against a served cluster over HTTPS (the `kactor
// rolling-update` command, actors/rollout/http/). Every call is blocking and answers a Status
// on failure, as the API server words it.
#pragma once

#include <string>
#include <vector>

#include "api/status.hpp"
#include "api/types/pod.hpp"
#include "api/types/workloads.hpp"

namespace kactor::rollout {

class ClusterApi {
 public:
  virtual ~ClusterApi();

  virtual api::Result<api::ReplicationController> get_rc(const std::string& namespace_,
                                                         const std::string& name) = 0;
  virtual api::Result<api::ReplicationController> create_rc(const api::ReplicationController& rc) = 0;
  /// An update with the object's resourceVersion as precondition (409 Conflict when stale).
  virtual api::Result<api::ReplicationController> update_rc(const api::ReplicationController& rc) = 0;
  /// `orphan`: propagationPolicy Orphan (the pods stay); otherwise the kind's default.
  virtual api::Result<void> delete_rc(const std::string& namespace_, const std::string& name,
                                      bool orphan) = 0;
  /// Pods matching a label selector in its text form ("app=web,deployment=abc").
  virtual api::Result<std::vector<api::Pod>> list_pods(const std::string& namespace_,
                                                       const std::string& label_selector) = 0;
  virtual api::Result<api::Pod> update_pod(const api::Pod& pod) = 0;
  virtual api::Result<void> delete_pod(const std::string& namespace_, const std::string& name) = 0;
};

}  // namespace kactor::rollout
