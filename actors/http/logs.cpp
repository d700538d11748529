#include "actors/http/logs.hpp"

#include <mutex>

#include <fmt/format.h>

#include "actors/http/request_options.hpp"
#include "actors/http/response.hpp"
#include "api/time/rfc3339.hpp"
#include "api/types/pod.hpp"

namespace kactor::http {
namespace {

constexpr const char* kTextPlain = "text/plain";

/// Reads `param` as an int64 into `out` when present (one parser for every query: request_options).
api::Result<void> read_int(const Query& q, const char* param, std::optional<int64_t>& out) {
  auto n = query_int(q, param);
  if (!n) return api::fail(n.error());
  if (*n) out = **n;
  return {};
}

api::Result<void> read_bool(const Query& q, const char* param, bool& out) {
  auto b = query_bool(q, param);
  if (!b) return api::fail(b.error());
  if (*b) out = **b;
  return {};
}

/// Sends one log's chunks to its client: the first as the answer (or a stream's head when
/// following), the rest into the stream. Holds the log's control until the log is over, then
/// drops it (the control's actor holds this relay: no cycle outlives the log).
class LogRelay : public std::enable_shared_from_this<LogRelay> {
 public:
  LogRelay(ExchangePtr exchange, bool follow) : exchange_(std::move(exchange)), follow_(follow) {}

  void on_chunk(kubelet::PodLogChunk chunk) {
    std::unique_lock lock(mutex_);
    if (over_) return;
    if (!stream_) {
      if (chunk.error || !follow_ || chunk.ended) {
        finish(lock);
        if (chunk.error) return exchange_->respond(status_response(*chunk.error));
        return exchange_->respond(HttpResponse{200, kTextPlain, std::move(chunk.text), {}});
      }
      stream_ = exchange_->open_stream(kTextPlain);
      lock.unlock();
      std::weak_ptr<LogRelay> weak = shared_from_this();
      stream_->on_close([weak] {
        if (auto relay = weak.lock()) relay->close();
      });
      lock.lock();
    }
    auto stream = stream_;
    const bool ended = chunk.ended || chunk.error;
    if (ended) finish(lock);
    if (lock.owns_lock()) lock.unlock();
    if (!chunk.text.empty()) stream->write(std::move(chunk.text));
    if (ended) stream->end();
  }

  /// The client went (or the stream ended): the kubelet stops sending.
  void close() {
    std::unique_lock lock(mutex_);
    auto control = std::move(control_);
    over_ = true;
    client_gone_ = true;
    lock.unlock();
    if (control) control->cancel();
  }

  void set_control(std::shared_ptr<LogControl> control) {
    {
      std::lock_guard lock(mutex_);
      if (!over_) {
        control_ = std::move(control);
        return;
      }
      if (!client_gone_) return;  // the log is over: nothing to stop
    }
    control->cancel();
  }

 private:
  /// The log is over: drop the control (unlocks).
  void finish(std::unique_lock<std::mutex>& lock) {
    over_ = true;
    auto control = std::move(control_);
    lock.unlock();  // the control goes outside the lock
  }

  std::mutex mutex_;
  ExchangePtr exchange_;
  const bool follow_;
  std::shared_ptr<Stream> stream_;
  std::shared_ptr<LogControl> control_;
  bool over_ = false;
  bool client_gone_ = false;
};

}  // namespace

api::Result<kubelet::PodLogOptions> parse_pod_log_options(const Query& q, const std::string& pod) {
  kubelet::PodLogOptions o;
  if (auto it = q.find("container"); it != q.end()) o.container = it->second;
  for (auto [param, field] : {std::pair{"follow", &o.follow}, std::pair{"previous", &o.previous},
                              std::pair{"timestamps", &o.timestamps}})
    if (auto ok = read_bool(q, param, *field); !ok) return api::fail(ok.error());
  for (auto [param, field] :
       {std::pair{"sinceSeconds", &o.since_seconds}, std::pair{"tailLines", &o.tail_lines},
        std::pair{"limitBytes", &o.limit_bytes}})
    if (auto ok = read_int(q, param, *field); !ok) return api::fail(ok.error());
  if (auto it = q.find("sinceTime"); it != q.end()) {
    auto t = parse_rfc3339(it->second);
    if (!t)
      return api::fail(api::bad_request("invalid value for query parameter \"sinceTime\": \"" +
                                        it->second + "\": not an RFC 3339 time"));
    o.since_time = *t;
  }
  // kube-apiserver's ValidatePodLogOptions, in its order.
  std::vector<api::StatusCause> causes;
  auto invalid = [&](const char* field, int64_t v, const char* why) {
    causes.push_back({"FieldValueInvalid", fmt::format("Invalid value: {}: {}", v, why), field});
  };
  if (o.tail_lines && *o.tail_lines < 0)
    invalid("tailLines", *o.tail_lines, "must be greater than or equal to 0");
  if (o.limit_bytes && *o.limit_bytes < 1)
    invalid("limitBytes", *o.limit_bytes, "must be greater than 0");
  if (o.since_seconds && o.since_time)
    causes.push_back({"FieldValueForbidden",
                      "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
                      ""});
  if (o.since_seconds && *o.since_seconds < 1)
    invalid("sinceSeconds", *o.since_seconds, "must be greater than 0");
  if (!causes.empty()) return api::fail(api::invalid("PodLogOptions", pod, std::move(causes)));
  return o;
}

void serve_pod_logs(ApiBackend& backend, std::shared_ptr<KubeletBackend> kubelets,
                    const Route& route, ExchangePtr exchange) {
  auto options = parse_pod_log_options(route.query, route.name);
  if (!options) return exchange->respond(status_response(options.error()));
  apiserver::Request get;
  get.verb = apiserver::Verb::get;
  get.resource = "pods";
  get.namespace_ = route.namespace_;
  get.name = route.name;
  backend.call(std::move(get), [kubelets, exchange, o = *options](apiserver::Response r) mutable {
    if (r.error) return exchange->respond(status_response(*r.error));
    auto pod = api::as<api::Pod>(r.object);
    if (!pod) return exchange->respond(status_response(api::internal_error("pods/log: not a Pod")));
    auto target = kubelet::pod_log_container(*pod, o);
    if (!target) return exchange->respond(status_response(target.error()));
    if (!kubelets)
      return exchange->respond(status_response(api::service_unavailable(
          "this API server reaches no kubelets: pods/log is unavailable")));
    o.container = target->container;
    kubelet::PodLogRequest request;
    request.pod_namespace = pod->metadata.namespace_;
    request.pod_name = pod->metadata.name;
    request.pod_uid = pod->metadata.uid;
    request.options = o;
    request.container_id = target->container_id;
    relay_pod_log(*kubelets, pod->spec.node_name, std::move(request), exchange);
  });
}

void relay_pod_log(KubeletBackend& kubelets, const std::string& node,
                   kubelet::PodLogRequest request, ExchangePtr exchange) {
  auto relay = std::make_shared<LogRelay>(std::move(exchange), request.options.follow);
  auto control = kubelets.pod_logs(
      node, std::move(request),
      [relay](kubelet::PodLogChunk chunk) { relay->on_chunk(std::move(chunk)); });
  relay->set_control(std::move(control));
}

}  // namespace kactor::http
