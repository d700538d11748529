// DefaultBinder: binds through pods/binding with a Binding naming the node.
#include "actors/client/requests.hpp"
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

class DefaultBinderPlugin final : public BindPlugin {
 public:
  std::string_view name() const override { return DefaultBinder::kName; }
  std::optional<apiserver::Request> bind(const CycleState&, const api::Pod& pod,
                                         const std::string& node) const override {
    return client::binding_request(pod.metadata.namespace_, pod.metadata.name, node,
                                   pod.metadata.uid);
  }
};

}  // namespace

std::shared_ptr<Plugin> make_default_binder() {
  return std::make_shared<DefaultBinderPlugin>();
}

}  // namespace kactor::scheduler::plugins
