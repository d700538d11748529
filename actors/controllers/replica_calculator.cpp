#include "actors/controllers/replica_calculator.hpp"

#include <cmath>
#include <set>

namespace kactor::actors::controllers::hpa {

namespace {

/// The pods sorted by how they count (upstream groupPods).
struct PodGroups {
  int ready = 0;
  std::set<std::string> unready, missing, ignored;
};

const api::PodCondition* ready_condition(const api::Pod& pod) {
  for (const auto& c : pod.status.conditions)
    if (c.type == "Ready") return &c;
  return nullptr;
}

PodGroups group_pods(const std::vector<const api::Pod*>& pods, const PodMetricsInfo& metrics,
                     const std::string& resource, const CalculatorOptions& o, TimePoint now) {
  PodGroups g;
  for (const auto* pod : pods) {
    const auto& name = pod->metadata.name;
    if (pod->metadata.deletion_timestamp || pod->status.phase == "Failed") {
      g.ignored.insert(name);
      continue;
    }
    if (pod->status.phase == "Pending") {
      g.unready.insert(name);
      continue;
    }
    auto metric = metrics.find(name);
    if (metric == metrics.end()) {
      g.missing.insert(name);
      continue;
    }
    if (resource == "cpu") {
      // A cpu sample taken while the pod was starting says little about its load.
      const auto* cond = ready_condition(*pod);
      bool unready;
      if (!cond || !pod->status.start_time.is_set()) {
        unready = true;
      } else if (pod->status.start_time.value + o.cpu_initialization_period > now) {
        unready = cond->status == "False" ||
                  metric->second.timestamp < cond->last_transition_time.value + metric->second.window;
      } else {
        unready = cond->status == "False" &&
                  pod->status.start_time.value + o.initial_readiness_delay > cond->last_transition_time.value;
      }
      if (unready) {
        g.unready.insert(name);
        continue;
      }
    }
    ++g.ready;
  }
  return g;
}

void remove_metrics(PodMetricsInfo& metrics, const std::set<std::string>& names) {
  for (const auto& n : names) metrics.erase(n);
}

/// Per pod: the sum of the counted containers' requests of `resource` (thousandths).
Outcome<std::map<std::string, int64_t>> pod_requests(const std::vector<const api::Pod*>& pods,
                                                     const std::string& resource,
                                                     const std::string& container) {
  std::map<std::string, int64_t> out;
  for (const auto* pod : pods) {
    int64_t sum = 0;
    std::vector<const api::Container*> containers;
    for (const auto& c : pod->spec.containers) containers.push_back(&c);
    // Sidecars (restartable init containers) run beside the others and count as they do.
    for (const auto& c : pod->spec.init_containers)
      if (c.restart_policy && *c.restart_policy == "Always") containers.push_back(&c);
    for (const auto* c : containers) {
      if (!container.empty() && c->name != container) continue;
      auto it = c->resources.requests.find(resource);
      if (it == c->resources.requests.end())
        return std::unexpected("missing request for " + resource + " in container " + c->name +
                               " of Pod " + pod->metadata.name);
      sum += it->second.milli_value();
    }
    out[pod->metadata.name] = sum;
  }
  return out;
}

struct UtilizationRatio {
  double ratio = 0;
  int32_t utilization = 0;
  int64_t raw_average = 0;
};

/// upstream GetResourceUtilizationRatio: the utilization is integral before the ratio is taken.
Outcome<UtilizationRatio> utilization_ratio(const PodMetricsInfo& metrics,
                                            const std::map<std::string, int64_t>& requests,
                                            int32_t target) {
  int64_t used = 0, requested = 0, entries = 0;
  for (const auto& [pod, m] : metrics) {
    auto r = requests.find(pod);
    if (r == requests.end()) continue;
    used += m.milli_value;
    requested += r->second;
    ++entries;
  }
  if (requested == 0) return std::unexpected("no metrics returned matched known pods");
  const auto utilization = static_cast<int32_t>(used * 100 / requested);
  return UtilizationRatio{static_cast<double>(utilization) / target, utilization, used / entries};
}

/// upstream GetMetricUsageRatio: the average use over the pods, against the target.
std::pair<double, int64_t> usage_ratio(const PodMetricsInfo& metrics, int64_t target) {
  int64_t total = 0;
  for (const auto& [pod, m] : metrics) total += m.milli_value;
  const int64_t average = metrics.empty() ? 0 : total / static_cast<int64_t>(metrics.size());
  return {static_cast<double>(average) / static_cast<double>(target), average};
}

/// The part both targets share once the pods are grouped: `ratio_of` recomputes the ratio
/// over `metrics`, `missing_fill` is what a missing pod is assumed to use on a scale-down.
template <class RatioOf, class FillOf>
int32_t replicas_with_assumptions(int32_t current, double ratio, const PodGroups& g,
                                  PodMetricsInfo& metrics, double tolerance, RatioOf ratio_of,
                                  FillOf missing_fill) {
  const bool up_with_unready = !g.unready.empty() && ratio > 1.0;
  if (!up_with_unready && g.missing.empty()) {
    if (std::abs(1.0 - ratio) <= tolerance) return current;
    return static_cast<int32_t>(std::ceil(ratio * g.ready));
  }
  if (!g.missing.empty()) {
    for (const auto& name : g.missing) {
      if (ratio < 1.0) metrics[name] = PodMetric{missing_fill(name)};
      else if (ratio > 1.0) metrics[name] = PodMetric{0};
    }
  }
  if (up_with_unready)
    for (const auto& name : g.unready) metrics[name] = PodMetric{0};
  const double new_ratio = ratio_of(metrics);
  if (std::abs(1.0 - new_ratio) <= tolerance || (ratio < 1.0 && new_ratio > 1.0) ||
      (ratio > 1.0 && new_ratio < 1.0))
    return current;  // too small a change, or the assumptions turned the direction round
  const auto replicas = static_cast<int32_t>(std::ceil(new_ratio * static_cast<double>(metrics.size())));
  if ((new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current))
    return current;
  return replicas;
}

}  // namespace

Outcome<PodMetricsInfo> resource_metric(const std::vector<metrics::PodMetrics>& pods,
                                        const std::string& resource, const std::string& container) {
  if (pods.empty()) return std::unexpected("no metrics returned from resource metrics API");
  PodMetricsInfo out;
  for (const auto& p : pods) {
    int64_t sum = 0;
    bool missing = false, counted = false;
    for (const auto& c : p.containers) {
      if (!container.empty() && c.name != container) continue;
      auto it = c.usage.find(resource);
      if (it == c.usage.end()) {
        missing = true;
        break;
      }
      sum += it->second.milli_value();
      counted = true;
    }
    if (!missing && counted) out[p.name] = PodMetric{sum, p.timestamp, p.window};
  }
  return out;
}

Outcome<UtilizationReplicas> ReplicaCalculator::utilization_replicas(
    int32_t current, int32_t target, const std::string& resource,
    const std::vector<const api::Pod*>& pods, PodMetricsInfo metrics,
    const std::string& container) const {
  if (pods.empty()) return std::unexpected("no pods returned by selector while calculating replica count");
  const auto g = group_pods(pods, metrics, resource, options_, now_);
  remove_metrics(metrics, g.ignored);
  remove_metrics(metrics, g.unready);
  if (metrics.empty())
    return std::unexpected("did not receive metrics for targeted pods (pods might be unready)");
  auto requests = pod_requests(pods, resource, container);
  if (!requests) return std::unexpected(requests.error());
  auto first = utilization_ratio(metrics, *requests, target);
  if (!first) return std::unexpected(first.error());
  auto ratio_of = [&](const PodMetricsInfo& m) {
    auto r = utilization_ratio(m, *requests, target);
    return r ? r->ratio : first->ratio;
  };
  // Missing pods on a scale-down: their whole request, or the target when it is above 100 %.
  auto fill = [&](const std::string& pod) {
    return requests->at(pod) * std::max<int64_t>(100, target) / 100;
  };
  const auto replicas =
      replicas_with_assumptions(current, first->ratio, g, metrics, options_.tolerance, ratio_of, fill);
  return UtilizationReplicas{replicas, first->utilization, first->raw_average};
}

Outcome<AverageValueReplicas> ReplicaCalculator::average_value_replicas(
    int32_t current, int64_t target_milli, const std::string& resource,
    const std::vector<const api::Pod*>& pods, PodMetricsInfo metrics) const {
  if (pods.empty()) return std::unexpected("no pods returned by selector while calculating replica count");
  const auto g = group_pods(pods, metrics, resource, options_, now_);
  remove_metrics(metrics, g.ignored);
  remove_metrics(metrics, g.unready);
  if (metrics.empty())
    return std::unexpected("did not receive metrics for targeted pods (pods might be unready)");
  const auto [ratio, average] = usage_ratio(metrics, target_milli);
  auto ratio_of = [&](const PodMetricsInfo& m) { return usage_ratio(m, target_milli).first; };
  auto fill = [&](const std::string&) { return target_milli; };
  const auto replicas =
      replicas_with_assumptions(current, ratio, g, metrics, options_.tolerance, ratio_of, fill);
  return AverageValueReplicas{replicas, average};
}

}  // namespace kactor::actors::controllers::hpa
