#include "actors/cloud/simulated_cloud.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/cloud/ip_pool.hpp"
#include "actors/cloud/messages.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/timers.hpp"

namespace kactor::cloud {
namespace {

enum class Op : uint8_t { get, ensure, update, remove };

struct Pending {
  Op op;
  LoadBalancerRequest request;
  caf::response_promise promise;
};

struct CloudState {
  std::optional<IpPool> pool;
  std::optional<Random> random;
  SimulatedCloudOptions options;
  Clock* clock = nullptr;
  std::map<std::string, SimulatedLoadBalancer> lbs;
  std::unordered_map<uint64_t, Pending> pending;
  uint64_t next_id = 0;
  uint64_t calls = 0, failed = 0;
  static inline const char* name = "simulated-cloud";
};

using Self = caf::stateful_actor<CloudState>;

std::string service_key(const api::Service& svc) {
  return svc.metadata.namespace_ + "/" + svc.metadata.name;
}

LoadBalancerReply fail(const std::string& message) {
  LoadBalancerReply r;
  r.error = cloud_error(message);
  return r;
}

LoadBalancerReply status_of(const SimulatedLoadBalancer& lb) {
  LoadBalancerReply r;
  r.exists = true;
  r.status.ingress.push_back(api::LoadBalancerIngress{lb.ip, ""});
  return r;
}

bool should_fail(CloudState& st) {
  if (st.options.fail_next > 0) {
    --st.options.fail_next;
    return true;
  }
  return st.options.failure_rate > 0 && st.random->unit() < st.options.failure_rate;
}

LoadBalancerReply ensure(CloudState& st, const api::Service& svc, std::vector<std::string> hosts) {
  const auto name = load_balancer_name(svc);
  if (auto it = st.lbs.find(name); it != st.lbs.end()) {
    // An existing one keeps its address (a changed spec.loadBalancerIP is not honoured: the
    // address of a provisioned load balancer does not move, as on most clouds).
    it->second.hosts = std::move(hosts);
    return status_of(it->second);
  }
  std::string wanted = svc.spec.load_balancer_ip;
  if (!wanted.empty() && !st.pool->is_free(wanted))
    return fail("simulated cloud: requested load balancer IP " + wanted +
                " is not available in the pool " + st.pool->cidr());
  // The address the Service already reports (from an earlier incarnation of this cloud).
  if (wanted.empty())
    for (const auto& ing : svc.status.load_balancer.ingress)
      if (st.pool->is_free(ing.ip)) {
        wanted = ing.ip;
        break;
      }
  auto ip = st.pool->allocate(wanted);
  if (!ip) return fail("simulated cloud: " + ip.error());
  auto& lb = st.lbs[name] = SimulatedLoadBalancer{service_key(svc), *ip, std::move(hosts)};
  actors::logger("cloud")->info("simulated cloud: load balancer {} for {} at {}", name, lb.service,
                                lb.ip);
  return status_of(lb);
}

LoadBalancerReply perform(CloudState& st, Op op, const LoadBalancerRequest& req) {
  ++st.calls;
  if (!req.service) return fail("simulated cloud: no service given");
  if (should_fail(st)) {
    ++st.failed;
    return fail("simulated cloud: injected failure");
  }
  const auto name = load_balancer_name(*req.service);
  auto hosts = req.hosts;
  std::sort(hosts.begin(), hosts.end());
  auto it = st.lbs.find(name);
  switch (op) {
    case Op::get:
      return it == st.lbs.end() ? LoadBalancerReply{} : status_of(it->second);
    case Op::ensure:
      return ensure(st, *req.service, std::move(hosts));
    case Op::update:
      if (it == st.lbs.end())
        return fail("simulated cloud: load balancer " + name + " not found");
      it->second.hosts = std::move(hosts);
      return status_of(it->second);
    case Op::remove:
      if (it != st.lbs.end()) {
        st.pool->release(it->second.ip);
        st.lbs.erase(it);
      }
      return LoadBalancerReply{};
  }
  return fail("simulated cloud: unknown call");
}

caf::behavior cloud_actor(Self* self, Clock* clock, Random random, SimulatedCloudOptions options,
                          IpPool pool) {
  auto& st = self->state;
  st.pool.emplace(std::move(pool));
  st.random.emplace(std::move(random));
  st.options = std::move(options);
  st.clock = clock;
  // Every call waits its latency on the Clock, then is answered (zero: at once).
  auto start = [self](Op op, LoadBalancerRequest& req) -> caf::result<LoadBalancerReply> {
    auto& st = self->state;
    if (st.options.latency <= Duration::zero()) return perform(st, op, req);
    auto id = st.next_id++;
    auto promise = self->make_response_promise();
    st.pending.emplace(id, Pending{op, std::move(req), promise});
    actors::send_later(*st.clock, st.options.latency, caf::actor_cast<caf::actor>(self),
                       cloud_done_atom::value, id);
    return promise;
  };
  return actors::guarded(
      actors::logger("cloud"),
      [start](cloud_get_atom, LoadBalancerRequest& req) { return start(Op::get, req); },
      [start](cloud_ensure_atom, LoadBalancerRequest& req) { return start(Op::ensure, req); },
      [start](cloud_update_atom, LoadBalancerRequest& req) { return start(Op::update, req); },
      [start](cloud_delete_atom, LoadBalancerRequest& req) { return start(Op::remove, req); },
      [self](cloud_done_atom, uint64_t id) {
        auto& st = self->state;
        auto it = st.pending.find(id);
        if (it == st.pending.end()) return;
        auto p = std::move(it->second);
        st.pending.erase(it);
        p.promise.deliver(perform(st, p.op, p.request));
      },
      [self](cloud_fail_atom, int32_t n) {
        self->state.options.fail_next = std::max<int32_t>(0, n);
        return true;
      },
      [self](cloud_state_atom) {
        auto& st = self->state;
        return SimulatedCloudState{st.lbs, st.pool->free_count(), st.calls, st.failed};
      });
}

}  // namespace

api::Result<caf::actor> spawn_simulated_cloud(caf::actor_system& system, Clock& clock,
                                              Random random, SimulatedCloudOptions options) {
  auto pool = IpPool::create(options.pool);
  if (!pool)
    return api::fail(api::bad_request("simulated cloud: pool \"" + options.pool + "\": " +
                                      pool.error()));
  if (!(options.failure_rate >= 0 && options.failure_rate <= 1))
    return api::fail(api::bad_request("simulated cloud: failureRate must be between 0 and 1"));
  if (options.latency < Duration::zero())
    return api::fail(api::bad_request("simulated cloud: latency must not be negative"));
  return system.spawn(cloud_actor, &clock, std::move(random), std::move(options),
                      std::move(*pool));
}

}  // namespace kactor::cloud
