// Leader election for the role processes (`kactor controller-manager`, `kactor scheduler`):
// their --leader-elect* flags, as upstream's components have them, and the holder identity.
// The election itself is actors/leaderelection/.
#pragma once

#include <string>

#include "actors/leaderelection/leader_elector.hpp"
#include "api/status.hpp"

namespace kactor::cli {

/// The --leader-elect* flags, as text until checked (election_options).
struct LeaderElectionFlags {
  /// --leader-elect: act only while holding the Lease (upstream's default for both roles).
  bool leader_elect = true;
  std::string lease_duration = "15s";
  std::string renew_deadline = "10s";
  std::string retry_period = "2s";
  /// --leader-elect-resource-name: empty = the role's (kube-controller-manager, kube-scheduler).
  std::string resource_name;
  std::string resource_namespace = "kube-system";
};

/// The elector's options from `flags` for a role whose Lease is `default_name` by default
/// (also the source of its Events), with a fresh holder identity; BadRequest naming the flag
/// when one is not a duration or they do not fit together.
api::Result<leaderelection::LeaderElectionOptions> election_options(
    const LeaderElectionFlags& flags, const std::string& default_name);

/// This process's identity among candidates: "<hostname>_<uuid>" as upstream, the UUID drawn
/// from the operating system's randomness (not --seed: two processes started with the same
/// seed must still differ).
std::string holder_identity();

}  // namespace kactor::cli
