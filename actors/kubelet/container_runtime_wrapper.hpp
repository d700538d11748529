// A ContainerRuntime that forwards every call to another: the base of runtimes that change
// only part of what one does (fault injection, a runtime shared by successive kubelets),
// each overriding only what it changes.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "actors/kubelet/container_runtime.hpp"

namespace kactor::kubelet {

class ContainerRuntimeWrapper : public ContainerRuntime {
 public:
  explicit ContainerRuntimeWrapper(std::shared_ptr<ContainerRuntime> target)
      : target_(std::move(target)) {}

  api::Result<std::string> start_container(const ContainerConfig& config) override {
    return target_->start_container(config);
  }
  void stop_container(const std::string& container_id, Duration grace) override {
    target_->stop_container(container_id, grace);
  }
  void forget(const std::string& container_id) override { target_->forget(container_id); }
  std::vector<ContainerInfo> list_containers() const override { return target_->list_containers(); }
  api::Result<LogRead> read_log(const LogQuery& query) const override {
    return target_->read_log(query);
  }
  void follow_log(const std::string& container_id, bool follow) override {
    target_->follow_log(container_id, follow);
  }
  void forget_logs(const std::string& pod_uid) override { target_->forget_logs(pod_uid); }
  Prober& prober() override { return target_->prober(); }
  std::vector<api::ContainerImage> list_images() const override { return target_->list_images(); }
  std::optional<int64_t> image_size(const std::string& image) const override {
    return target_->image_size(image);
  }

  /// The runtime calls are forwarded to.
  const std::shared_ptr<ContainerRuntime>& target() const { return target_; }

 private:
  std::shared_ptr<ContainerRuntime> target_;
};

}  // namespace kactor::kubelet
