#include "actors/scheduler/plugins/topology_tally.hpp"

#include <functional>

namespace kactor::scheduler::plugins {

void TopologyTally::resize(size_t n) {
  // The set of nodes changed (the snapshot was rebuilt): start over.
  nodes_.assign(n, Entry{});  // (first pointers die with the domains cleared below)
  domains_.clear();
  positive_ = 0;
}

void TopologyTally::apply(const NodeCounts& counts, int sign) {
  for (auto& c : counts) {
    auto& values = domains_[c.key];
    auto& d = values[c.value];
    const bool was_positive = d.sum > 0;
    d.sum += sign * c.count;
    d.nodes += sign;
    positive_ += static_cast<int64_t>(d.sum > 0) - static_cast<int64_t>(was_positive);
    if (d.nodes == 0) {
      values.erase(c.value);
      if (values.empty()) domains_.erase(c.key);
    }
  }
}

void TopologyTally::replace(size_t i, const std::shared_ptr<const NodeInfo>& info,
                            NodeCounts counts) {
  auto& e = nodes_[i];
  if (e.info) apply(e.counts, -1);
  apply(counts, +1);
  e.first = counts.empty() ? nullptr : &domains_[counts[0].key][counts[0].value];
  e.info = info;
  e.counts = std::move(counts);
}

const TopologyTally::Entry* TopologyTally::entry_of(const NodeInfo& info) const {
  // Entries follow the snapshot's order, and the cache tells each NodeInfo its slot there.
  const auto slot = info.snapshot_slot;
  if (slot >= nodes_.size() || nodes_[slot].info.get() != &info) return nullptr;
  return &nodes_[slot];
}

int64_t TopologyTally::total(const std::string& key, const std::string& value) const {
  auto k = domains_.find(key);
  if (k == domains_.end()) return 0;
  auto v = k->second.find(value);
  return v == k->second.end() ? 0 : v->second.sum;
}

bool TopologyTally::has_domain(const std::string& key, const std::string& value) const {
  auto k = domains_.find(key);
  return k != domains_.end() && k->second.contains(value);
}

const std::unordered_map<std::string, TopologyTally::Domain>* TopologyTally::domains(
    const std::string& key) const {
  auto k = domains_.find(key);
  return k == domains_.end() ? nullptr : &k->second;
}

const NodeCounts* TopologyTally::of(const NodeInfo& info) const {
  const auto* e = entry_of(info);
  return e ? &e->counts : nullptr;
}

std::optional<int64_t> TopologyTally::total_at(const NodeInfo& info) const {
  const auto* e = entry_of(info);
  if (!e || !e->first) return std::nullopt;
  return e->first->sum;
}

TopologyTally& TallyCache::slot(const std::string& key) {
  const size_t hash = std::hash<std::string>{}(key);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->hash != hash || it->key != key) continue;
    if (it != entries_.begin()) entries_.splice(entries_.begin(), entries_, it);
    return entries_.front().tally;
  }
  entries_.push_front(Slot{hash, key, TopologyTally{}});
  if (entries_.size() > capacity_) entries_.pop_back();
  return entries_.front().tally;
}

void TallyOverlay::add(const std::string& key, const std::string& value, int64_t delta) {
  for (auto& d : deltas_)
    if (d.key == key && d.value == value) {
      d.count += delta;
      return;
    }
  deltas_.push_back({key, value, delta});
}

int64_t TallyOverlay::delta(const std::string& key, const std::string& value) const {
  for (auto& d : deltas_)
    if (d.key == key && d.value == value) return d.count;
  return 0;
}

bool any_positive_with(const TopologyTally* tally, const TallyOverlay& overlay) {
  // Only a what-if run gets here: every domain is looked at.
  for (auto& d : overlay.deltas())
    if (total(tally, overlay, d.key, d.value) > 0) return true;
  if (!tally) return false;
  for (auto& [key, values] : tally->all())
    for (auto& [value, domain] : values)
      if (domain.sum > 0 && domain.sum + overlay.delta(key, value) > 0) return true;
  return false;
}

}  // namespace kactor::scheduler::plugins
