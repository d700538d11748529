// The cloud provider protocol (see cloud_provider.hpp). Every provider answers:
//   (cloud_get_atom,    LoadBalancerRequest) → LoadBalancerReply
//   (cloud_ensure_atom, LoadBalancerRequest) → LoadBalancerReply
//   (cloud_update_atom, LoadBalancerRequest) → LoadBalancerReply
//   (cloud_delete_atom, LoadBalancerRequest) → LoadBalancerReply
// The simulated cloud also answers (for tests and diagnostics):
//   (cloud_fail_atom, int32_t n)  → bool: its next n load-balancer calls fail
//   (cloud_state_atom)            → SimulatedCloudState
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/cloud/cloud_provider.hpp"
#include "actors/cloud/simulated_cloud.hpp"

namespace kactor::cloud {

using cloud_get_atom = caf::atom_constant<caf::atom("cl_get")>;
using cloud_ensure_atom = caf::atom_constant<caf::atom("cl_ensure")>;
using cloud_update_atom = caf::atom_constant<caf::atom("cl_update")>;
using cloud_delete_atom = caf::atom_constant<caf::atom("cl_delete")>;
using cloud_fail_atom = caf::atom_constant<caf::atom("cl_fail")>;
using cloud_state_atom = caf::atom_constant<caf::atom("cl_state")>;
/// (cloud_done_atom, id): the simulated cloud's pending call `id` has waited its latency.
using cloud_done_atom = caf::atom_constant<caf::atom("cl_done")>;

}  // namespace kactor::cloud

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::cloud::LoadBalancerRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::cloud::LoadBalancerReply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::cloud::SimulatedCloudState)
