#include "actors/cloud/cloud_provider.hpp"

#include <caf/all.hpp>

#include "actors/cloud/messages.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"

namespace kactor::cloud {

api::Status cloud_error(std::string message) {
  api::Status s;
  s.code = 500;
  s.reason = "InternalError";
  s.message = std::move(message);
  return s;
}

std::string load_balancer_name(const api::Service& svc) {
  std::string name = "a";
  for (char c : svc.metadata.uid)
    if (c != '-') name += c;
  return name.substr(0, 32);
}

CloudProvider::CloudProvider(caf::event_based_actor* self, caf::actor provider,
                             std::chrono::milliseconds timeout)
    : self_(self), provider_(std::move(provider)), timeout_(timeout) {}

template <class Atom>
void CloudProvider::call(Atom atom, LoadBalancerRequest req, Done done) {
  auto log = actors::logger("cloud");
  if (!provider_) {
    LoadBalancerReply reply;
    reply.error = cloud_error("no cloud provider configured");
    return done(std::move(reply));
  }
  self_->request(provider_, timeout_, atom, std::move(req))
      .then(actors::guard_callback(log, [done](LoadBalancerReply& r) { done(std::move(r)); }),
            actors::guard_callback(log, [done](caf::error& e) {
              LoadBalancerReply reply;
              reply.error = cloud_error("cloud provider: " + caf::to_string(e));
              done(std::move(reply));
            }));
}

void CloudProvider::get_load_balancer(LoadBalancerRequest req, Done done) {
  call(cloud_get_atom::value, std::move(req), std::move(done));
}
void CloudProvider::ensure_load_balancer(LoadBalancerRequest req, Done done) {
  call(cloud_ensure_atom::value, std::move(req), std::move(done));
}
void CloudProvider::update_load_balancer(LoadBalancerRequest req, Done done) {
  call(cloud_update_atom::value, std::move(req), std::move(done));
}
void CloudProvider::ensure_load_balancer_deleted(LoadBalancerRequest req, Done done) {
  call(cloud_delete_atom::value, std::move(req), std::move(done));
}

}  // namespace kactor::cloud
