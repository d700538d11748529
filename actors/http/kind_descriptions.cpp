#include "actors/http/kind_descriptions.hpp"

namespace kactor::http {
namespace {

struct KindDescription {
  std::string_view group;
  std::string_view kind;
  std::string_view text;
};

constexpr KindDescription kDescriptions[] = {
    {"", "Binding",
     "Binding ties a pod to a node: creating one (pods/binding) is how the scheduler places a "
     "pod. It is never stored."},
    {"", "ConfigMap", "ConfigMap holds configuration data, as strings or bytes, for pods to use."},
    {"", "Endpoints",
     "Endpoints lists the addresses and ports that implement a service: the ready pods its "
     "selector matches."},
    {"", "Event",
     "Event is a report of something that happened to an object, kept for a limited time."},
    {"", "LimitRange",
     "LimitRange sets default, minimum and maximum resource amounts for the pods and containers "
     "of a namespace."},
    {"", "Namespace", "Namespace is a scope for names, and the unit of quota and policy."},
    {"", "Node", "Node is a worker that runs pods; its kubelet reports its status and capacity."},
    {"", "PersistentVolume", "PersistentVolume is a piece of storage provisioned for the cluster."},
    {"", "PersistentVolumeClaim", "PersistentVolumeClaim is a user's request for storage."},
    {"", "Pod",
     "Pod is a group of containers that run together on one node, sharing network and volumes. "
     "It is created by users or controllers, placed by the scheduler and run by the node's "
     "kubelet."},
    {"", "ReplicationController",
     "ReplicationController keeps a number of replicas of a pod template running."},
    {"", "ResourceQuota",
     "ResourceQuota limits the total resources and object counts of a namespace."},
    {"", "Secret", "Secret holds sensitive data, such as passwords, tokens or keys."},
    {"", "Service",
     "Service is a stable virtual address for a set of pods chosen by a label selector."},
    {"", "ServiceAccount", "ServiceAccount is an identity for processes that run in pods."},
    {"apps", "Deployment",
     "Deployment manages replica sets to roll out a pod template declaratively."},
    {"apps", "ReplicaSet",
     "ReplicaSet keeps a number of replicas of a pod template running, chosen by a set-based "
     "selector."},
    {"autoscaling", "HorizontalPodAutoscaler",
     "HorizontalPodAutoscaler sets the replica count of a workload through its scale "
     "subresource from the metrics of its pods."},
    {"coordination.k8s.io", "Lease",
     "Lease is a lightweight lock with a holder and a renew time: node heartbeats and leader "
     "election."},
    {"scheduling.k8s.io", "PriorityClass",
     "PriorityClass maps a priority class name to the integer priority of the pods that use it."},
    {"policy", "PodDisruptionBudget",
     "PodDisruptionBudget limits how many pods of a set voluntary disruptions (evictions) may "
     "take down at once."},
    {"autoscaling", "Scale", "Scale is the replica count of a scalable resource (its /scale)."},
    {"policy", "Eviction",
     "Eviction asks for a pod to be deleted gracefully, subject to disruption budgets."},
    {"authentication.k8s.io", "TokenRequest",
     "TokenRequest asks for a token for a service account."},
};

}  // namespace

std::string kind_description(std::string_view group, std::string_view kind) {
  for (const auto& d : kDescriptions)
    if (d.group == group && d.kind == kind) return std::string(d.text);
  return std::string(kind) + " (" + (group.empty() ? std::string("core") : std::string(group)) +
         ").";
}

}  // namespace kactor::http
