#include "actors/rollout/in_process_api.hpp"

namespace kactor::rollout {

ClusterApi::~ClusterApi() = default;

namespace {

template <class T>
api::Result<T> copy_of(api::Result<api::ObjectPtr> r) {
  if (!r) return api::fail(r.error());
  return *std::static_pointer_cast<const T>(*r);
}

}  // namespace

api::Result<api::ReplicationController> InProcessApi::get_rc(const std::string& namespace_,
                                                             const std::string& name) {
  return copy_of<api::ReplicationController>(
      client_.get(api::ReplicationController::static_type(), namespace_, name));
}

api::Result<api::ReplicationController> InProcessApi::create_rc(
    const api::ReplicationController& rc) {
  return copy_of<api::ReplicationController>(client_.create(static_cast<const api::Object&>(rc)));
}

api::Result<api::ReplicationController> InProcessApi::update_rc(
    const api::ReplicationController& rc) {
  return copy_of<api::ReplicationController>(client_.update(rc));
}

api::Result<void> InProcessApi::delete_rc(const std::string& namespace_, const std::string& name,
                                          bool orphan) {
  client::DeleteOptions options;
  if (orphan) options.propagation_policy = "Orphan";
  auto r = client_.remove(api::ReplicationController::static_type(), namespace_, name, options);
  if (!r) return api::fail(r.error());
  return {};
}

api::Result<std::vector<api::Pod>> InProcessApi::list_pods(const std::string& namespace_,
                                                           const std::string& label_selector) {
  client::ListOptions options;
  options.label_selector = label_selector;
  auto r = client_.list<api::Pod>(namespace_, options);
  if (!r) return api::fail(r.error());
  std::vector<api::Pod> out;
  out.reserve(r->items.size());
  for (auto& p : r->items) out.push_back(*p);
  return out;
}

api::Result<api::Pod> InProcessApi::update_pod(const api::Pod& pod) {
  return copy_of<api::Pod>(client_.update(pod));
}

api::Result<void> InProcessApi::delete_pod(const std::string& namespace_,
                                           const std::string& name) {
  auto r = client_.remove(api::Pod::static_type(), namespace_, name);
  if (!r) return api::fail(r.error());
  return {};
}

}  // namespace kactor::rollout
