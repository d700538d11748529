#include "actors/apiserver/pod_spec_sharing.hpp"

namespace kactor::apiserver {
namespace {

/// `mine` takes `last`'s list if equal; otherwise `last` becomes `mine` for the next pod.
template <class T>
void share_list(api::SharedVector<T>& mine, api::SharedVector<T>& last) {
  if (!mine.share_if_equal(last)) last = mine;
}

}  // namespace

void PodSpecSharing::share(api::Pod& pod) {
  const api::OwnerReference* controller = nullptr;
  for (const auto& ref : pod.metadata.owner_references)
    if (ref.controller.value_or(false)) controller = &ref;
  if (!controller || controller->uid.empty()) return;

  auto it = by_owner_.find(controller->uid);
  if (it == by_owner_.end()) {
    // A bound, not a cache: controllers that come and go would otherwise be kept for ever.
    if (by_owner_.size() >= capacity_) by_owner_.clear();
    it = by_owner_.emplace(controller->uid, Lists{}).first;
  }
  Lists& last = it->second;
  share_list(pod.spec.containers, last.containers);
  share_list(pod.spec.volumes, last.volumes);
  share_list(pod.spec.tolerations, last.tolerations);
}

}  // namespace kactor::apiserver
