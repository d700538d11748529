#include "actors/rollout/http/rest_api.hpp"

namespace kactor::rollout {

namespace {

template <class T>
api::Result<T> typed(api::Result<std::unique_ptr<api::Object>> r) {
  if (!r) return api::fail(r.error());
  return std::move(static_cast<T&>(**r));
}

}  // namespace

api::Result<api::ReplicationController> RestApi::get_rc(const std::string& namespace_,
                                                        const std::string& name) {
  return typed<api::ReplicationController>(
      client_.get(api::ReplicationController::static_type(), namespace_, name));
}

api::Result<api::ReplicationController> RestApi::create_rc(const api::ReplicationController& rc) {
  return typed<api::ReplicationController>(client_.create(rc));
}

api::Result<api::ReplicationController> RestApi::update_rc(const api::ReplicationController& rc) {
  return typed<api::ReplicationController>(client_.update(rc));
}

api::Result<void> RestApi::delete_rc(const std::string& namespace_, const std::string& name,
                                     bool orphan) {
  return client_.remove(api::ReplicationController::static_type(), namespace_, name,
                        orphan ? "Orphan" : "");
}

api::Result<std::vector<api::Pod>> RestApi::list_pods(const std::string& namespace_,
                                                      const std::string& label_selector) {
  auto r = client_.list(api::Pod::static_type(), namespace_, label_selector);
  if (!r) return api::fail(r.error());
  std::vector<api::Pod> out;
  out.reserve(r->size());
  for (auto& p : *r) out.push_back(std::move(static_cast<api::Pod&>(*p)));
  return out;
}

api::Result<api::Pod> RestApi::update_pod(const api::Pod& pod) {
  return typed<api::Pod>(client_.update(pod));
}

api::Result<void> RestApi::delete_pod(const std::string& namespace_, const std::string& name) {
  return client_.remove(api::Pod::static_type(), namespace_, name);
}

}  // namespace kactor::rollout
