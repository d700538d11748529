#include "api/conversion/autoscaling_v1.hpp"

#include <nlohmann/json.hpp>

namespace kactor::api::conversion {

using nlohmann::json;

namespace {

bool is_cpu_utilization(const json& metric, const char* value_key, const char* utilization_key) {
  if (metric.value("type", "") != "Resource") return false;
  const auto r = metric.find("resource");
  if (r == metric.end() || !r->is_object() || r->value("name", "") != "cpu") return false;
  const auto v = r->find(value_key);
  if (v == r->end() || !v->is_object()) return false;
  // A spec target must say Utilization; a status value only carries the number.
  if (std::string(value_key) == "target" && v->value("type", "") != "Utilization") return false;
  const auto u = v->find(utilization_key);
  return u != v->end() && u->is_number_integer();
}

/// Moves `from[key]` into `annotations[name]` as JSON text (when present and not empty).
void to_annotation(json& annotations, const char* name, const json& value) {
  if (value.is_null() || (value.is_array() && value.empty())) return;
  annotations[name] = value.dump();
}

/// The parsed value of annotation `name` (removed from `annotations`), or null when absent.
Result<json> take_annotation(json& annotations, const char* name, json::value_t expected) {
  if (!annotations.is_object()) return json();
  auto it = annotations.find(name);
  if (it == annotations.end()) return json();
  if (!it->is_string())
    return fail(bad_request(std::string("metadata.annotations[") + name + "]: must be a string"));
  auto parsed = json::parse(it->get<std::string>(), nullptr, false);
  if (parsed.is_discarded() || parsed.type() != expected)
    return fail(bad_request(std::string("metadata.annotations[") + name + "]: must be the JSON " +
                            (expected == json::value_t::array ? "array" : "object") +
                            " of the autoscaling/v2 field"));
  annotations.erase(it);
  return parsed;
}

}  // namespace

Result<void> hpa_v1_to_v2(json& doc) {
  doc["apiVersion"] = "autoscaling/v2";
  json& meta = doc["metadata"];
  if (!meta.is_object()) meta = json::object();
  json annotations = meta.value("annotations", json::object());
  auto metrics = take_annotation(annotations, kMetricsAnnotation, json::value_t::array);
  if (!metrics) return fail(metrics.error());
  auto behavior = take_annotation(annotations, kBehaviorAnnotation, json::value_t::object);
  if (!behavior) return fail(behavior.error());
  auto conditions = take_annotation(annotations, kConditionsAnnotation, json::value_t::array);
  if (!conditions) return fail(conditions.error());
  auto current = take_annotation(annotations, kCurrentMetricsAnnotation, json::value_t::array);
  if (!current) return fail(current.error());
  if (meta.contains("annotations")) {
    if (annotations.empty()) meta.erase("annotations");
    else meta["annotations"] = annotations;
  }

  if (auto s = doc.find("spec"); s != doc.end() && s->is_object()) {
    json& spec = *s;
    json all = json::array();
    if (auto t = spec.find("targetCPUUtilizationPercentage"); t != spec.end()) {
      if (!t->is_null())
        all.push_back({{"type", "Resource"},
                       {"resource", {{"name", "cpu"},
                                     {"target", {{"type", "Utilization"}, {"averageUtilization", *t}}}}}});
      spec.erase(t);
    }
    if (metrics->is_array())
      for (auto& m : *metrics) all.push_back(std::move(m));
    if (!all.empty()) spec["metrics"] = std::move(all);
    if (behavior->is_object()) spec["behavior"] = std::move(*behavior);
  }
  if (auto s = doc.find("status"); s != doc.end() && s->is_object()) {
    json& status = *s;
    json all = json::array();
    if (auto c = status.find("currentCPUUtilizationPercentage"); c != status.end()) {
      if (!c->is_null())
        all.push_back({{"type", "Resource"},
                       {"resource", {{"name", "cpu"}, {"current", {{"averageUtilization", *c}}}}}});
      status.erase(c);
    }
    if (current->is_array())
      for (auto& m : *current) all.push_back(std::move(m));
    if (!all.empty()) status["currentMetrics"] = std::move(all);
    if (conditions->is_array()) status["conditions"] = std::move(*conditions);
  }
  return {};
}

void hpa_v2_to_v1(json& doc) {
  doc["apiVersion"] = "autoscaling/v1";
  json annotations = json::object();
  if (auto s = doc.find("spec"); s != doc.end() && s->is_object()) {
    json& spec = *s;
    json others = json::array();
    bool cpu_done = false;
    for (auto& m : spec.value("metrics", json::array())) {
      if (!cpu_done && is_cpu_utilization(m, "target", "averageUtilization")) {
        spec["targetCPUUtilizationPercentage"] = m["resource"]["target"]["averageUtilization"];
        cpu_done = true;
      } else {
        others.push_back(m);
      }
    }
    spec.erase("metrics");
    to_annotation(annotations, kMetricsAnnotation, others);
    if (auto b = spec.find("behavior"); b != spec.end()) {
      to_annotation(annotations, kBehaviorAnnotation, *b);
      spec.erase(b);
    }
  }
  if (auto s = doc.find("status"); s != doc.end() && s->is_object()) {
    json& status = *s;
    json others = json::array();
    bool cpu_done = false;
    for (auto& m : status.value("currentMetrics", json::array())) {
      if (!cpu_done && is_cpu_utilization(m, "current", "averageUtilization")) {
        status["currentCPUUtilizationPercentage"] = m["resource"]["current"]["averageUtilization"];
        cpu_done = true;
      } else {
        others.push_back(m);
      }
    }
    status.erase("currentMetrics");
    to_annotation(annotations, kCurrentMetricsAnnotation, others);
    if (auto c = status.find("conditions"); c != status.end()) {
      to_annotation(annotations, kConditionsAnnotation, *c);
      status.erase(c);
    }
  }
  if (!annotations.empty()) {
    json& meta = doc["metadata"];
    for (auto it = annotations.begin(); it != annotations.end(); ++it)
      meta["annotations"][it.key()] = it.value();
  }
}

}  // namespace kactor::api::conversion
