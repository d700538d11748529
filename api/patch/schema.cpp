#include "api/patch/detail/schema.hpp"

#include <array>

namespace kactor::api::patch::schema {
namespace {

struct KindRoot {
  std::string_view kind;
  std::string_view type;
};

/// Kind -> schema type of the whole object. Types named after upstream Go structs; "Workload"
/// stands for every controller whose spec carries a pod `template` and whose status carries
/// `conditions` keyed by type (ReplicationController, ReplicaSet, Deployment, StatefulSet,
/// DaemonSet, Job), "Conditioned" for kinds whose only keyed list is `status.conditions`.
constexpr std::array kKindRoots{
    KindRoot{"Pod", "Pod"},
    KindRoot{"PodTemplate", "PodTemplate"},
    KindRoot{"ReplicationController", "Workload"},
    KindRoot{"ReplicaSet", "Workload"},
    KindRoot{"Deployment", "Workload"},
    KindRoot{"StatefulSet", "Workload"},
    KindRoot{"DaemonSet", "Workload"},
    KindRoot{"Job", "Workload"},
    KindRoot{"CronJob", "CronJob"},
    KindRoot{"Service", "Service"},
    KindRoot{"Node", "Node"},
    KindRoot{"Namespace", "Conditioned"},
    KindRoot{"PersistentVolumeClaim", "Conditioned"},
};

struct Row {
  std::string_view type;
  std::string_view field;
  FieldMeta meta;
};

constexpr FieldMeta object(std::string_view type) {
  return {ListStrategy::replace, {}, type};
}
constexpr FieldMeta keyed(std::string_view key, std::string_view type = {}) {
  return {ListStrategy::merge, key, type};
}
constexpr FieldMeta set_of_scalars() {
  return {ListStrategy::merge, {}, {}};
}

/// (type, field) -> strategy. Facts from the struct tags of k8s.io/api/core/v1/types.go and
/// k8s.io/apimachinery/pkg/apis/meta/v1/types.go. Every list not listed here (tolerations,
/// envFrom, args, command, taints, Endpoints subsets, LimitRange limits, ...) is replaced whole.
/// To extend: add the field's row, and rows for the new type's own fields if it has any.
constexpr std::array kRows{
    // Object shapes (kinds).
    Row{"Object", "metadata", object("ObjectMeta")},
    Row{"Pod", "metadata", object("ObjectMeta")},
    Row{"Pod", "spec", object("PodSpec")},
    Row{"Pod", "status", object("PodStatus")},
    Row{"PodTemplate", "metadata", object("ObjectMeta")},
    Row{"PodTemplate", "template", object("PodTemplateSpec")},
    Row{"Workload", "metadata", object("ObjectMeta")},
    Row{"Workload", "spec", object("WorkloadSpec")},
    Row{"Workload", "status", object("ConditionedStatus")},
    Row{"WorkloadSpec", "template", object("PodTemplateSpec")},
    Row{"CronJob", "metadata", object("ObjectMeta")},
    Row{"CronJob", "spec", object("CronJobSpec")},
    Row{"CronJobSpec", "jobTemplate", object("JobTemplateSpec")},
    Row{"JobTemplateSpec", "metadata", object("ObjectMeta")},
    Row{"JobTemplateSpec", "spec", object("WorkloadSpec")},
    Row{"Service", "metadata", object("ObjectMeta")},
    Row{"Service", "spec", object("ServiceSpec")},
    Row{"Service", "status", object("ConditionedStatus")},
    Row{"Node", "metadata", object("ObjectMeta")},
    Row{"Node", "spec", object("NodeSpec")},
    Row{"Node", "status", object("NodeStatus")},
    Row{"Conditioned", "metadata", object("ObjectMeta")},
    Row{"Conditioned", "status", object("ConditionedStatus")},
    Row{"PodTemplateSpec", "metadata", object("ObjectMeta")},
    Row{"PodTemplateSpec", "spec", object("PodSpec")},

    // metav1.ObjectMeta
    Row{"ObjectMeta", "finalizers", set_of_scalars()},
    Row{"ObjectMeta", "ownerReferences", keyed("uid")},

    // core/v1 PodSpec
    Row{"PodSpec", "volumes", keyed("name")},  // "merge,retainKeys"
    Row{"PodSpec", "initContainers", keyed("name", "Container")},
    Row{"PodSpec", "containers", keyed("name", "Container")},
    Row{"PodSpec", "ephemeralContainers", keyed("name", "Container")},
    Row{"PodSpec", "imagePullSecrets", keyed("name")},
    Row{"PodSpec", "hostAliases", keyed("ip")},
    Row{"PodSpec", "topologySpreadConstraints", keyed("topologyKey")},
    Row{"PodSpec", "schedulingGates", keyed("name")},
    Row{"PodSpec", "resourceClaims", keyed("name")},  // "merge,retainKeys"

    // core/v1 Container (and EphemeralContainerCommon, same tags)
    Row{"Container", "ports", keyed("containerPort")},
    Row{"Container", "env", keyed("name")},
    Row{"Container", "volumeMounts", keyed("mountPath")},
    Row{"Container", "volumeDevices", keyed("devicePath")},

    // core/v1 PodStatus
    Row{"PodStatus", "conditions", keyed("type")},
    Row{"PodStatus", "podIPs", keyed("ip")},
    Row{"PodStatus", "hostIPs", keyed("ip")},
    Row{"PodStatus", "resourceClaimStatuses", keyed("name")},  // "merge,retainKeys"

    // core/v1 ServiceSpec
    Row{"ServiceSpec", "ports", keyed("port")},

    // core/v1 NodeSpec / NodeStatus
    Row{"NodeSpec", "podCIDRs", set_of_scalars()},
    Row{"NodeStatus", "conditions", keyed("type")},
    Row{"NodeStatus", "addresses", keyed("type")},

    // Status types whose conditions merge by type: ReplicationControllerStatus, apps/v1
    // Deployment/ReplicaSet/StatefulSet/DaemonSet status, batch/v1 JobStatus, ServiceStatus,
    // NamespaceStatus, PersistentVolumeClaimStatus.
    Row{"ConditionedStatus", "conditions", keyed("type")},
};

}  // namespace

std::string_view root_type(std::string_view kind) {
  for (const auto& root : kKindRoots) {
    if (root.kind == kind) return root.type;
  }
  return "Object";
}

FieldMeta lookup(std::string_view type, std::string_view field) {
  if (type.empty()) return {};
  for (const auto& row : kRows) {
    if (row.type == type && row.field == field) return row.meta;
  }
  return {};
}

}  // namespace kactor::api::patch::schema
