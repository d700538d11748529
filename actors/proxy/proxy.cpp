#include "actors/proxy/proxy.hpp"

#include <set>

#include <caf/all.hpp>

#include "actors/client/indexes.hpp"
#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/common/context.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/proxy/messages.hpp"
#include "actors/proxy/routing.hpp"
#include "api/types/all.hpp"

namespace kactor::proxy {
namespace {

struct PendingAwait {
  std::string service_ip;
  int32_t port;
  std::string protocol;
  uint64_t count;
  caf::response_promise promise;
};

struct ProxyState {
  ProxyOptions options;
  Clock* clock = nullptr;
  std::optional<Random> random;
  client::Informer services;
  client::Informer endpoints;
  /// Read, never subscribed to: routes come from its cache (routing.hpp).
  client::Informer nodes;
  ServiceTable table;
  std::vector<PendingAwait> awaits;
  /// Informers whose initial content has reached this actor (awaits wait for both).
  std::set<caf::actor_addr> synced_from;
  bool synced() const { return synced_from.size() == 2; }
  std::string node_for(const std::string& pod_ip) const {
    return node_for_pod_ip(*nodes.cache, pod_ip).value_or("");
  }
  static inline const char* name = "kube-proxy";
};

using Self = caf::stateful_actor<ProxyState>;

std::string service_key_of(const api::Object& o) {
  return o.metadata.namespace_ + "/" + o.metadata.name;
}

/// Re-reads one service's Service and Endpoints from the informer caches into the table.
void sync_service(Self* self, const std::string& key) {
  auto& st = self->state;
  auto svc = api::as<api::Service>(st.services.cache->get(key));
  auto eps = api::as<api::Endpoints>(st.endpoints.cache->get(key));
  st.table.sync(key, svc.get(), eps.get());
}

void answer_awaits(Self* self) {
  auto& st = self->state;
  if (!st.synced()) return;
  std::erase_if(st.awaits, [&](PendingAwait& a) {
    if (st.table.endpoints(a.service_ip, a.port, a.protocol).size() != a.count) return false;
    a.promise.deliver(true);
    return true;
  });
}

caf::behavior proxy_actor(Self* self, actors::Context ctx, ProxyOptions options) {
  auto& st = self->state;
  st.options = options;
  st.table = ServiceTable(options.node_name);
  st.clock = ctx.clock;
  st.random.emplace(ctx.random("proxy/" + options.node_name));
  st.services = ctx.informers->get(api::Service::static_type());
  st.endpoints = ctx.informers->get(api::Endpoints::static_type());
  st.nodes = ctx.informers->get(api::Node::static_type());
  client::add_node_pod_cidr_index(*st.nodes.mutable_cache);
  auto me = caf::actor_cast<caf::actor>(self);
  for (auto* inf : {&st.services, &st.endpoints})
    self->send(inf->actor, client::subscribe_atom::value, me);

  return actors::guarded(
      actors::logger("proxy"),
      [self](client::InformerEvents& batch) {
        auto& st = self->state;
        if (batch.synced && self->current_sender())
          st.synced_from.insert(self->current_sender()->address());
        // The keys changed; the table is rebuilt for them from the caches (state, not events).
        std::set<std::string> keys;
        for (auto& ev : batch.events)
          if (ev.object) keys.insert(service_key_of(*ev.object));
        for (const auto& key : keys) sync_service(self, key);
        answer_awaits(self);
      },
      [self](proxy_connect_atom, const Connection& c) {
        auto& st = self->state;
        ConnectReply reply;
        auto picked = st.table.connect(c, st.clock->now(), *st.random);
        if (picked) {
          reply.backend = *picked;
          reply.node = st.node_for(picked->ip);
        } else {
          reply.error = picked.error();
        }
        return reply;
      },
      [self](proxy_route_atom, const std::string& pod_ip) {
        return self->state.node_for(pod_ip);
      },
      [self](proxy_await_atom, std::string& ip, int32_t port, std::string& protocol,
             uint64_t count) -> caf::result<bool> {
        auto& st = self->state;
        if (st.synced() && st.table.endpoints(ip, port, protocol).size() == count) return true;
        auto promise = self->make_response_promise();
        st.awaits.push_back(PendingAwait{ip, port, protocol, count, promise});
        return promise;
      });
}

}  // namespace

caf::actor spawn_proxy(const actors::Context& ctx, ProxyOptions options) {
  return ctx.system->spawn(proxy_actor, ctx, std::move(options));
}

}  // namespace kactor::proxy
