#include "actors/rollout/rolling_update.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "actors/rollout/annotations.hpp"
#include "api/codec/object_codec.hpp"

namespace kactor::rollout {

namespace {

/// Attempts at relabelling a pod that others keep changing.
constexpr int kPodRetries = 10;

api::Status bad(std::string message) { return api::bad_request(std::move(message)); }

/// The old controller's pods and template labelled `key=value` and its selector narrowed to it
/// (kubectl's AddDeploymentKeyToReplicationController), so its pods and the new controller's
/// never match each other's selector. Pods the controller made with the old template meanwhile
/// are deleted. Also records `next_name` on it, for a resumed run or --rollback.
api::Result<api::ReplicationController> prepare_old(RollingUpdater& updater, ClusterApi& api,
                                                    api::ReplicationController old,
                                                    const std::string& next_name,
                                                    const std::string& key,
                                                    const std::string& value) {
  if (old.spec.selector.contains(key))
    return updater.update_rc(std::move(old), [&](api::ReplicationController& rc) {
      rc.metadata.annotations[kNextControllerAnnotation] = next_name;
    });
  auto labelled = updater.update_rc(std::move(old), [&](api::ReplicationController& rc) {
    rc.metadata.annotations[kNextControllerAnnotation] = next_name;
    if (rc.spec.template_) rc.spec.template_->metadata.labels[key] = value;
  });
  if (!labelled) return labelled;
  const auto ns = labelled->metadata.namespace_;
  const auto old_selector = labelled->spec.selector;
  for (int attempt = 0;; ++attempt) {
    auto pods = api.list_pods(ns, selector_text(old_selector));
    if (!pods) return api::fail(pods.error());
    bool conflicted = false;
    for (auto pod : *pods) {
      if (pod.metadata.labels[key] == value) continue;
      pod.metadata.labels[key] = value;
      auto updated = api.update_pod(pod);
      if (updated || api::is_not_found(updated.error())) continue;
      if (!api::is_conflict(updated.error()) || attempt == kPodRetries)
        return api::fail(updated.error());
      conflicted = true;
    }
    if (!conflicted) break;
  }
  auto narrowed = updater.update_rc(std::move(*labelled), [&](api::ReplicationController& rc) {
    rc.spec.selector[key] = value;
  });
  if (!narrowed) return narrowed;
  // A pod the controller created from the template it had before the label: no controller
  // selects it now.
  auto strays = api.list_pods(ns, selector_text(old_selector));
  if (!strays) return api::fail(strays.error());
  for (const auto& pod : *strays) {
    auto it = pod.metadata.labels.find(key);
    if (it != pod.metadata.labels.end() && it->second == value) continue;
    if (auto d = api.delete_pod(ns, pod.metadata.name); !d && !api::is_not_found(d.error()))
      return api::fail(d.error());
  }
  return narrowed;
}

/// The old controller with one container's image replaced, named and labelled by the hash of
/// its template (kubectl's CreateNewControllerFromCurrentController).
api::Result<api::ReplicationController> from_image(const api::ReplicationController& old,
                                                   const RollingUpdateOptions& o) {
  if (!old.spec.template_)
    return api::fail(bad(fmt::format("replicationcontroller \"{}\" has no pod template",
                                     old.metadata.name)));
  api::ReplicationController rc;
  rc.metadata.namespace_ = old.metadata.namespace_;
  rc.metadata.labels = old.metadata.labels;
  for (const auto& [k, v] : old.metadata.annotations)
    if (!k.starts_with("kubectl.kubernetes.io/")) rc.metadata.annotations[k] = v;
  rc.spec = old.spec;
  auto& containers = rc.spec.template_->spec.containers;
  size_t index = 0;
  if (!o.container.empty()) {
    auto it = std::find_if(containers.begin(), containers.end(),
                           [&](const api::Container& c) { return c.name == o.container; });
    if (it == containers.end())
      return api::fail(bad(fmt::format("container {} is not found in pod template of {}",
                                       o.container, old.metadata.name)));
    index = static_cast<size_t>(it - containers.begin());
  } else if (containers.size() > 1) {
    return api::fail(bad("Must specify container to update when updating a multi-container pod"));
  }
  if (containers.empty())
    return api::fail(bad(fmt::format("Pod has no containers! ({})", old.metadata.name)));
  auto& container = containers[index];
  if (container.image == o.image && o.image_pull_policy.empty())
    return api::fail(bad("--image-pull-policy (Always|Never|IfNotPresent) must be provided when "
                         "--image is the same as existing container image"));
  container.image = o.image;
  if (!o.image_pull_policy.empty()) container.image_pull_policy = o.image_pull_policy;
  const auto hash = template_hash(rc);
  rc.metadata.name = o.new_name.empty() ? old.metadata.name + "-" + hash : o.new_name;
  rc.spec.selector[o.deployment_label_key] = hash;
  rc.spec.template_->metadata.labels[o.deployment_label_key] = hash;
  return rc;
}

/// The given new controller checked against the old one (kubectl's checks for -f).
api::Result<api::ReplicationController> from_file(const api::ReplicationController& old,
                                                  api::ReplicationController rc) {
  if (rc.metadata.name == old.metadata.name)
    return api::fail(bad(fmt::format(
        "{} cannot have the same name as the existing ReplicationController {}",
        rc.metadata.name, old.metadata.name)));
  bool differs = false;
  for (const auto& [k, v] : rc.spec.selector) {
    auto it = old.spec.selector.find(k);
    if (it != old.spec.selector.end() && it->second != v) differs = true;
  }
  if (!differs)
    return api::fail(bad(fmt::format(
        "{} must specify a matching key with non-equal value in Selector for {}",
        rc.metadata.name, old.metadata.name)));
  rc.metadata.namespace_ = old.metadata.namespace_;
  // Without a size of its own the new controller takes the old one's.
  if (!rc.spec.replicas) rc.spec.replicas = replicas_of(old);
  return rc;
}

UpdaterConfig config_for(const RollingUpdateOptions& o, api::ReplicationController old_rc,
                         api::ReplicationController new_rc, Cleanup cleanup) {
  UpdaterConfig c;
  c.old_rc = std::move(old_rc);
  c.new_rc = std::move(new_rc);
  c.update_period = o.update_period;
  c.poll_interval = o.poll_interval;
  c.timeout = o.timeout;
  c.max_surge = o.max_surge;
  c.max_unavailable = o.max_unavailable;
  c.cleanup = cleanup;
  return c;
}

/// kubectl's AbortRollingUpdate: the same update with the roles swapped, the original
/// controller growing back to its original size and the new one deleted at the end.
api::Result<std::string> roll_back(RollingUpdater& updater, const RollingUpdateOptions& o,
                                   const Output& out, api::ReplicationController original,
                                   api::ReplicationController in_progress) {
  auto size = original.metadata.annotations.find(kOriginalReplicasAnnotation);
  if (size == original.metadata.annotations.end())
    return api::fail(bad(fmt::format("couldn't find original replica count of \"{}\"",
                                     original.metadata.name)));
  if (out) out(fmt::format("Setting \"{}\" replicas to {}", original.metadata.name, size->second));
  const auto original_size = size->second;
  auto target = updater.update_rc(std::move(original), [&](api::ReplicationController& rc) {
    rc.metadata.annotations[kSourceIdAnnotation] =
        in_progress.metadata.name + ":" + in_progress.metadata.uid;
    rc.metadata.annotations[kDesiredReplicasAnnotation] = original_size;
  });
  if (!target) return api::fail(target.error());
  const auto name = target->metadata.name;
  auto config = config_for(o, std::move(in_progress), std::move(*target), Cleanup::Delete);
  // Back to a controller that served before: grow it as fast as the ceiling allows.
  auto done = updater.update(std::move(config));
  if (!done) return api::fail(done.error());
  // The update is over: nothing is left to resume or roll back.
  auto restored = updater.api().get_rc(o.namespace_, name);
  if (!restored) return api::fail(restored.error());
  auto cleared = updater.update_rc(std::move(*restored), [](api::ReplicationController& rc) {
    rc.metadata.annotations.erase(kNextControllerAnnotation);
    rc.metadata.annotations.erase(kOriginalReplicasAnnotation);
  });
  if (!cleared) return api::fail(cleared.error());
  return "replicationcontroller/" + name + " rolled back";
}

}  // namespace

std::string template_hash(const api::ReplicationController& rc) {
  const auto text = api::encode_json(rc)["spec"]["template"].dump();
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

api::Result<std::string> rolling_update(ClusterApi& api, Clock& clock,
                                        const RollingUpdateOptions& o, Output out, Sleep sleep) {
  if (o.old_name.empty()) return api::fail(bad("the ReplicationController to update is required"));
  if (o.new_rc && !o.image.empty())
    return api::fail(bad("--filename and --image can not both be specified"));
  if (!o.new_rc && o.image.empty() && !o.rollback)
    return api::fail(bad("--image, --filename or --rollback is required"));
  if (!o.image_pull_policy.empty() && o.image_pull_policy != "Always" &&
      o.image_pull_policy != "Never" && o.image_pull_policy != "IfNotPresent")
    return api::fail(bad("--image-pull-policy must be Always, Never or IfNotPresent, not \"" +
                         o.image_pull_policy + "\""));
  if (o.max_surge == IntOrPercent{0, false} && o.max_unavailable == IntOrPercent{0, false})
    return api::fail(bad("--max-surge and --max-unavailable may not both be 0"));

  RollingUpdater updater(api, clock, out, std::move(sleep));
  auto old = api.get_rc(o.namespace_, o.old_name);
  if (!old) return api::fail(old.error());

  if (o.rollback) {
    std::string name = o.new_rc ? o.new_rc->metadata.name : o.new_name;
    if (name.empty()) {
      auto next = old->metadata.annotations.find(kNextControllerAnnotation);
      if (next != old->metadata.annotations.end()) name = next->second;
    }
    if (name.empty())
      return api::fail(bad(fmt::format("no rolling update of {} to roll back: it has no {} "
                                       "annotation", o.old_name, kNextControllerAnnotation)));
    auto in_progress = api.get_rc(o.namespace_, name);
    if (!in_progress) {
      if (api::is_not_found(in_progress.error()))
        return api::fail(bad(fmt::format("Could not find {} to rollback.", name)));
      return api::fail(in_progress.error());
    }
    return roll_back(updater, o, out, std::move(*old), std::move(*in_progress));
  }

  api::ReplicationController next;
  bool keep_old_name = false;
  if (o.new_rc) {
    auto checked = from_file(*old, *o.new_rc);
    if (!checked) return api::fail(checked.error());
    next = std::move(*checked);
    auto annotated = updater.update_rc(std::move(*old), [&](api::ReplicationController& rc) {
      rc.metadata.annotations[kNextControllerAnnotation] = next.metadata.name;
    });
    if (!annotated) return api::fail(annotated.error());
    old = std::move(annotated);
  } else {
    keep_old_name = o.new_name.empty();
    std::string name = o.new_name;
    if (name.empty()) {
      auto it = old->metadata.annotations.find(kNextControllerAnnotation);
      if (it != old->metadata.annotations.end()) name = it->second;
    }
    std::optional<api::ReplicationController> existing;
    if (!name.empty()) {
      auto got = api.get_rc(o.namespace_, name);
      if (got) existing = std::move(*got);
      else if (!api::is_not_found(got.error())) return api::fail(got.error());
    }
    if (existing) {
      const auto& containers = existing->spec.template_
                                   ? existing->spec.template_->spec.containers.get()
                                   : std::vector<api::Container>{};
      const auto image = containers.empty() ? std::string() : containers.front().image;
      auto in_progress = std::find_if(containers.begin(), containers.end(), [&](auto& c) {
        return o.container.empty() ? &c == &containers.front() : c.name == o.container;
      });
      if (in_progress == containers.end() || in_progress->image != o.image)
        return api::fail(bad(fmt::format(
            "Found existing in-progress update to image ({0}).\nEither continue in-progress "
            "update with --image={0} or rollback with --rollback",
            in_progress == containers.end() ? image : in_progress->image)));
      if (out) out(fmt::format("Found existing update in progress ({}), resuming.", name));
      next = std::move(*existing);
    } else {
      RollingUpdateOptions named = o;
      named.new_name = name;
      auto made = from_image(*old, named);
      if (!made) return api::fail(made.error());
      next = std::move(*made);
    }
    auto prepared = prepare_old(updater, api, std::move(*old), next.metadata.name,
                                o.deployment_label_key, template_hash(*old) + "-orig");
    if (!prepared) return api::fail(prepared.error());
    old = std::move(prepared);
  }

  const auto old_name = old->metadata.name;
  const auto next_name = next.metadata.name;
  auto done = updater.update(config_for(o, *old, std::move(next),
                                        keep_old_name ? Cleanup::Rename : Cleanup::Delete));
  if (!done) {
    if (!o.rollback_on_failure) return api::fail(done.error());
    if (out) out(fmt::format("Rolling back: {}", done.error().message));
    auto original = api.get_rc(o.namespace_, old_name);
    auto in_progress = api.get_rc(o.namespace_, next_name);
    if (!original) return api::fail(original.error());
    if (!in_progress) return api::fail(in_progress.error());
    auto back = roll_back(updater, o, out, std::move(*original), std::move(*in_progress));
    if (!back) return api::fail(back.error());
    auto failed = done.error();
    failed.message += fmt::format(" (rolled back to {})", old_name);
    return api::fail(std::move(failed));
  }
  if (keep_old_name) return "replicationcontroller/" + old_name + " rolling updated";
  return fmt::format("replicationcontroller/{} rolling updated to \"{}\"", old_name, *done);
}

}  // namespace kactor::rollout
