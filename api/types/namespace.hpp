// Namespace: a scope for names, deleted gracefully (Terminating) with its content.
#pragma once

#include "api/object.hpp"

namespace kactor::api {

struct NamespaceSpec {
  std::vector<std::string> finalizers;  // "kubernetes" until the namespace controller is done
  bool operator==(const NamespaceSpec&) const = default;
};
template <class V>
void describe(V& v, NamespaceSpec& x) {
  v("finalizers", x.finalizers);
}

struct NamespaceCondition {
  std::string type;
  std::string status;
  Time last_transition_time;
  std::string reason;
  std::string message;
  bool operator==(const NamespaceCondition&) const = default;
};
template <class V>
void describe(V& v, NamespaceCondition& x) {
  v("type", x.type, keep_zero);
  v("status", x.status, keep_zero);
  v("lastTransitionTime", x.last_transition_time);
  v("reason", x.reason);
  v("message", x.message);
}

struct NamespaceStatus {
  std::string phase;  // Active, Terminating
  std::vector<NamespaceCondition> conditions;
  bool operator==(const NamespaceStatus&) const = default;
};
template <class V>
void describe(V& v, NamespaceStatus& x) {
  v("phase", x.phase);
  v("conditions", x.conditions);
}

struct Namespace : ObjectBase<Namespace> {
  NamespaceSpec spec;
  NamespaceStatus status;
  static const TypeInfo& static_type();
  bool operator==(const Namespace&) const = default;
};
template <class V>
void describe(V& v, Namespace& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

/// Selectable fields: status.phase.
std::optional<std::string> field_value(const Namespace& n, std::string_view field);

}  // namespace kactor::api
