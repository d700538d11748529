#include "actors/http/kubelet_stub.hpp"

#include <caf/all.hpp>

#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/http/messages.hpp"
#include "actors/kubelet/protocol/messages.hpp"

namespace kactor::http {
namespace {

struct StubState {
  uint64_t next_id = 0;
  /// Questions waiting for the backend, by id.
  std::map<uint64_t, caf::typed_response_promise<kubelet::Summary>> waiting;
};

caf::behavior kubelet_stub(caf::stateful_actor<StubState>* self,
                           std::shared_ptr<KubeletBackend> kubelets, std::string node) {
  return actors::guarded(
      actors::logger("http"),
      [self, kubelets, node](kubelet::kubelet_summary_atom) -> caf::result<kubelet::Summary> {
        auto& st = self->state;
        const auto id = ++st.next_id;
        auto rp = self->make_response_promise<kubelet::Summary>();
        st.waiting.emplace(id, rp);
        // The backend answers on its own thread: back into this actor to deliver.
        auto me = caf::actor_cast<caf::actor>(self);
        kubelets->summary(node, [me, id](api::Result<kubelet::Summary> s) {
          if (s)
            caf::anon_send(me, stub_answer_atom::value, id, std::move(*s));
          else
            caf::anon_send(me, stub_failed_atom::value, id, s.error().message);
        });
        return rp;
      },
      [self](stub_answer_atom, uint64_t id, kubelet::Summary& s) {
        auto it = self->state.waiting.find(id);
        if (it == self->state.waiting.end()) return;
        it->second.deliver(std::move(s));
        self->state.waiting.erase(it);
      },
      [self](stub_failed_atom, uint64_t id, const std::string& why) {
        auto it = self->state.waiting.find(id);
        if (it == self->state.waiting.end()) return;
        it->second.deliver(caf::make_error(caf::sec::runtime_error, why));
        self->state.waiting.erase(it);
      });
}

}  // namespace

caf::actor spawn_kubelet_stub(caf::actor_system& system, std::shared_ptr<KubeletBackend> kubelets,
                              std::string node) {
  return system.spawn(kubelet_stub, std::move(kubelets), std::move(node));
}

KubeletStubs::KubeletStubs(caf::actor_system& system, std::shared_ptr<KubeletBackend> kubelets,
                           std::function<bool(const std::string&)> exists)
    : system_(system), kubelets_(std::move(kubelets)), exists_(std::move(exists)) {}

KubeletStubs::~KubeletStubs() { stop(); }

std::optional<caf::actor> KubeletStubs::operator()(const std::string& node) {
  std::lock_guard lock(mutex_);
  if (exists_ && !exists_(node)) {
    if (auto it = stubs_.find(node); it != stubs_.end()) {
      caf::anon_send_exit(it->second, caf::exit_reason::user_shutdown);
      stubs_.erase(it);
    }
    return std::nullopt;
  }
  auto& stub = stubs_[node];
  if (!stub) stub = spawn_kubelet_stub(system_, kubelets_, node);
  return stub;
}

void KubeletStubs::stop() {
  std::lock_guard lock(mutex_);
  for (auto& [_, stub] : stubs_) caf::anon_send_exit(stub, caf::exit_reason::user_shutdown);
  stubs_.clear();
}

}  // namespace kactor::http
