// Field tables of apimachinery's meta/v1 messages (k8s.io/apimachinery/pkg/apis/meta/v1/
// generated.proto).
#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

namespace {

const Message& owner_reference() {
  static constexpr Field fields[] = {
      value(1, "kind", Type::string),          value(3, "name", Type::string),
      value(4, "uid", Type::string),           value(5, "apiVersion", Type::string),
      pointer(6, "controller", Type::boolean), pointer(7, "blockOwnerDeletion", Type::boolean),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference", fields};
  return m;
}

const Message& preconditions() {
  static constexpr Field fields[] = {
      pointer(1, "uid", Type::string),
      pointer(2, "resourceVersion", Type::string),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions", fields};
  return m;
}

}  // namespace

const Message& label_selector_requirement() {
  static constexpr Field fields[] = {
      value(1, "key", Type::string),
      value(2, "operator", Type::string),
      list(3, "values", Type::string),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
                             fields};
  return m;
}

const Message& object_meta() {
  // managedFields (17) is left out: kubectl's typed commands never send it, and a body that
  // does is refused under fieldValidation=Strict, naming the field number.
  static constexpr Field fields[] = {
      value(1, "name", Type::string),
      value(2, "generateName", Type::string),
      value(3, "namespace", Type::string),
      value(4, "selfLink", Type::string),
      value(5, "uid", Type::string),
      value(6, "resourceVersion", Type::string),
      value(7, "generation", Type::int64),
      value(8, "creationTimestamp", Type::time),
      pointer(9, "deletionTimestamp", Type::time),
      pointer(10, "deletionGracePeriodSeconds", Type::int64),
      map(11, "labels", Type::string),
      map(12, "annotations", Type::string),
      list(13, "ownerReferences", &owner_reference),
      list(14, "finalizers", Type::string),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", fields};
  return m;
}

const Message& label_selector() {
  static constexpr Field fields[] = {
      map(1, "matchLabels", Type::string),
      list(2, "matchExpressions", &label_selector_requirement),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector", fields};
  return m;
}

const Message& condition() {
  static constexpr Field fields[] = {
      value(1, "type", Type::string),
      value(2, "status", Type::string),
      value(3, "observedGeneration", Type::int64),
      value(4, "lastTransitionTime", Type::time),
      value(5, "reason", Type::string),
      value(6, "message", Type::string),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.apis.meta.v1.Condition", fields};
  return m;
}

const Message& delete_options() {
  static constexpr Field fields[] = {
      pointer(1, "gracePeriodSeconds", Type::int64),
      nested(2, "preconditions", &preconditions),
      pointer(3, "orphanDependents", Type::boolean),
      pointer(4, "propagationPolicy", Type::string),
      list(5, "dryRun", Type::string),
      pointer(6, "ignoreStoreReadErrorWithClusterBreakingPotential", Type::boolean),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions", fields};
  return m;
}

}  // namespace kactor::http::protobuf::detail
