#include "actors/http/caf_metrics_backend.hpp"

#include <caf/all.hpp>

#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/http/messages.hpp"
#include "actors/metrics/protocol/messages.hpp"

namespace kactor::http {
namespace {

metrics::MetricsAnswer unavailable() {
  metrics::MetricsAnswer a;
  // kube-apiserver's answer when an aggregated API's server does not respond.
  a.error = api::service_unavailable("the server is currently unable to handle the request");
  return a;
}

caf::behavior metrics_asker(caf::event_based_actor* self, caf::actor server,
                            metrics::MetricsQuery query, MetricsBackend::OnAnswer done,
                            std::chrono::milliseconds timeout) {
  // Each callback quits first: a `done` that throws (caught by the guard) must not keep the
  // asker.
  auto log = actors::logger("http");
  self->request(server, timeout, metrics::metrics_query_atom::value, std::move(query))
      .then(actors::guard_callback(log,
                                   [self, done](metrics::MetricsAnswer& a) {
                                     self->quit();
                                     done(std::move(a));
                                   }),
            actors::guard_callback(log, [self, done](caf::error&) {
              self->quit();
              done(unavailable());
            }));
  // Nothing else to handle: the pending request keeps the actor until it is answered.
  return {[](metrics_asked_atom) {}};
}

}  // namespace

CafMetricsBackend::CafMetricsBackend(caf::actor_system& system, caf::actor metrics_server,
                                     std::chrono::milliseconds timeout)
    : system_(system), server_(std::move(metrics_server)), timeout_(timeout) {}

void CafMetricsBackend::query(metrics::MetricsQuery query, OnAnswer done) {
  if (!server_) return done(unavailable());
  system_.spawn(metrics_asker, server_, std::move(query), std::move(done), timeout_);
}

}  // namespace kactor::http
