// ClusterApi over the Kubernetes REST API of a served cluster (HTTPS, the kubeconfig's
// credentials): what `kactor rolling-update` runs an update through.
#pragma once

#include "actors/http/client/rest_client.hpp"
#include "actors/rollout/cluster_api.hpp"

namespace kactor::rollout {

class RestApi final : public ClusterApi {
 public:
  /// `client` must outlive this and belong to the thread that runs the update.
  explicit RestApi(http::client::RestClient& client) : client_(client) {}

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
  http::client::RestClient& client_;
};

}  // namespace kactor::rollout
