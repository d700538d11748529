#include "actors/kubelet/protocol/pod_logs.hpp"

#include <fmt/format.h>

namespace kactor::kubelet {
namespace {

template <class Containers>
std::string names_of(const Containers& containers) {
  std::string out;
  for (const auto& c : containers) {
    if (!out.empty()) out += ' ';
    out += c.name;
  }
  return out;
}

const api::ContainerStatus* status_of(const api::Pod& pod, const std::string& container) {
  for (const auto* list : {&pod.status.container_statuses, &pod.status.init_container_statuses})
    for (const auto& s : *list)
      if (s.name == container) return &s;
  return nullptr;
}

bool has_container(const api::Pod& pod, const std::string& name) {
  for (const auto& c : pod.spec.containers)
    if (c.name == name) return true;
  for (const auto& c : pod.spec.init_containers)
    if (c.name == name) return true;
  return false;
}

}  // namespace

api::Result<LogTarget> pod_log_container(const api::Pod& pod, const PodLogOptions& options) {
  const auto& name = pod.metadata.name;
  // Which container: kube-apiserver's check (the container must be named when there are several).
  std::string container = options.container;
  if (container.empty()) {
    const auto& containers = pod.spec.containers;
    if (containers.size() == 1) {
      container = containers.front().name;
    } else if (containers.empty()) {
      return api::fail(
          api::bad_request(fmt::format("a container name must be specified for pod {}", name)));
    } else {
      auto message =
          fmt::format("a container name must be specified for pod {}, choose one of: [{}]", name,
                      names_of(containers));
      if (!pod.spec.init_containers.empty())
        message +=
            fmt::format(" or one of the init containers: [{}]", names_of(pod.spec.init_containers));
      return api::fail(api::bad_request(message));
    }
  } else if (!has_container(pod, container)) {
    return api::fail(
        api::bad_request(fmt::format("container {} is not valid for pod {}", container, name)));
  }

  // Whether it has a log: the kubelet's check, made here from the status it reported. A pod
  // not on a node yet (no status for the container) waits as one being created.
  const auto* status = status_of(pod, container);
  auto found = [&](const std::string& id) { return LogTarget{container, id}; };
  if (options.previous) {
    if (!status || !status->last_state.terminated ||
        status->last_state.terminated->container_id.empty())
      return api::fail(api::bad_request(fmt::format(
          "previous terminated container \"{}\" in pod \"{}\" not found", container, name)));
    return found(status->last_state.terminated->container_id);
  }
  if (!status)
    return api::fail(api::bad_request(fmt::format(
        "container \"{}\" in pod \"{}\" is waiting to start: ContainerCreating", container, name)));
  const auto& state = status->state;
  const auto& last = status->last_state.terminated;
  if (state.running && !status->container_id.empty()) return found(status->container_id);
  if (state.terminated && !state.terminated->container_id.empty())
    return found(state.terminated->container_id);
  if (!state.terminated && last && !last->container_id.empty()) return found(last->container_id);
  if (state.terminated)
    return api::fail(api::bad_request(
        fmt::format("container \"{}\" in pod \"{}\" is terminated", container, name)));
  if (state.waiting) {
    const auto& reason = state.waiting->reason;
    std::string why = reason == "ErrImagePull"       ? "image can't be pulled"
                      : reason == "ImagePullBackOff" ? "trying and failing to pull image"
                      : reason.empty()               ? "ContainerCreating"
                                                     : reason;
    return api::fail(api::bad_request(fmt::format(
        "container \"{}\" in pod \"{}\" is waiting to start: {}", container, name, why)));
  }
  return api::fail(api::bad_request(
      fmt::format("container \"{}\" in pod \"{}\" is not available", container, name)));
}

}  // namespace kactor::kubelet
