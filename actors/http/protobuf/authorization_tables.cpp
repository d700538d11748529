// authorization.k8s.io/v1: the SelfSubjectAccessReview kubectl auth can-i sends and the
// SelfSubjectRulesReview of kubectl auth can-i --list (as protobuf from kubectl 1.32).
#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

namespace {

const Message& field_selector_requirement() {
  static constexpr Field fields[] = {
      value(1, "key", Type::string),
      value(2, "operator", Type::string),
      list(3, "values", Type::string),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.FieldSelectorRequirement", fields};
  return m;
}

const Message& field_selector_attributes() {
  static constexpr Field fields[] = {
      value(1, "rawSelector", Type::string),
      list(2, "requirements", &field_selector_requirement),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.FieldSelectorAttributes", fields};
  return m;
}

const Message& label_selector_attributes() {
  static constexpr Field fields[] = {
      value(1, "rawSelector", Type::string),
      list(2, "requirements", &label_selector_requirement),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.LabelSelectorAttributes", fields};
  return m;
}

const Message& resource_attributes() {
  static constexpr Field fields[] = {
      value(1, "namespace", Type::string),
      value(2, "verb", Type::string),
      value(3, "group", Type::string),
      value(4, "version", Type::string),
      value(5, "resource", Type::string),
      value(6, "subresource", Type::string),
      value(7, "name", Type::string),
      {8, "fieldSelector", Type::message, Label::pointer, &field_selector_attributes},
      {9, "labelSelector", Type::message, Label::pointer, &label_selector_attributes},
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.ResourceAttributes", fields};
  return m;
}

const Message& non_resource_attributes() {
  static constexpr Field fields[] = {
      value(1, "path", Type::string),
      value(2, "verb", Type::string),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.NonResourceAttributes", fields};
  return m;
}

const Message& self_subject_access_review_spec() {
  // Both are Go pointers: present on the wire only when set.
  static constexpr Field fields[] = {
      {1, "resourceAttributes", Type::message, Label::pointer, &resource_attributes},
      {2, "nonResourceAttributes", Type::message, Label::pointer, &non_resource_attributes},
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.SelfSubjectAccessReviewSpec", fields};
  return m;
}

const Message& subject_access_review_status() {
  static constexpr Field fields[] = {
      value(1, "allowed", Type::boolean),
      value(2, "reason", Type::string),
      value(3, "evaluationError", Type::string),
      value(4, "denied", Type::boolean),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.SubjectAccessReviewStatus", fields};
  return m;
}

const Message& self_subject_rules_review_spec() {
  static constexpr Field fields[] = {
      value(1, "namespace", Type::string),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.SelfSubjectRulesReviewSpec", fields};
  return m;
}

const Message& resource_rule() {
  static constexpr Field fields[] = {
      list(1, "verbs", Type::string),
      list(2, "apiGroups", Type::string),
      list(3, "resources", Type::string),
      list(4, "resourceNames", Type::string),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.ResourceRule", fields};
  return m;
}

const Message& non_resource_rule() {
  static constexpr Field fields[] = {
      list(1, "verbs", Type::string),
      list(2, "nonResourceURLs", Type::string),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.NonResourceRule", fields};
  return m;
}

const Message& subject_rules_review_status() {
  static constexpr Field fields[] = {
      list(1, "resourceRules", &resource_rule),
      list(2, "nonResourceRules", &non_resource_rule),
      value(3, "incomplete", Type::boolean),
      value(4, "evaluationError", Type::string),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.SubjectRulesReviewStatus", fields};
  return m;
}

}  // namespace

const Message& self_subject_access_review() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &self_subject_access_review_spec),
      nested(3, "status", &subject_access_review_status),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.SelfSubjectAccessReview", fields};
  return m;
}

const Message& self_subject_rules_review() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &self_subject_rules_review_spec),
      nested(3, "status", &subject_rules_review_status),
  };
  static constexpr Message m{"k8s.io.api.authorization.v1.SelfSubjectRulesReview", fields};
  return m;
}

}  // namespace kactor::http::protobuf::detail
