// The resource endpoints of the Kubernetes API (/api/v1/..., /apis/<g>/<v>/...): CRUD, list,
// watch, patch, subresources, each turned into apiserver::Requests and the answers into JSON
// documents (or server-side Tables) as kube-apiserver writes them.
#pragma once

#include <memory>

#include "actors/http/backend.hpp"
#include "actors/http/exchange.hpp"
#include "actors/http/kubelet_backend.hpp"
#include "actors/http/route.hpp"
#include "api/time/clock.hpp"

namespace kactor::http {

class ResourceHandler {
 public:
  /// `clock` dates Table AGE cells; it outlives the handler. `kubelets` serves pods/log and
  /// nodes/<n>/proxy/stats/summary (null: a 503 there).
  ResourceHandler(std::shared_ptr<ApiBackend> backend, const Clock& clock,
                  std::shared_ptr<KubeletBackend> kubelets = nullptr);

  /// Serves one request to a resource route (route.kind == Route::Kind::resource).
  void handle(const Route& route, const HttpRequest& request, ExchangePtr exchange) const;

 private:
  std::shared_ptr<ApiBackend> backend_;
  const Clock& clock_;
  std::shared_ptr<KubeletBackend> kubelets_;
};

}  // namespace kactor::http
