// The resource endpoints of the Kubernetes API (/api/v1/..., /apis/<g>/<v>/...): CRUD, list,
// watch, patch, subresources, each turned into apiserver::Requests and the answers into JSON
// documents (or server-side Tables) as kube-apiserver writes them.
#pragma once

#include <memory>

#include "actors/http/backend.hpp"
#include "actors/http/exchange.hpp"
#include "actors/http/route.hpp"
#include "api/time/clock.hpp"

namespace kactor::http {

class ResourceHandler {
 public:
  /// `clock` dates Table AGE cells; it outlives the handler.
  ResourceHandler(std::shared_ptr<ApiBackend> backend, const Clock& clock);

  /// Serves one request to a resource route (route.kind == Route::Kind::resource).
  void handle(const Route& route, const HttpRequest& request, ExchangePtr exchange) const;

 private:
  std::shared_ptr<ApiBackend> backend_;
  const Clock& clock_;
};

}  // namespace kactor::http
