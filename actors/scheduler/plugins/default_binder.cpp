// DefaultBinder: binds through pods/binding with a Binding naming the node.
#include "actors/scheduler/plugins/plugins.hpp"
#include "api/types/binding.hpp"

namespace kactor::scheduler::plugins {
namespace {

class DefaultBinder final : public BindPlugin {
 public:
  std::string_view name() const override { return "DefaultBinder"; }
  std::optional<apiserver::Request> bind(const CycleState&, const api::Pod& pod,
                                         const std::string& node) const override {
    auto b = std::make_shared<api::Binding>();
    b->metadata.namespace_ = pod.metadata.namespace_;
    b->metadata.name = pod.metadata.name;
    b->metadata.uid = pod.metadata.uid;
    b->target.kind = "Node";
    b->target.name = node;
    apiserver::Request req;
    req.verb = apiserver::Verb::bind;
    req.resource = "pods";
    req.namespace_ = pod.metadata.namespace_;
    req.name = pod.metadata.name;
    req.object = std::move(b);
    return req;
  }
};

}  // namespace

std::shared_ptr<Plugin> make_default_binder() {
  return std::make_shared<DefaultBinder>();
}

}  // namespace kactor::scheduler::plugins
