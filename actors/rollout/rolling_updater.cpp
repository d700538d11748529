#include "actors/rollout/rolling_updater.hpp"

#include <optional>

#include <fmt/format.h>

#include "actors/rollout/annotations.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::rollout {

namespace {

/// Conflicting writes retried before giving up (another writer keeps changing the controller).
constexpr int kConflictRetries = 10;

std::optional<int32_t> annotation_int(const api::ReplicationController& rc, const char* key) {
  auto it = rc.metadata.annotations.find(key);
  if (it == rc.metadata.annotations.end()) return std::nullopt;
  try {
    size_t used = 0;
    int v = std::stoi(it->second, &used);
    if (used != it->second.size() || v < 0) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string annotations_text(const std::map<std::string, std::string>& a) {
  std::string out = "map[";
  bool first = true;
  for (auto& [k, v] : a) {
    out += (first ? "" : " ") + k + ":" + v;
    first = false;
  }
  return out + "]";
}

}  // namespace

int32_t replicas_of(const api::ReplicationController& rc) { return rc.spec.replicas.value_or(1); }

std::string selector_text(const std::map<std::string, std::string>& selector) {
  std::string out;
  for (auto& [k, v] : selector) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

RollingUpdater::RollingUpdater(ClusterApi& api, Clock& clock, Output out, Sleep sleep)
    : api_(api), clock_(clock), out_(std::move(out)), sleep_(std::move(sleep)) {
  if (!sleep_) sleep_ = [&clock](Duration d) { sleep_on(clock, d); };
}

void RollingUpdater::print(const std::string& line) const {
  if (out_) out_(line);
}

api::Result<api::ReplicationController> RollingUpdater::update_rc(
    api::ReplicationController rc, const std::function<void(api::ReplicationController&)>& mutate) {
  for (int attempt = 0;; ++attempt) {
    mutate(rc);
    auto updated = api_.update_rc(rc);
    if (updated || !api::is_conflict(updated.error()) || attempt == kConflictRetries)
      return updated;
    auto fresh = api_.get_rc(rc.metadata.namespace_, rc.metadata.name);
    if (!fresh) return fresh;
    rc = std::move(*fresh);
  }
}

api::Result<api::ReplicationController> RollingUpdater::wait_for_replicas(
    const api::ReplicationController& rc, Duration poll, Duration timeout) {
  const auto deadline = clock_.now() + timeout;
  for (;;) {
    auto current = api_.get_rc(rc.metadata.namespace_, rc.metadata.name);
    if (!current) return current;
    if (current->status.observed_generation >= current->metadata.generation &&
        current->status.replicas == replicas_of(*current))
      return current;
    if (clock_.now() >= deadline)
      return api::fail(api::timeout(fmt::format(
          "timed out waiting for replicationcontroller \"{}\" to have {} replicas (it has {})",
          rc.metadata.name, replicas_of(*current), current->status.replicas)));
    sleep_(poll);
  }
}

api::Result<api::ReplicationController> RollingUpdater::scale(const api::ReplicationController& rc,
                                                              int32_t replicas,
                                                              const UpdaterConfig& config) {
  auto scaled = update_rc(rc, [replicas](api::ReplicationController& r) { r.spec.replicas = replicas; });
  if (!scaled) return scaled;
  return wait_for_replicas(*scaled, config.poll_interval, config.timeout);
}

api::Result<int32_t> RollingUpdater::available_pods(const api::ReplicationController& rc) {
  auto pods = api_.list_pods(rc.metadata.namespace_, selector_text(rc.spec.selector));
  if (!pods) return api::fail(pods.error());
  int32_t available = 0;
  const auto now = clock_.now();
  for (const auto& pod : *pods)
    if (!pod.metadata.deletion_timestamp &&
        api::is_available(pod, rc.spec.min_ready_seconds, now))
      ++available;
  return available;
}

api::Result<std::pair<api::ReplicationController, bool>> RollingUpdater::get_or_create_target(
    api::ReplicationController rc, const std::string& source_id) {
  auto existing = api_.get_rc(rc.metadata.namespace_, rc.metadata.name);
  if (existing) {
    const auto& a = existing->metadata.annotations;
    auto source = a.find(kSourceIdAnnotation);
    if (source == a.end() || source->second != source_id || !a.contains(kDesiredReplicasAnnotation))
      return api::fail(api::bad_request(
          fmt::format("Missing/unexpected annotations for controller {}, expected {} : {}",
                      rc.metadata.name, source_id, annotations_text(a))));
    return std::pair{std::move(*existing), true};
  }
  if (!api::is_not_found(existing.error())) return api::fail(existing.error());
  if (replicas_of(rc) <= 0)
    return api::fail(api::bad_request(
        fmt::format("Invalid controller spec for {}; required: > 0 replicas, actual: {}",
                    rc.metadata.name, replicas_of(rc))));
  rc.metadata.annotations[kDesiredReplicasAnnotation] = std::to_string(replicas_of(rc));
  rc.metadata.annotations[kSourceIdAnnotation] = source_id;
  rc.spec.replicas = 0;
  auto created = api_.create_rc(rc);
  if (!created) return api::fail(created.error());
  return std::pair{std::move(*created), false};
}

api::Result<std::string> RollingUpdater::update(UpdaterConfig config) {
  auto old_rc = std::move(config.old_rc);
  const auto source_id = old_rc.metadata.name + ":" + old_rc.metadata.uid;
  auto target = get_or_create_target(config.new_rc, source_id);
  if (!target) return api::fail(target.error());
  auto new_rc = std::move(target->first);
  print(target->second ? fmt::format("Continuing update with existing controller {}.",
                                     new_rc.metadata.name)
                       : fmt::format("Created {}", new_rc.metadata.name));
  auto desired = annotation_int(new_rc, kDesiredReplicasAnnotation);
  if (!desired)
    return api::fail(api::bad_request(fmt::format(
        "Unable to parse annotation for {}: {}={}", new_rc.metadata.name,
        kDesiredReplicasAnnotation, new_rc.metadata.annotations[kDesiredReplicasAnnotation])));
  // The old controller's size before the update, for a rollback: written once.
  if (!old_rc.metadata.annotations.contains(kOriginalReplicasAnnotation)) {
    auto fresh = api_.get_rc(old_rc.metadata.namespace_, old_rc.metadata.name);
    if (!fresh) return api::fail(fresh.error());
    const auto original = std::to_string(replicas_of(*fresh));
    auto annotated = update_rc(std::move(*fresh), [&](api::ReplicationController& rc) {
      rc.metadata.annotations[kOriginalReplicasAnnotation] = original;
    });
    if (!annotated) return api::fail(annotated.error());
    old_rc = std::move(*annotated);
  }

  const auto limits = limits_for(resolve_fenceposts(config.max_surge, config.max_unavailable, *desired),
                                 *desired, replicas_of(old_rc));
  print(fmt::format("Scaling up {} from {} to {}, scaling down {} from {} to 0 (keep {} pods "
                    "available, don't exceed {} pods)",
                    new_rc.metadata.name, replicas_of(new_rc), *desired, old_rc.metadata.name,
                    replicas_of(old_rc), limits.min_available, limits.max_total()));

  auto progress_deadline = clock_.now() + config.timeout;
  while (replicas_of(new_rc) != *desired || replicas_of(old_rc) != 0) {
    const int32_t new_before = replicas_of(new_rc), old_before = replicas_of(old_rc);

    if (int32_t up = scale_up_target(limits, old_before, new_before); up != new_before) {
      print(fmt::format("Scaling {} up to {}", new_rc.metadata.name, up));
      auto scaled = scale(new_rc, up, config);
      if (!scaled) return api::fail(scaled.error());
      new_rc = std::move(*scaled);
    }

    sleep_(config.update_period);

    // Readiness is read, not waited for: when neither side is available the loop must still
    // come round to the progress deadline.
    if (replicas_of(old_rc) != 0) {
      auto available = available_pods(new_rc);
      if (!available) return api::fail(available.error());
      int32_t down = scale_down_target(limits, replicas_of(old_rc), replicas_of(new_rc), *available);
      if (down != replicas_of(old_rc)) {
        print(fmt::format("Scaling {} down to {}", old_rc.metadata.name, down));
        auto scaled = scale(old_rc, down, config);
        if (!scaled) return api::fail(scaled.error());
        old_rc = std::move(*scaled);
      }
    }

    if (replicas_of(new_rc) != new_before || replicas_of(old_rc) != old_before)
      progress_deadline = clock_.now() + config.timeout;
    else if (clock_.now() > progress_deadline)
      return api::fail(api::timeout("timed out waiting for any update progress to be made"));
  }
  return cleanup(old_rc, std::move(new_rc), config);
}

api::Result<std::string> RollingUpdater::cleanup(const api::ReplicationController& old_rc,
                                                 api::ReplicationController new_rc,
                                                 const UpdaterConfig& config) {
  auto fresh = api_.get_rc(new_rc.metadata.namespace_, new_rc.metadata.name);
  if (!fresh) return api::fail(fresh.error());
  auto cleaned = update_rc(std::move(*fresh), [](api::ReplicationController& rc) {
    rc.metadata.annotations.erase(kSourceIdAnnotation);
    rc.metadata.annotations.erase(kDesiredReplicasAnnotation);
  });
  if (!cleaned) return api::fail(cleaned.error());
  auto settled = wait_for_replicas(*cleaned, config.poll_interval, config.timeout);
  if (!settled) return api::fail(settled.error());

  const auto& ns = old_rc.metadata.namespace_;
  const auto& old_name = old_rc.metadata.name;
  if (config.cleanup == Cleanup::Delete) {
    print(fmt::format("Update succeeded. Deleting {}", old_name));
    if (auto d = api_.delete_rc(ns, old_name, false); !d && !api::is_not_found(d.error()))
      return api::fail(d.error());
    return settled->metadata.name;
  }
  print(fmt::format("Update succeeded. Deleting old controller: {}", old_name));
  if (auto d = api_.delete_rc(ns, old_name, false); !d && !api::is_not_found(d.error()))
    return api::fail(d.error());
  print(fmt::format("Renaming {} to {}", settled->metadata.name, old_name));
  if (auto r = rename(std::move(*settled), old_name, config); !r) return api::fail(r.error());
  return old_name;
}

api::Result<void> RollingUpdater::rename(api::ReplicationController rc, const std::string& name,
                                         const UpdaterConfig& config) {
  const auto ns = rc.metadata.namespace_;
  const auto temporary = rc.metadata.name;
  // Delete the temporary controller leaving its pods, wait until it is gone (the old name may
  // still be held by the old controller's finalizers), then create its copy under the old name,
  // which adopts the pods again.
  if (auto d = api_.delete_rc(ns, temporary, true); !d && !api::is_not_found(d.error()))
    return api::fail(d.error());
  for (const auto deadline = clock_.now() + config.timeout;;) {
    auto old = api_.get_rc(ns, name);
    auto tmp = api_.get_rc(ns, temporary);
    if (!old && !api::is_not_found(old.error())) return api::fail(old.error());
    if (!tmp && !api::is_not_found(tmp.error())) return api::fail(tmp.error());
    if (!old && !tmp) break;
    if (clock_.now() >= deadline)
      return api::fail(api::timeout(
          fmt::format("timed out waiting for replicationcontroller \"{}\" to be deleted",
                      old ? name : temporary)));
    sleep_(config.poll_interval);
  }
  api::ReplicationController copy;
  copy.metadata.namespace_ = ns;
  copy.metadata.name = name;
  copy.metadata.labels = rc.metadata.labels;
  copy.metadata.annotations = rc.metadata.annotations;
  copy.spec = rc.spec;
  auto created = api_.create_rc(copy);
  if (!created) return api::fail(created.error());
  return {};
}

}  // namespace kactor::rollout
