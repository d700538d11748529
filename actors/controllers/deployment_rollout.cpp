#include "actors/controllers/deployment_rollout.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "actors/controllers/deployment_revision.hpp"

namespace kactor::actors::controllers::deployment {

namespace {

bool is_rolling_update(const api::Deployment& d) {
  return d.spec.strategy.type == "RollingUpdate";
}

bool older(const api::ReplicaSet* a, const api::ReplicaSet* b) {
  if (a->metadata.creation_timestamp.value != b->metadata.creation_timestamp.value)
    return a->metadata.creation_timestamp.value < b->metadata.creation_timestamp.value;
  return a->metadata.name < b->metadata.name;
}

/// Upstream integer.RoundToInt32: halves away from zero.
int32_t round_half_away(double v) {
  return static_cast<int32_t>(v < 0 ? v - 0.5 : v + 0.5);
}

/// How much of a resize `rs` takes, in proportion to its share of the Deployment's size
/// before the resize (its max-replicas annotation).
int32_t replica_set_fraction(const api::ReplicaSet& rs, const api::Deployment& d) {
  if (replicas_of(d) == 0) return -replicas_of(rs);
  int32_t max_now = replicas_of(d) + max_surge(d);
  auto before = max_replicas_annotation(rs);
  int32_t max_before = before.value_or(0);
  if (max_before == 0) {
    // Resized and resized back before this controller saw it: the current size stands in.
    max_before = d.status.replicas;
    if (max_before == 0) return 0;
  }
  double size = static_cast<double>(replicas_of(rs)) * max_now / max_before;
  return round_half_away(size) - replicas_of(rs);
}

int32_t proportion(const api::ReplicaSet& rs, const api::Deployment& d, int32_t to_add,
                   int32_t added) {
  if (replicas_of(rs) == 0 || to_add == 0 || to_add == added) return 0;
  int32_t fraction = replica_set_fraction(rs, d);
  int32_t allowed = to_add - added;
  // Never past what is left to add (or remove).
  return to_add > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

}  // namespace

int32_t replicas_of(const api::Deployment& d) { return d.spec.replicas.value_or(1); }
int32_t replicas_of(const api::ReplicaSet& rs) { return rs.spec.replicas.value_or(1); }

std::optional<int32_t> scaled_value(const api::IntOrString& v, int32_t total, bool round_up) {
  if (!v.is_string) return v.int_value;
  const auto& s = v.string_value;
  if (s.size() < 2 || s.back() != '%') return std::nullopt;
  int64_t percent = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size() - 1, percent);
  if (ec != std::errc() || end != s.data() + s.size() - 1) return std::nullopt;
  int64_t scaled = percent * total;
  return static_cast<int32_t>(round_up ? (scaled + 99) / 100 : scaled / 100);
}

Fenceposts resolve_fenceposts(const std::optional<api::IntOrString>& max_surge,
                              const std::optional<api::IntOrString>& max_unavailable,
                              int32_t desired) {
  Fenceposts f;
  auto zero = api::IntOrString::from_int(0);
  f.surge = scaled_value(max_surge.value_or(zero), desired, true).value_or(0);
  f.unavailable = scaled_value(max_unavailable.value_or(zero), desired, false).value_or(0);
  if (f.surge == 0 && f.unavailable == 0) f.unavailable = 1;
  return f;
}

int32_t max_surge(const api::Deployment& d) {
  if (!is_rolling_update(d) || !d.spec.strategy.rolling_update) return 0;
  const auto& ru = *d.spec.strategy.rolling_update;
  return resolve_fenceposts(ru.max_surge, ru.max_unavailable, replicas_of(d)).surge;
}

int32_t max_unavailable(const api::Deployment& d) {
  if (!is_rolling_update(d) || !d.spec.strategy.rolling_update || replicas_of(d) == 0) return 0;
  const auto& ru = *d.spec.strategy.rolling_update;
  auto unavailable = resolve_fenceposts(ru.max_surge, ru.max_unavailable, replicas_of(d)).unavailable;
  return std::min(unavailable, replicas_of(d));
}

std::vector<api::ReplicaSet*> ReplicaSets::all() const {
  std::vector<api::ReplicaSet*> out = old;
  if (new_rs) out.push_back(new_rs);
  return out;
}

std::vector<api::ReplicaSet*> filter_active(const std::vector<api::ReplicaSet*>& rss) {
  std::vector<api::ReplicaSet*> out;
  for (auto* rs : rss)
    if (rs && replicas_of(*rs) > 0) out.push_back(rs);
  return out;
}

int32_t sum_spec_replicas(const std::vector<api::ReplicaSet*>& rss) {
  int32_t n = 0;
  for (auto* rs : rss) n += replicas_of(*rs);
  return n;
}
int32_t sum_status_replicas(const std::vector<api::ReplicaSet*>& rss) {
  int32_t n = 0;
  for (auto* rs : rss) n += rs->status.replicas;
  return n;
}
int32_t sum_available_replicas(const std::vector<api::ReplicaSet*>& rss) {
  int32_t n = 0;
  for (auto* rs : rss) n += rs->status.available_replicas;
  return n;
}
int32_t sum_ready_replicas(const std::vector<api::ReplicaSet*>& rss) {
  int32_t n = 0;
  for (auto* rs : rss) n += rs->status.ready_replicas;
  return n;
}

std::string Scaling::message() const {
  return "Scaled " + std::string(to > from ? "up" : "down") + " replica set " + replica_set +
         " from " + std::to_string(from) + " to " + std::to_string(to);
}

bool Scaler::scale(api::ReplicaSet& rs, int32_t size, bool annotate_same_size) {
  int32_t from = replicas_of(rs);
  if (from == size && !annotate_same_size) return false;
  bool annotated = set_replicas_annotations(rs, replicas_of(d_), replicas_of(d_) + max_surge(d_));
  if (from != size) {
    rs.spec.replicas = size;
    scalings_.push_back({rs.metadata.name, from, size});
  }
  if (from != size || annotated) touch(rs);
  return from != size;
}

api::ReplicaSet* find_active_or_latest(const ReplicaSets& sets) {
  if (!sets.new_rs && sets.old.empty()) return nullptr;
  auto active = filter_active(sets.all());
  if (active.size() == 1) return active[0];
  if (!active.empty()) return nullptr;
  if (sets.new_rs) return sets.new_rs;
  auto old = sets.old;
  std::sort(old.begin(), old.end(), [](auto* a, auto* b) { return older(b, a); });
  return old[0];
}

bool is_saturated(const api::Deployment& d, const api::ReplicaSet* rs) {
  if (!rs) return false;
  auto desired = desired_replicas_annotation(*rs);
  return desired && replicas_of(*rs) == replicas_of(d) && *desired == replicas_of(d) &&
         rs->status.available_replicas == replicas_of(d);
}

bool is_scaling_event(const api::Deployment& d, const ReplicaSets& sets) {
  for (auto* rs : filter_active(sets.all())) {
    auto desired = desired_replicas_annotation(*rs);
    if (desired && *desired != replicas_of(d)) return true;
  }
  return false;
}

int32_t new_rs_new_replicas(const api::Deployment& d, const ReplicaSets& sets) {
  if (!is_rolling_update(d)) return replicas_of(d);
  int32_t new_size = sets.new_rs ? replicas_of(*sets.new_rs) : 0;
  int32_t current = sum_spec_replicas(sets.all());
  int32_t max_total = replicas_of(d) + max_surge(d);
  if (current >= max_total) return new_size;
  int32_t up = std::min(max_total - current, replicas_of(d) - new_size);
  return new_size + up;
}

bool scale_proportionally(const api::Deployment& d, const ReplicaSets& sets, Scaler& scaler) {
  if (auto* only = find_active_or_latest(sets)) {
    if (replicas_of(*only) == replicas_of(d)) return false;
    return scaler.scale(*only, replicas_of(d));
  }
  // The new ReplicaSet is done: whatever is left of the old ones goes.
  if (is_saturated(d, sets.new_rs)) {
    bool any = false;
    for (auto* rs : filter_active(sets.old)) any = scaler.scale(*rs, 0) || any;
    return any;
  }
  if (!is_rolling_update(d)) return false;
  auto active = filter_active(sets.all());
  int32_t allowed = replicas_of(d) > 0 ? replicas_of(d) + max_surge(d) : 0;
  int32_t to_add = allowed - sum_spec_replicas(active);
  // The largest first (ties: newest first when growing, oldest first when shrinking): it
  // takes the leftovers of rounding.
  std::stable_sort(active.begin(), active.end(), [to_add](auto* a, auto* b) {
    if (replicas_of(*a) != replicas_of(*b)) return replicas_of(*a) > replicas_of(*b);
    return to_add > 0 ? older(b, a) : older(a, b);
  });
  std::vector<int32_t> sizes;
  int32_t added = 0;
  for (auto* rs : active) {
    int32_t p = to_add != 0 ? proportion(*rs, d, to_add, added) : 0;
    sizes.push_back(replicas_of(*rs) + p);
    added += p;
  }
  bool any = false;
  for (size_t i = 0; i < active.size(); ++i) {
    if (i == 0 && to_add != 0) sizes[0] = std::max(0, sizes[0] + to_add - added);
    any = scaler.scale(*active[i], sizes[i], true) || any;
  }
  return any;
}

bool reconcile_new_replica_set(const api::Deployment& d, const ReplicaSets& sets, Scaler& scaler) {
  auto* rs = sets.new_rs;
  if (!rs || replicas_of(*rs) == replicas_of(d)) return false;
  if (replicas_of(*rs) > replicas_of(d)) return scaler.scale(*rs, replicas_of(d));
  return scaler.scale(*rs, new_rs_new_replicas(d, sets));
}

bool reconcile_old_replica_sets(const api::Deployment& d, const ReplicaSets& sets, Scaler& scaler) {
  auto old = filter_active(sets.old);
  if (sum_spec_replicas(old) == 0) return false;
  int32_t all_pods = sum_spec_replicas(sets.all());
  int32_t min_available = replicas_of(d) - max_unavailable(d);
  int32_t new_unavailable =
      sets.new_rs ? replicas_of(*sets.new_rs) - sets.new_rs->status.available_replicas : 0;
  int32_t max_scaled_down = all_pods - min_available - new_unavailable;
  if (max_scaled_down <= 0) return false;

  // Unavailable old pods first: they would otherwise hold the rollout back for nothing.
  std::sort(old.begin(), old.end(), older);
  int32_t cleaned = 0;
  for (auto* rs : old) {
    if (cleaned >= max_scaled_down) break;
    int32_t unhealthy = replicas_of(*rs) - rs->status.available_replicas;
    if (replicas_of(*rs) == 0 || unhealthy <= 0) continue;
    int32_t down = std::min(max_scaled_down - cleaned, unhealthy);
    scaler.scale(*rs, replicas_of(*rs) - down);
    cleaned += down;
  }

  // Then available ones, as long as enough stay available. An old ReplicaSet counts at most
  // its spec.replicas: right after this controller shrank it, its status still counts the
  // pods it is about to delete, and counting them would let the next pass shrink it again
  // below the bound (upstream sums status.availableReplicas as it stands).
  std::vector<api::ReplicaSet*> all = filter_active(old);
  if (sets.new_rs && replicas_of(*sets.new_rs) > 0) all.push_back(sets.new_rs);
  int32_t available = 0;
  for (auto* rs : all) available += std::min(rs->status.available_replicas, replicas_of(*rs));
  int32_t scaled = 0;
  if (available > min_available) {
    int32_t total = available - min_available;
    for (auto* rs : old) {
      if (scaled >= total) break;
      if (replicas_of(*rs) == 0) continue;
      int32_t down = std::min(replicas_of(*rs), total - scaled);
      scaler.scale(*rs, replicas_of(*rs) - down);
      scaled += down;
    }
  }
  return cleaned + scaled > 0;
}

bool scale_down_old_for_recreate(const ReplicaSets& sets, Scaler& scaler) {
  bool any = false;
  for (auto* rs : filter_active(sets.old)) any = scaler.scale(*rs, 0) || any;
  return any;
}

bool scale_up_new_for_recreate(const api::Deployment& d, const ReplicaSets& sets, Scaler& scaler) {
  if (!sets.new_rs) return false;
  return scaler.scale(*sets.new_rs, replicas_of(d));
}

std::vector<const api::ReplicaSet*> history_to_clean_up(const api::Deployment& d,
                                                        const std::vector<api::ReplicaSet*>& old) {
  std::vector<const api::ReplicaSet*> out;
  if (!d.spec.revision_history_limit) return out;
  std::vector<const api::ReplicaSet*> alive;
  for (auto* rs : old)
    if (!rs->metadata.deletion_timestamp) alive.push_back(rs);
  auto diff = static_cast<int64_t>(alive.size()) - *d.spec.revision_history_limit;
  if (diff <= 0) return out;
  std::stable_sort(alive.begin(), alive.end(), [](auto* a, auto* b) {
    if (revision_of(*a) != revision_of(*b)) return revision_of(*a) < revision_of(*b);
    return older(a, b);
  });
  for (int64_t i = 0; i < diff; ++i) {
    auto* rs = alive[static_cast<size_t>(i)];
    // Only what has gone quiet: no pods, none wanted, status caught up with the spec.
    if (rs->status.replicas != 0 || replicas_of(*rs) != 0 ||
        rs->metadata.generation > rs->status.observed_generation)
      continue;
    out.push_back(rs);
  }
  return out;
}

}  // namespace kactor::actors::controllers::deployment
