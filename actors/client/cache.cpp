#include "actors/client/cache.hpp"

#include <mutex>
#include <utility>

namespace kactor::client {

Cache::Cache() {
  indexes_[kNamespaceIndex].fn = [](const api::Object& o) {
    return std::vector<std::string>{o.metadata.namespace_};
  };
}

void Cache::add_index(const std::string& name, IndexFunc fn) {
  std::unique_lock lock(mutex_);
  if (indexes_.contains(name)) return;
  auto& idx = indexes_[name];
  idx.fn = std::move(fn);
  for (const auto& entry : objects_)
    for (auto& v : idx.fn(*entry.second)) idx.by_value[v].insert(&entry);
}

api::ObjectPtr Cache::get(const std::string& key) const {
  std::shared_lock lock(mutex_);
  auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : it->second;
}

std::vector<api::ObjectPtr> Cache::list() const {
  std::shared_lock lock(mutex_);
  std::vector<api::ObjectPtr> out;
  out.reserve(objects_.size());
  for (const auto& [k, v] : objects_) out.push_back(v);
  return out;
}

std::vector<api::ObjectPtr> Cache::by_index(const std::string& name,
                                            const std::string& value) const {
  std::shared_lock lock(mutex_);
  std::vector<api::ObjectPtr> out;
  auto idx = indexes_.find(name);
  if (idx == indexes_.end()) return out;
  auto filed = idx->second.by_value.find(value);
  if (filed == idx->second.by_value.end()) return out;
  out.reserve(filed->second.size());
  for (Entry entry : filed->second) out.push_back(entry->second);
  return out;
}

size_t Cache::size() const {
  std::shared_lock lock(mutex_);
  return objects_.size();
}

std::string Cache::resource_version() const {
  std::shared_lock lock(mutex_);
  return resource_version_;
}

bool Cache::synced() const {
  std::shared_lock lock(mutex_);
  return synced_;
}

api::ObjectPtr Cache::upsert(const api::ObjectPtr& obj) {
  std::unique_lock lock(mutex_);
  auto [it, added] = objects_.try_emplace(api::object_key(*obj), obj);
  if (added) {
    index_add(&*it);
    return nullptr;
  }
  api::ObjectPtr old = std::exchange(it->second, obj);
  index_update(&*it, *old);
  return old;
}

api::ObjectPtr Cache::erase(const std::string& key) {
  std::unique_lock lock(mutex_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return nullptr;
  index_remove(&*it);  // before the entry the index points at goes
  auto old = std::move(it->second);
  objects_.erase(it);
  return old;
}

void Cache::set_resource_version(std::string rv) {
  std::unique_lock lock(mutex_);
  resource_version_ = std::move(rv);
}

void Cache::set_synced() {
  std::unique_lock lock(mutex_);
  synced_ = true;
}

void Cache::index_add(Entry entry) {
  for (auto& [name, idx] : indexes_)
    for (auto& v : idx.fn(*entry->second)) idx.by_value[v].insert(entry);
}

void Cache::index_update(Entry entry, const api::Object& old) {
  for (auto& [name, idx] : indexes_) {
    auto before = idx.fn(old);
    auto after = idx.fn(*entry->second);
    if (before == after) continue;  // filed where it was; the entry holds the new version
    remove_from(idx, entry, before);
    for (auto& v : after) idx.by_value[v].insert(entry);
  }
}

void Cache::remove_from(Index& idx, Entry entry, const std::vector<std::string>& values) {
  for (auto& v : values) {
    auto it = idx.by_value.find(v);
    if (it == idx.by_value.end()) continue;
    it->second.erase(entry);
    if (it->second.empty()) idx.by_value.erase(it);
  }
}

void Cache::index_remove(Entry entry) {
  for (auto& [name, idx] : indexes_) remove_from(idx, entry, idx.fn(*entry->second));
}

}  // namespace kactor::client
