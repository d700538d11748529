// The scaling loop of a rolling update (kubectl 1.17's RollingUpdater.Update, rewritten): the
// new controller grows and the old one shrinks in turns, within the surge ceiling and the
// availability floor, waiting `update_period` between the turns, until the new one has the
// desired size and the old one none; then the old one is deleted (and the new one renamed to
// its name, for an update by image). Every intermediate state is in the controllers and their
// annotations, so running the same update again resumes it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "actors/rollout/cluster_api.hpp"
#include "actors/rollout/pause.hpp"
#include "actors/rollout/steps.hpp"
#include "api/time/clock.hpp"

namespace kactor::rollout {

/// What happens to the old controller when the new one is complete.
enum class Cleanup {
  Delete,  // delete the old controller
  Rename,  // delete the old controller, then give the new one its name
};

/// Progress lines, without their newline ("Scaling web-2 up to 1").
using Output = std::function<void(std::string_view)>;

struct UpdaterConfig {
  api::ReplicationController old_rc;  // as read from the API
  /// Created with its spec.replicas as the desired size, unless a controller of its name from
  /// this same update (update-source-id) exists, which is continued.
  api::ReplicationController new_rc;
  Duration update_period = std::chrono::minutes(1);
  Duration poll_interval = std::chrono::seconds(3);
  /// An update that makes no progress for this long fails.
  Duration timeout = std::chrono::minutes(5);
  IntOrPercent max_surge{1, false};
  IntOrPercent max_unavailable{0, false};
  Cleanup cleanup = Cleanup::Delete;
};

class RollingUpdater {
 public:
  RollingUpdater(ClusterApi& api, Clock& clock, Output out, Sleep sleep = {});

  /// Runs the update to its end. The final name of the new controller on success.
  api::Result<std::string> update(UpdaterConfig config);

  ClusterApi& api() { return api_; }

  /// Reads, changes with `mutate` and writes a controller, again from a fresh read on a 409.
  api::Result<api::ReplicationController> update_rc(
      api::ReplicationController rc,
      const std::function<void(api::ReplicationController&)>& mutate);

  /// Polls until the controller's status shows its spec's size; Timeout after `timeout`.
  api::Result<api::ReplicationController> wait_for_replicas(const api::ReplicationController& rc,
                                                            Duration poll, Duration timeout);

 private:
  api::Result<std::pair<api::ReplicationController, bool>> get_or_create_target(
      api::ReplicationController rc, const std::string& source_id);
  api::Result<api::ReplicationController> scale(const api::ReplicationController& rc,
                                                int32_t replicas, const UpdaterConfig& config);
  /// Available pods of the new controller (not being deleted, ready for minReadySeconds).
  api::Result<int32_t> available_pods(const api::ReplicationController& rc);
  api::Result<std::string> cleanup(const api::ReplicationController& old_rc,
                                    api::ReplicationController new_rc,
                                    const UpdaterConfig& config);
  api::Result<void> rename(api::ReplicationController rc, const std::string& name,
                           const UpdaterConfig& config);
  void print(const std::string& line) const;

  ClusterApi& api_;
  Clock& clock_;
  Output out_;
  Sleep sleep_;
};

/// "a=1,b=2": a map selector in the text form label selectors are given in.
std::string selector_text(const std::map<std::string, std::string>& selector);

int32_t replicas_of(const api::ReplicationController& rc);

}  // namespace kactor::rollout
