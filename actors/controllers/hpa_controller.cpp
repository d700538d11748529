// The horizontal pod autoscaler controller (kube-controller-manager's
// "horizontalpodautoscaling"): every --horizontal-pod-autoscaler-sync-period (15 s), and when
// an HPA is created or its spec changes, it
//   1. reads the target's scale (client/scale.hpp, as the HTTP scale subresource does);
//   2. asks the metrics server for the pods' metrics (metrics_query_atom) and computes the
//      replicas each metric asks for (replica_calculator.hpp), taking the highest;
//   3. stabilizes and limits that count (hpa_behavior.hpp), writes the target's spec.replicas
//      when it changed (event SuccessfulRescale), and the HPA's status: currentReplicas,
//      desiredReplicas, currentMetrics, lastScaleTime and the conditions AbleToScale,
//      ScalingActive and ScalingLimited with upstream's reasons and messages.
// The recommendations and scale events behind stabilization and the policies live in this
// actor only, as upstream's controller keeps them in memory.
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/client/requests.hpp"
#include "actors/client/scale.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/hpa_behavior.hpp"
#include "actors/controllers/registry.hpp"
#include "actors/controllers/replica_calculator.hpp"
#include "actors/metrics/protocol/messages.hpp"
#include "api/labels/selector.hpp"
#include "api/registry.hpp"
#include "api/types/autoscaling.hpp"

namespace kactor::actors::controllers {

namespace {

using Hpa = api::HorizontalPodAutoscaler;
using HpaPtr = std::shared_ptr<const Hpa>;
using hpa::ConditionUpdate;

/// What one metric asks for, or why it could not tell.
struct MetricOutcome {
  int32_t replicas = 0;
  /// "cpu resource utilization (percentage of request)": the rescale reason's subject.
  std::string name;
  api::MetricStatus status;
  /// Set when the metric failed: the ScalingActive=False condition and the event's reason.
  std::optional<ConditionUpdate> failure;
  std::string error;
};

/// Sets condition `c` on `status`; lastTransitionTime moves only when the status changes.
void set_condition(api::HorizontalPodAutoscalerStatus& status, const ConditionUpdate& c, TimePoint now) {
  for (auto& existing : status.conditions) {
    if (existing.type != c.type) continue;
    if (existing.status != c.status) existing.last_transition_time = api::Time{now};
    existing.status = c.status;
    existing.reason = c.reason;
    existing.message = c.message;
    return;
  }
  status.conditions.push_back({c.type, c.status, api::Time{now}, c.reason, c.message});
}

/// The registered scalable kind `ref` names (its group from apiVersion; the version is free).
const api::TypeInfo* target_type(const api::CrossVersionObjectReference& ref) {
  const auto slash = ref.api_version.find('/');
  const std::string group = slash == std::string::npos ? "" : ref.api_version.substr(0, slash);
  for (const auto* t : api::Registry::builtin().all())
    if (t->kind == ref.kind && t->group == group && client::scalable(*t)) return t;
  return nullptr;
}

std::string metric_failure_message(const std::string& error) {
  return "the HPA was unable to compute the replica count: " + error;
}

class HpaController : public std::enable_shared_from_this<HpaController> {
 public:
  HpaController(caf::event_based_actor* self, const Context& ctx, int workers, HpaOptions options,
                caf::actor metrics_server)
      : loop_(self, ctx, "horizontalpodautoscaling", workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, "horizontal-pod-autoscaler"),
        options_(options),
        metrics_server_(std::move(metrics_server)) {}

  caf::behavior start() {
    hpas_ = loop_.watch(Hpa::static_type(), [this](const client::InformerEvent& e) { on_hpa(e); }).cache;
    pods_ = loop_.watch(api::Pod::static_type(), [](const client::InformerEvent&) {}).cache;
    loop_.every(options_.sync_period, [this] {
      for (const auto& o : hpas_->list()) loop_.enqueue(api::object_key(*o));
    });
    return loop_.run(shared_from_this());
  }

 private:
  /// One reconciliation in flight: the HPA as read, and the status being built.
  struct Sync {
    HpaPtr hpa;
    Hpa next;
    const api::TypeInfo* target = nullptr;
    client::Scale scale;
    ControllerLoop::Finish finish;
  };
  using SyncPtr = std::shared_ptr<Sync>;

  /// `f` for a continuation of sync `s`: one that throws fails the sync
  /// (ControllerLoop::continuation) instead of leaving its key in flight.
  template <class F>
  auto finishing_on_throw(const SyncPtr& s, F f) {
    return loop_.continuation(api::object_key(*s->hpa), s->finish, std::move(f));
  }

  void on_hpa(const client::InformerEvent& e) {
    using Type = client::InformerEvent::Type;
    const auto key = api::object_key(*e.object);
    if (e.type == Type::deleted) {
      states_.erase(key);
      return;
    }
    // Status writes (ours) wait for the next period; a new HPA or a new spec is acted on now.
    if (e.type == Type::updated &&
        static_cast<const Hpa&>(*e.old).spec == static_cast<const Hpa&>(*e.object).spec)
      return;
    loop_.enqueue(key);
  }

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto hpa = api::as<Hpa>(hpas_->get(key));
    if (!hpa) {
      states_.erase(key);
      return finish(std::nullopt);
    }
    auto s = std::make_shared<Sync>();
    s->hpa = hpa;
    s->next = *hpa;
    s->finish = std::move(finish);
    const auto& ref = hpa->spec.scale_target_ref;
    s->target = target_type(ref);
    if (!s->target) {
      const auto slash = ref.api_version.find('/');
      const std::string group = slash == std::string::npos ? "" : ref.api_version.substr(0, slash);
      return failed_get_scale(s, "no matches for kind \"" + ref.kind + "\" in group \"" + group + "\"");
    }
    client_.call(
        client::request_for(apiserver::Verb::get, *s->target, hpa->metadata.namespace_, ref.name),
        finishing_on_throw(s, [this, s](apiserver::Response& r) {
          if (r.error) return failed_get_scale(s, r.error->message);
          s->scale = client::scale_of(*r.object).value_or(client::Scale{});
          reconcile(s);
        }));
  }

  void failed_get_scale(const SyncPtr& s, const std::string& error) {
    events_.record(*s->hpa, "Warning", "FailedGetScale", error);
    set(s, {"AbleToScale", "False", "FailedGetScale",
            "the HPA controller was unable to get the target's current scale: " + error});
    write_status(s);
  }

  void reconcile(const SyncPtr& s) {
    const auto key = api::object_key(*s->hpa);
    const auto now = loop_.clock().now();
    set(s, {"AbleToScale", "True", "SucceededGetScale",
            "the HPA controller was able to get the target's current scale"});
    const int32_t current = s->scale.spec_replicas;
    hpa::record_initial_recommendation(states_[key], current, now);
    const auto& spec = s->hpa->spec;
    const int32_t min = spec.min_replicas.value_or(1);
    if (current == 0 && min != 0) {
      set(s, {"ScalingActive", "False", "ScalingDisabled",
              "scaling is disabled since the replica count of the target is zero"});
      return finish(s, current, current, {}, false);
    }
    if (current > spec.max_replicas)
      return rescale(s, current, spec.max_replicas, {}, "Current number of replicas above Spec.MaxReplicas");
    if (current < min)
      return rescale(s, current, min, {}, "Current number of replicas below Spec.MinReplicas");
    if (s->scale.selector.empty()) {
      events_.record(*s->hpa, "Warning", "SelectorRequired", "selector is required");
      set(s, {"ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector"});
      return finish(s, current, current, {}, false);
    }
    auto selector = api::labels::Selector::parse(s->scale.selector);
    if (!selector) {
      const auto msg = "couldn't convert selector into a corresponding internal selector object: " +
                       selector.error().message;
      events_.record(*s->hpa, "Warning", "InvalidSelector", msg);
      set(s, {"ScalingActive", "False", "InvalidSelector", msg});
      return finish(s, current, current, {}, false);
    }
    fetch_metrics(s, [this, s, sel = *selector](const metrics::MetricsAnswer& answer) {
      compute(s, sel, answer);
    });
  }

  /// Asks the metrics server for the pods of the target's namespace that match its selector.
  template <class Then>
  void fetch_metrics(const SyncPtr& s, Then then) {
    metrics::MetricsQuery q;
    q.resource = metrics::MetricsQuery::Resource::pods;
    q.namespace_ = s->hpa->metadata.namespace_;
    q.label_selector = s->scale.selector;
    auto unavailable = [] {
      metrics::MetricsAnswer a;
      a.error = api::service_unavailable(
          "unable to fetch metrics from resource metrics API: the server is "
          "currently unable to handle the request (get pods.metrics.k8s.io)");
      return a;
    };
    if (!metrics_server_) return then(unavailable());
    auto answered = finishing_on_throw(s, [then](const metrics::MetricsAnswer& a) { then(a); });
    auto log = actors::logger("controller");
    auto& meter = actors::busy_meter("controller:" + loop_.name());
    loop_.self()
        ->request(metrics_server_, std::chrono::seconds(10), metrics::metrics_query_atom::value,
                  std::move(q))
        .then(actors::guard_callback(log, meter,
                                     [answered](metrics::MetricsAnswer& a) { answered(a); }),
              actors::guard_callback(
                  log, meter, [answered, unavailable](caf::error&) { answered(unavailable()); }));
  }

  MetricOutcome compute_metric(const api::MetricSpec& m, int32_t spec_replicas,
                               const std::vector<const api::Pod*>& pods,
                               const metrics::MetricsAnswer& answer) {
    MetricOutcome out;
    auto fail = [&](std::string reason, std::string inner, std::string outer) {
      out.failure = ConditionUpdate{"ScalingActive", "False", std::move(reason), metric_failure_message(inner)};
      out.error = std::move(outer);
      // The event carries the inner error, as upstream's getUnableComputeReplicaCountCondition.
      out.name = std::move(inner);
      return out;
    };
    const bool container = m.type == "ContainerResource" && m.container_resource;
    if ((m.type != "Resource" || !m.resource) && !container) {
      const std::string reason = m.type == "Pods"       ? "FailedGetPodsMetric"
                                 : m.type == "Object"   ? "FailedGetObjectMetric"
                                 : m.type == "External" ? "FailedGetExternalMetric"
                                                        : "InvalidMetricSourceType";
      const std::string err = "unable to get " + m.type +
                              " metric: kactor serves no custom.metrics.k8s.io or "
                              "external.metrics.k8s.io API";
      return fail(reason, err, err);
    }
    const auto& name = container ? m.container_resource->name : m.resource->name;
    const auto& target = container ? m.container_resource->target : m.resource->target;
    const std::string cname = container ? m.container_resource->container : "";
    const std::string reason = container ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
    const std::string kind = container ? " container resource" : " resource";
    auto metrics_error = [&](const std::string& e) { return "unable to get metrics for resource " + name + ": " + e; };
    if (answer.error) {
      const auto e = metrics_error(answer.error->message);
      return fail(reason, e, "failed to get " + name + " utilization: " + e);
    }
    auto samples = hpa::resource_metric(answer.pods, name, cname);
    if (!samples) {
      const auto e = metrics_error(samples.error());
      return fail(reason, e, "failed to get " + name + " utilization: " + e);
    }
    hpa::ReplicaCalculator calc({options_.tolerance, options_.cpu_initialization_period,
                                 options_.initial_readiness_delay},
                                loop_.clock().now());
    api::MetricValueStatus current;
    if (target.average_utilization) {
      auto r = calc.utilization_replicas(spec_replicas, *target.average_utilization, name, pods,
                                         std::move(*samples), cname);
      if (!r) return fail(reason, r.error(), "failed to get " + name + " utilization: " + r.error());
      out.replicas = r->replicas;
      current.average_utilization = r->utilization;
      current.average_value = api::Quantity::from_milli(r->raw_average_milli, api::Quantity::Format::DecimalSI);
      out.name = name + kind + " utilization (percentage of request)";
    } else if (target.average_value) {
      auto r = calc.average_value_replicas(spec_replicas, target.average_value->milli_value(), name, pods,
                                           std::move(*samples));
      if (!r) return fail(reason, r.error(), "failed to get " + name + " usage: " + r.error());
      out.replicas = r->replicas;
      current.average_value = api::Quantity::from_milli(r->average_milli, api::Quantity::Format::DecimalSI);
      out.name = name + kind;
    } else {
      const std::string e = "invalid resource metric source: neither a utilization target nor a value target was set";
      return fail(reason, e, e);
    }
    out.status.type = m.type;
    if (container) out.status.container_resource = api::ContainerResourceMetricStatus{name, current, cname};
    else out.status.resource = api::ResourceMetricStatus{name, current};
    return out;
  }

  void compute(const SyncPtr& s, const api::labels::Selector& selector, const metrics::MetricsAnswer& answer) {
    const auto& spec = s->hpa->spec;
    const int32_t current = s->scale.spec_replicas;
    // `held` keeps the pods alive while the calculator reads them.
    const auto held = pods_->by_index(client::kNamespaceIndex, s->hpa->metadata.namespace_);
    std::vector<const api::Pod*> pods;
    for (const auto& o : held)
      if (selector.matches(o->metadata.labels)) pods.push_back(static_cast<const api::Pod*>(o.get()));
    std::vector<api::MetricStatus> statuses(spec.metrics.size());
    int32_t replicas = 0;
    std::string metric;
    size_t invalid = 0;
    const MetricOutcome* first_invalid = nullptr;
    std::vector<MetricOutcome> outcomes;
    outcomes.reserve(spec.metrics.size());
    for (size_t i = 0; i < spec.metrics.size(); ++i) {
      outcomes.push_back(compute_metric(spec.metrics[i], current, pods, answer));
      auto& o = outcomes.back();
      if (o.failure) {
        events_.record(*s->hpa, "Warning", o.failure->reason, o.name);
        if (!first_invalid) first_invalid = &o;
        ++invalid;
        continue;
      }
      statuses[i] = o.status;
      if (replicas == 0 || o.replicas > replicas) {
        replicas = o.replicas;
        metric = o.name;
      }
    }
    // All metrics failed, or some did and the rest would scale down: do nothing (upstream
    // will not scale down on partial information).
    if (first_invalid && (invalid >= spec.metrics.size() || replicas < current)) {
      set(s, *first_invalid->failure);
      const auto error = "invalid metrics (" + std::to_string(invalid) + " invalid out of " +
                         std::to_string(spec.metrics.size()) + "), first error is: " + first_invalid->error;
      events_.record(*s->hpa, "Warning", "FailedComputeMetricsReplicas", error);
      return finish(s, current, s->hpa->status.desired_replicas, statuses, false, /*keep_desired=*/true);
    }
    set(s, {"ScalingActive", "True", "ValidMetricFound",
            "the HPA was able to successfully calculate a replica count from " + metric});
    std::string reason;
    if (replicas > current) reason = metric + " above target";
    if (replicas < current) reason = "All metrics below target";
    auto& state = states_[api::object_key(*s->hpa)];
    const auto now = loop_.clock().now();
    const int32_t min = spec.min_replicas.value_or(1);
    const auto normalized =
        spec.behavior ? hpa::normalize_with_behavior(state, *spec.behavior, current, replicas, min,
                                                     spec.max_replicas, options_.downscale_stabilization, now)
                      : hpa::normalize(state, current, replicas, min, spec.max_replicas,
                                       options_.downscale_stabilization, now);
    for (const auto& c : normalized.conditions) set(s, c);
    if (normalized.replicas == current) return finish(s, current, current, statuses, false);
    rescale(s, current, normalized.replicas, statuses, reason);
  }

  void rescale(const SyncPtr& s, int32_t current, int32_t desired, std::vector<api::MetricStatus> statuses,
               std::string reason) {
    const auto& hpa = *s->hpa;
    client_.call(client::scale_update(*s->target, hpa.metadata.namespace_,
                                      hpa.spec.scale_target_ref.name, desired),
                 finishing_on_throw(s, [this, s, current, desired, statuses = std::move(statuses),
                                        reason](apiserver::Response& r) {
                   if (r.error) {
                     events_.record(*s->hpa, "Warning", "FailedRescale",
                                    "New size: " + std::to_string(desired) + "; reason: " + reason +
                                        "; error: " + r.error->message);
                     set(s, {"AbleToScale", "False", "FailedUpdateScale",
                             "the HPA controller was unable to update the target scale: " + r.error->message});
                     return finish(s, current, s->hpa->status.desired_replicas, statuses, false, true);
                   }
                   set(s, {"AbleToScale", "True", "SucceededRescale",
                           "the HPA controller was able to update the target scale to " + std::to_string(desired)});
                   events_.record(*s->hpa, "Normal", "SuccessfulRescale",
                                  "New size: " + std::to_string(desired) + "; reason: " + reason);
                   if (s->hpa->spec.behavior)
                     hpa::record_scale_event(states_[api::object_key(*s->hpa)], *s->hpa->spec.behavior,
                                             current, desired, loop_.clock().now());
                   finish(s, current, desired, statuses, true);
                 }));
  }

  /// upstream setStatus: the counts and metrics of this sync; lastScaleTime when it rescaled.
  void finish(const SyncPtr& s, int32_t current, int32_t desired, std::vector<api::MetricStatus> statuses,
              bool rescaled, bool keep_desired = false) {
    auto& st = s->next.status;
    st.current_replicas = current;
    if (!keep_desired) st.desired_replicas = desired;
    st.current_metrics = std::move(statuses);
    if (rescaled) st.last_scale_time = api::Time{loop_.clock().now()};
    write_status(s);
  }

  void set(const SyncPtr& s, const ConditionUpdate& c) {
    set_condition(s->next.status, c, loop_.clock().now());
  }

  void write_status(const SyncPtr& s) {
    // The spec this status answers (upstream leaves the field unset; clients waiting for
    // a changed HPA to be acted on need it, as for other kinds).
    s->next.status.observed_generation = s->hpa->metadata.generation;
    if (s->next.status == s->hpa->status) return s->finish(std::nullopt);
    client_.update_status<Hpa>(s->next, [s](api::Result<HpaPtr> r) {
      // NotFound: the HPA went meanwhile. Conflict: retried with the fresh object.
      if (r || api::is_not_found(r.error())) return s->finish(std::nullopt);
      s->finish(r.error());
    });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  HpaOptions options_;
  caf::actor metrics_server_;
  std::shared_ptr<const client::Cache> hpas_;
  std::shared_ptr<const client::Cache> pods_;
  std::unordered_map<std::string, hpa::BehaviorState> states_;
};

}  // namespace

api::Result<caf::actor> spawn_hpa_controller(const Context& ctx, const ControllerManagerOptions& opts) {
  const auto& o = opts.hpa;
  if (o.sync_period <= Duration::zero())
    return api::fail(api::bad_request("horizontalpodautoscaling: the sync period must be positive"));
  if (o.tolerance < 0)
    return api::fail(api::bad_request("horizontalpodautoscaling: the tolerance must not be negative"));
  if (o.cpu_initialization_period < Duration::zero() || o.initial_readiness_delay < Duration::zero() ||
      o.downscale_stabilization < Duration::zero())
    return api::fail(api::bad_request("horizontalpodautoscaling: periods must not be negative"));
  return spawn_controller<HpaController>(ctx, opts.workers, o, opts.metrics_server);
}

}  // namespace kactor::actors::controllers
