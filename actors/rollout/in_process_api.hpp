// ClusterApi over a BlockingClient: a rolling update inside the process that runs the cluster
// (tests, embedding programs).
#pragma once

#include "actors/client/blocking_client.hpp"
#include "actors/rollout/cluster_api.hpp"

namespace kactor::rollout {

class InProcessApi final : public ClusterApi {
 public:
  /// `client` must outlive this and belong to the thread that runs the update.
  explicit InProcessApi(client::BlockingClient& client) : client_(client) {}

  api::Result<api::ReplicationController> get_rc(const std::string& namespace_,
                                                 const std::string& name) override;
  api::Result<api::ReplicationController> create_rc(const api::ReplicationController& rc) override;
  api::Result<api::ReplicationController> update_rc(const api::ReplicationController& rc) override;
  api::Result<void> delete_rc(const std::string& namespace_, const std::string& name,
                              bool orphan) override;
  api::Result<std::vector<api::Pod>> list_pods(const std::string& namespace_,
                                               const std::string& label_selector) override;
  api::Result<api::Pod> update_pod(const api::Pod& pod) override;
  api::Result<void> delete_pod(const std::string& namespace_, const std::string& name) override;

 private:
  client::BlockingClient& client_;
};

}  // namespace kactor::rollout
