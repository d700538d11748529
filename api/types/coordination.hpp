// Lease (coordination.k8s.io/v1): leader election and node heartbeats.
#pragma once

#include <optional>
#include <string>

#include "api/object.hpp"

namespace kactor::api {

/// The namespace of the kubelets' heartbeat Leases, one per node, named after it
/// (upstream v1.NamespaceNodeLease).
inline constexpr const char* kNodeLeaseNamespace = "kube-node-lease";

struct LeaseSpec {
  std::optional<std::string> holder_identity;
  std::optional<int32_t> lease_duration_seconds;
  std::optional<MicroTime> acquire_time;
  std::optional<MicroTime> renew_time;
  std::optional<int32_t> lease_transitions;
  bool operator==(const LeaseSpec&) const = default;
};
template <class V>
void describe(V& v, LeaseSpec& x) {
  v("holderIdentity", x.holder_identity);
  v("leaseDurationSeconds", x.lease_duration_seconds);
  v("acquireTime", x.acquire_time);
  v("renewTime", x.renew_time);
  v("leaseTransitions", x.lease_transitions);
}

struct Lease : ObjectBase<Lease> {
  LeaseSpec spec;
  static const TypeInfo& static_type();
  bool operator==(const Lease&) const = default;
};
template <class V>
void describe(V& v, Lease& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
}

}  // namespace kactor::api
