// A rolling update of a ReplicationController as `kubectl rolling-update` (kubectl 1.17, removed
// upstream in 1.18) did it from the client: to a new controller given whole, or to a new image
// (a copy of the old controller whose pods carry a `deployment=<hash>` label), or back
// (--rollback) from an update that was interrupted or failed. docs/rolling-update.md.
#pragma once

#include <optional>
#include <string>

#include "actors/rollout/rolling_updater.hpp"

namespace kactor::rollout {

struct RollingUpdateOptions {
  std::string namespace_ = "default";
  std::string old_name;
  /// The new controller's name (NEW). Empty with `image`: the name an interrupted update
  /// recorded on the old controller, else "<old>-<hash of the new template>", renamed to the
  /// old name at the end.
  std::string new_name;
  /// The new controller, given whole (-f); its name must differ from the old one's and its
  /// selector must differ from the old one's in the value of a shared key.
  std::optional<api::ReplicationController> new_rc;
  std::string image;              // --image
  std::string container;          // --container: which container gets the image
  std::string image_pull_policy;  // --image-pull-policy
  std::string deployment_label_key = "deployment";
  bool rollback = false;
  /// After a failed update, roll back at once (kubectl left that to a second run with
  /// --rollback, which this does too).
  bool rollback_on_failure = false;
  Duration update_period = std::chrono::minutes(1);
  Duration poll_interval = std::chrono::seconds(3);
  Duration timeout = std::chrono::minutes(5);
  IntOrPercent max_surge{1, false};
  IntOrPercent max_unavailable{0, false};
};

/// Runs the update, printing progress to `out`. On success, kubectl's last line:
/// `replicationcontroller/web rolling updated` (renamed back), `... rolling updated to "web-2"`
/// or `... rolled back`. Errors are Statuses with kubectl's messages.
api::Result<std::string> rolling_update(ClusterApi& api, Clock& clock,
                                        const RollingUpdateOptions& options, Output out,
                                        Sleep sleep = {});

/// A stable short hash of a pod template (16 hex digits of FNV-1a over its JSON): the value of
/// the deployment label key that tells the new pods from the old.
std::string template_hash(const api::ReplicationController& rc);

}  // namespace kactor::rollout
