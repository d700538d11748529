// The scale subresource (autoscaling/v1 Scale) of the kinds with spec.replicas: what
// `kubectl scale` and the HorizontalPodAutoscaler read and write.
#pragma once

#include "actors/http/backend.hpp"
#include "actors/http/exchange.hpp"
#include "actors/http/route.hpp"
#include "api/object.hpp"

namespace kactor::http {

/// ReplicationControllers, ReplicaSets, Deployments and StatefulSets (those registered).
bool scalable(const api::TypeInfo& type);

/// GET, PUT or PATCH of <resource>/<name>/scale (`dry_run`: the request's dryRun=All).
void serve_scale(ApiBackend& backend, const Route& route, const HttpRequest& request,
                 const api::TypeInfo& type, bool dry_run, ExchangePtr exchange);

}  // namespace kactor::http
